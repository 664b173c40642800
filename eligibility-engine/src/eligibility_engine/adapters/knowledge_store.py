"""The progress markers the engine has read, and the cases waiting for them (ADR 0008).

Every batch's deciding runs under the schema's decide lock (``decide_lock``), so one
decider at a time reads the horizon, holds or decides cases and commits, whatever the
number of engine instances: a marker read by one instance releases every case another
instance held before it, and a case held after it reads the new horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility_engine.adapters.decide_lock import DecideLock
from eligibility_engine.adapters.tables import EngineTables
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.knowledge import (
    Horizon,
    Marker,
    Needs,
    Source,
    Touch,
    Waiting,
    epoch_ms,
)

MARKERS = """
INSERT INTO {s}.knowledge AS k (source, partition, partitions, as_of, through_seq)
SELECT * FROM unnest(CAST(:source AS text[]), CAST(:partition AS int[]),
    CAST(:partitions AS int[]), CAST(:as_of AS timestamptz[]), CAST(:through AS bigint[]))
ON CONFLICT (source, partition) DO UPDATE SET partitions = excluded.partitions,
    as_of = GREATEST(k.as_of, excluded.as_of),
    through_seq = GREATEST(k.through_seq, excluded.through_seq), updated_at = now()"""

#: A source counts only once every partition it has has a marker.
HORIZON = """
SELECT source, count(*) >= max(partitions), min(as_of), min(through_seq)
FROM {s}.knowledge GROUP BY source"""

PENDING = """
SELECT benefit, subject, decide_on, arrived_ms, civil_seq, mse_ms, traceparent
FROM {s}.pending_cases
WHERE (benefit, subject) IN (
    SELECT * FROM unnest(CAST(:benefit AS text[]), CAST(:subject AS text[])))"""

HOLD = """
INSERT INTO {s}.pending_cases AS p (benefit, subject, decide_on, arrived_ms, civil_seq,
    mse_ms, traceparent)
SELECT * FROM unnest(CAST(:benefit AS text[]), CAST(:subject AS text[]),
    CAST(:day AS date[]), CAST(:arrived AS bigint[]), CAST(:civil AS bigint[]),
    CAST(:mse AS bigint[]), CAST(:trace AS text[]))
ON CONFLICT (benefit, subject) DO UPDATE SET
    traceparent = COALESCE(p.traceparent, excluded.traceparent),
    decide_on = GREATEST(p.decide_on, excluded.decide_on),
    arrived_ms = GREATEST(p.arrived_ms, excluded.arrived_ms),
    civil_seq = GREATEST(p.civil_seq, excluded.civil_seq),
    mse_ms = GREATEST(p.mse_ms, excluded.mse_ms)"""

DROP = """
DELETE FROM {s}.pending_cases WHERE (benefit, subject) IN (
    SELECT * FROM unnest(CAST(:benefit AS text[]), CAST(:subject AS text[])))"""

#: The next slice of the waiting cases a horizon covers, after a case key (keyset paging on
#: the primary key: a pass over a large backlog reads each waiting case once).
RELEASE = """
SELECT benefit, subject, decide_on, traceparent FROM {s}.pending_cases
WHERE (benefit, subject) > (:benefit, :subject)
    AND (arrived_ms = 0 OR arrived_ms <= :population) AND (civil_seq = 0 OR civil_seq <= :civil)
    AND (mse_ms = 0 OR mse_ms <= :mse)
ORDER BY benefit, subject LIMIT :limit"""

#: What ops sees of the waiting cases (``metrics.show_waiting``): one pass over the table.
WAITING = """
SELECT count(*),
    count(*) FILTER (WHERE arrived_ms > 0 AND arrived_ms > :population),
    count(*) FILTER (WHERE civil_seq > 0 AND civil_seq > :civil),
    count(*) FILTER (WHERE mse_ms > 0 AND mse_ms > :mse),
    COALESCE(EXTRACT(EPOCH FROM now() - min(since)), 0)
