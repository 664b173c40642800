"""The projected events of a citizen's timeline: theirs, their parents' and children's.

A person's family is read from the projection itself: the parents named in their
population record and in their own birth record, the children of births naming them as
mother or father. Registry events, decisions, payments and notices that mention any of
them (by keyed hash) are returned; notices also by the decisions they belong to. So are
the dead letters whose raw record mentioned any of them (``dead_letters.pin_hashes``):
the records a service could not take, often the answer to "why not".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.adapters.tables import OpsTables
from benefits_ops.pin_redaction import HASH_MARK
from benefits_ops.timeline import DeadLetterView, EventView

FAMILY_TYPES = ("%person-recorded%", "%birth-registered%")
MAX_EVENTS = 5000


def _columns(e: Any) -> list[Any]:
    """What the timeline reads of a projected event."""
    return [e.c.id, e.c.ce_type, e.c.ce_time, e.c.kind, e.c.payload, e.c.decision_id, e.c.trace_id]


class CitizenHistory:
    def __init__(self, tables: OpsTables) -> None:
        self._e = tables.events
        self._d = tables.dead_letters

    async def events(self, s: AsyncSession, family: set[str]) -> list[EventView]:
        e = self._e
        rows = list(
            (
                await s.execute(
                    select(*_columns(e))
                    .where(e.c.pin_hashes.overlap(sorted(family)))
                    .order_by(e.c.id)
                    .limit(MAX_EVENTS)
                )
            ).all()
        )
        decisions = {r.decision_id for r in rows if r.decision_id}
        seen = {r.id for r in rows}
        if decisions:
            more = await s.execute(
                select(*_columns(e)).where(e.c.decision_id.in_(sorted(decisions))).limit(MAX_EVENTS)
            )
            rows += [r for r in more if r.id not in seen]
        return [EventView(r.ce_type, r.ce_time, r.kind, r.payload, r.trace_id) for r in rows]

    async def dead_letters(self, s: AsyncSession, family: set[str]) -> list[DeadLetterView]:
        d = self._d
        rows = await s.execute(
            select(
                d.c.id,
                d.c.origin_topic,
                d.c.reason,
                d.c.kind,
                d.c.state,
                d.c.dead_at,
                d.c.ce_type,
                d.c.consumer_group,
            )
            .where(d.c.pin_hashes.overlap(sorted(family)))
            .order_by(d.c.id)
            .limit(MAX_EVENTS)
        )
        return [DeadLetterView(*r) for r in rows]

    async def family(self, s: AsyncSession, subject: str) -> set[str]:
        """The subject's hash and those of their parents and children."""
        e = self._e
        rows = await s.execute(
            select(e.c.payload).where(
                e.c.pin_hashes.contains([subject]),
                or_(*(e.c.ce_type.like(t) for t in FAMILY_TYPES)),
            )
        )
        related = {subject}
        me = HASH_MARK + subject
        for (payload,) in rows:
            related |= _relatives(payload or {}, me)
        return related


def _relatives(p: dict[str, Any], me: str) -> set[str]:
    child = (p.get("child") or {}).get("pin")
    parents = {p.get("mother_pin"), p.get("father_pin")}
    found: set[Any] = set()
    if p.get("pin") == me or child == me:
        found |= parents
    if me in parents:
        found.add(child)
    return {h[1:] for h in found if isinstance(h, str) and h.startswith(HASH_MARK)}
