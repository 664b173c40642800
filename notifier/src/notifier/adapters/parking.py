"""Notices parked as undeliverable, and their retry by ops (ADR 12).

A notice whose hand-over failed ``max_attempts`` times in a row (the gateway down, its
outcome unknown; a ``429`` is the gateway pacing us and does not count) stops being
retried: it is parked, and a ``NoticeParked`` event on ``notices`` puts it in the ops
unresolved queue. A ``RetryNotice`` command moves it back to pending with a fresh count:
the sender then hands it over with the same idempotency key and body as before, so the
gateway takes it once however many attempts it saw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from benefits_shared.contracts.notices import NoticeParked
from benefits_shared.db.outbox import OutgoingEvent, add_to_outbox
from benefits_shared.pin import PinHasher
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.adapters.notice_store import SOURCE, StoredNotice
from notifier.adapters.tables import NotifierTables
from notifier.metrics import NotifierMetrics
from notifier.notice_states import NoticeEvent, NoticeState, next_state

RetryOutcome = Literal["retried", "not_parked", "unknown_notice"]


class Parking:
    def __init__(
        self, tables: NotifierTables, hasher: PinHasher, topic: str, metrics: NotifierMetrics
    ) -> None:
        self._t = tables
        self._hasher = hasher
        self._topic = topic
        self._metrics = metrics

    async def park(self, s: AsyncSession, notice: StoredNotice, error: str, now: datetime) -> None:
        """The last attempt failed: park the notice and say so on ``notices``."""
        state = next_state(notice.state, NoticeEvent.PARKED)
        n = self._t.notices
        attempts = notice.failures + 1
        await s.execute(
            update(n)
            .where(n.c.notice_id == notice.notice_id)
            .values(
                state=state.value,
                failures=attempts,
                last_error=error,
                reason=f"parked after {attempts} failed attempts: {error}",
                retry_at=None,
                updated_at=func.now(),
            )
        )
        self._metrics.notice_reached(state.value, notice.kind.value)
        parked = NoticeParked(
            notice_id=notice.notice_id,
            decision_id=notice.decision.decision_id,
            kind=notice.kind.value,
            language=notice.language,
            attempts=attempts,
            reason=error,
        )
        pin = notice.recipient_pin
        key = self._hasher.kafka_key(pin) if pin else notice.notice_id.encode()
        event = parked.to_cloudevent(SOURCE, now, self._hasher.digest(pin) if pin else None)
        await add_to_outbox(s, self._t.outbox, [OutgoingEvent(self._topic, key, event)])

    async def retry(self, s: AsyncSession, notice_id: str) -> tuple[RetryOutcome, str | None]:
        """Back to pending with a fresh count, if parked; the outcome and the state found."""
        n = self._t.notices
        query = select(n.c.state).where(n.c.notice_id == notice_id).with_for_update()
        state = (await s.execute(query)).scalar()
        if state is None:
            return "unknown_notice", None
        if state != NoticeState.PARKED.value:
            return "not_parked", state
        pending = next_state(NoticeState.PARKED, NoticeEvent.RETRIED)
        await s.execute(
            update(n)
            .where(n.c.notice_id == notice_id)
            .values(state=pending.value, failures=0, retry_at=None, updated_at=func.now())
        )
        return "retried", pending.value