FROM {s}.pending_cases"""

NEVER = -1  # a horizon not yet complete covers no need but "nothing"


class KnowledgeStore:
    def __init__(self, tables: EngineTables) -> None:
        self._lock = DecideLock(tables.metadata.schema or "public")
        self._sql = tables.statements(
            markers=MARKERS,
            horizon=HORIZON,
            pending=PENDING,
            hold=HOLD,
            drop=DROP,
            release=RELEASE,
            waiting=WAITING,
        )

    async def lock(self, s: AsyncSession) -> None:
        """Be the only decider until the transaction ends."""
        await self._lock.exclusive(s)

    async def record(self, s: AsyncSession, markers: Sequence[Marker]) -> None:
        if not markers:
            return
        await s.execute(
            self._sql["markers"],
            {
                "source": [m.source for m in markers],
                "partition": [m.partition for m in markers],
                "partitions": [m.partitions for m in markers],
                "as_of": [m.as_of for m in markers],
                "through": [m.through_seq for m in markers],
            },
        )

    async def horizon(self, s: AsyncSession) -> Horizon:
        reached: dict[str, int] = {}
        for source, complete, as_of, through in await s.execute(self._sql["horizon"]):
            if complete and source in ("population", "mse") and as_of is not None:
                reached[source] = epoch_ms(as_of)
            if complete and source == "civil" and through is not None:
                reached[source] = int(through)
        return Horizon(reached.get("population"), reached.get("civil"), reached.get("mse"))

    async def split(
        self, s: AsyncSession, touched: Mapping[CaseKey, Touch], horizon: Horizon
    ) -> dict[CaseKey, Touch]:
        """The touched cases the horizon covers (with what they waited for before, if they
        did); the others are held, with what they need."""
        waiting = await self._pending(s, touched)
        ready: dict[CaseKey, Touch] = {}
        held: dict[CaseKey, Touch] = {}
        for key, touch in touched.items():
            whole = touch | waiting[key] if key in waiting else touch
            (ready if horizon.covers(whole.needs) else held)[key] = whole
        await self._hold(s, held)
        await self._drop(s, [k for k in ready if k in waiting])
        return ready

    async def held(self, s: AsyncSession, keys: Iterable[CaseKey]) -> set[CaseKey]:
        """Which of ``keys`` are waiting."""
        return set(await self._pending(s, keys))

    async def waiting(self, s: AsyncSession, horizon: Horizon) -> Waiting:
        """The waiting cases, and which parts of ``horizon`` do not cover them yet."""
        row = (await s.execute(self._sql["waiting"], _bounds(horizon))).one()
        cases, population, civil, mse, oldest = row
        uncovered: dict[Source, int] = {"population": population, "civil": civil, "mse": mse}
        return Waiting(int(cases), uncovered, float(oldest))

    async def release(
        self, s: AsyncSession, horizon: Horizon, limit: int, after: CaseKey | None = None
    ) -> tuple[dict[CaseKey, Touch], CaseKey | None]:
        """Up to ``limit`` of the waiting cases ``horizon`` covers now, in key order after
        ``after`` (from the first if None), no longer waiting; and the key to go on after
        when there may be more (None: there are no more)."""
        bounds = {
            **_bounds(horizon),
            "benefit": after.benefit if after else "",  # "": before every key
            "subject": after.subject if after else "",
            "limit": limit,
        }
        rows = list(await s.execute(self._sql["release"], bounds))
        released = {CaseKey(b, subject): Touch(day, trace=tp) for b, subject, day, tp in rows}
        await self._drop(s, list(released))
        last = CaseKey(rows[-1][0], rows[-1][1]) if len(rows) == limit else None
        return released, last

    async def _pending(self, s: AsyncSession, keys: Iterable[CaseKey]) -> dict[CaseKey, Touch]:
        keys = list(keys)
        if not keys:
            return {}
        found = await s.execute(self._sql["pending"], _keys(keys))
        return {
            CaseKey(b, subject): Touch(day, Needs(arrived, civil, mse), tp)
            for b, subject, day, arrived, civil, mse, tp in found
        }

    async def _hold(self, s: AsyncSession, cases: Mapping[CaseKey, Touch]) -> None:
        if not cases:
            return
        keys = sorted(cases)
        await s.execute(
            self._sql["hold"],
            {
                **_keys(keys),
                "day": [cases[k].day for k in keys],
                "arrived": [cases[k].needs.arrived_ms for k in keys],
                "civil": [cases[k].needs.civil_seq for k in keys],
                "mse": [cases[k].needs.mse_ms for k in keys],
                "trace": [cases[k].trace for k in keys],
            },
        )

    async def _drop(self, s: AsyncSession, keys: list[CaseKey]) -> None:
        if keys:
            await s.execute(self._sql["drop"], _keys(sorted(keys)))


def _bounds(horizon: Horizon) -> dict[str, int]:
    return {
        "population": NEVER if horizon.population_ms is None else horizon.population_ms,
        "civil": NEVER if horizon.civil_seq is None else horizon.civil_seq,
        "mse": NEVER if horizon.mse_ms is None else horizon.mse_ms,
    }


def _keys(keys: Sequence[CaseKey]) -> dict[str, list[str]]:
    return {"benefit": [k.benefit for k in keys], "subject": [k.subject for k in keys]}
