"""Re-decides a set of cases with the facts held now: the replay's use of the engine's
normal path (ADR 12).

The cases' facts and states are read as the event handler reads them (``CaseLoader``,
``DecisionStore``), each case is decided by ``rulebook.decide`` on the later of the
engine's today and its last decision's day, and compared with its last published decision
(``replay.difference``). A dry run stops there. Applied, each decision goes through the
handler's own ``CaseBook`` and ``DecisionStore.write``: only a decision whose content
differs from the case's last one is made, stored and queued in the outbox, with the id
the dry run showed; replayed again, it is the case's last one and nothing is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.ops import CaseDifference
from benefits_shared.pin import PinHasher
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine import decision_ids
from eligibility_engine.adapters.case_book import CaseBook
from eligibility_engine.adapters.case_loader import CaseLoader
from eligibility_engine.adapters.case_settling import settle
from eligibility_engine.adapters.decision_store import DecisionStore
from eligibility_engine.adapters.knowledge_store import KnowledgeStore
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.errors import ParameterError
from eligibility_engine.parameters import Parameters
from eligibility_engine.replay import Decided, difference

LAST_DECISIONS = """
SELECT c.case_id, d.body FROM {s}.cases AS c
JOIN {s}.decisions AS d ON d.decision_id = c.last_decision_id
WHERE c.case_id IN (SELECT unnest(CAST(:ids AS text[])))"""


@dataclass(frozen=True, slots=True)
class Redecided:
    differences: list[CaseDifference]
    published: int


class CaseRedecider:
    def __init__(self, tables: EngineTables, hasher: PinHasher, decisions_topic: str) -> None:
        self._hasher = hasher
        self._loader = CaseLoader(tables)
        self._decisions = DecisionStore(tables, decisions_topic)
        self._sql = tables.statements(last=LAST_DECISIONS)
        self._knowledge = KnowledgeStore(tables)

    async def today(self, s: AsyncSession) -> date | None:
        return await self._decisions.today(s)

    async def redecide(
        self,
        s: AsyncSession,
        keys: Sequence[CaseKey],
        parameters: Parameters,
        horizon: date,
        apply: bool,
    ) -> Redecided:
        """Decide ``keys`` again; store and queue what changed only if ``apply``. A case
        held until the copy of the registries covers it (ADR 8) is left to its release."""
        held = await self._knowledge.held(s, keys)
        keys = [k for k in keys if k not in held]
        snapshot = await self._loader.load(s, keys)
        ids = {key: self.case_id(key) for key in keys}
        book = CaseBook()
        await self._decisions.read_states(s, book, ids.values())
        published = await self._published(s, list(ids.values()))
        today = await self._decisions.today(s)
        differences = []
        for key in keys:
            case_id = ids[key]
            on = decision_day(today, published.get(case_id))
            last = book.state(case_id).get("last_fingerprint")
            if on is None:
                continue
            decided: Decided
            between: BenefitDecided | None = None
            try:
                settled = settle(book, snapshot, key, case_id, parameters, on)
            except ParameterError as error:
                decided = error
            else:
                if settled is None:
                    continue
                decided, between = settled.result, settled.between
            found = difference(case_id, published.get(case_id), last, decided, horizon, between)
            if found is not None:
                differences.append(found)
                if not isinstance(decided, ParameterError):
                    book.record(case_id, key.subject, decided, on)
        taken = book.take()
        if apply:
            await self._decisions.write(s, taken)
        return Redecided(differences, len(taken.decisions) if apply else 0)

    def case_id(self, key: CaseKey) -> str:
        return decision_ids.case_of(key, self._hasher)

    async def _published(self, s: AsyncSession, ids: list[str]) -> dict[str, BenefitDecided]:
        rows = await s.execute(self._sql["last"], {"ids": sorted(ids)})
        return {r[0]: BenefitDecided.model_validate(r[1]) for r in rows}


def decision_day(today: date | None, last: BenefitDecided | None) -> date | None:
    """The day a case is decided again: the later of the engine's today and its last
    decision's day (as the handler decides a case an event touches today)."""
    days = [d for d in (today, last.decided_on if last else None) if d is not None]
    return max(days) if days else None
