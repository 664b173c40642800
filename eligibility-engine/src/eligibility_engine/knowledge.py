"""Whether the engine knows enough to decide a case: its copy of the registries against
what a decision needs (ADR 0008). Pure: no I/O.

A decision that reads "the mother is not in the population registry", "the informant is
alive" or "this is her third child" is only right if the engine's copy of the registries
is complete enough. The connectors say how complete it is with progress markers on every
partition of ``persons`` and ``life-events`` (``benefits_shared.contracts.progress``);
the engine keeps the latest of each partition and reads from them a :class:`Horizon`.

A case touched by a registry record **needs** (a :class:`Needs`):

- the population copy caught up as of the record's arrival in Kafka (a record we learned of
  at ``t`` is judged against the population registry as it stood at ``t`` or later);
- for a civil-registry record, every civil record up to its ``seq`` (the births that
  count as her children, the deaths, the corrections before it);
- for a commission certificate, every commission file that was in the drop folder when it
  arrived (the holder's later certificates and revocations read before the case is decided,
  not after).

A case whose needs the horizon does not cover waits (no decision, no effect) and is
decided, once, when a marker moves the horizon past them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from benefits_shared.clock import baku_date

Source = Literal["population", "civil", "mse"]
NOTHING = 0


@dataclass(frozen=True, slots=True)
class Needs:
    """What a decision must know: the population copy as of ``arrived_ms`` (epoch ms, 0:
    nothing), every civil record through ``civil_seq`` (0: nothing) and the commission's
    drop folder as of ``mse_ms`` (epoch ms, 0: nothing)."""

    arrived_ms: int = NOTHING
    civil_seq: int = NOTHING
    mse_ms: int = NOTHING

    def __or__(self, other: Needs) -> Needs:
        return Needs(
            max(self.arrived_ms, other.arrived_ms),
            max(self.civil_seq, other.civil_seq),
            max(self.mse_ms, other.mse_ms),
        )


@dataclass(frozen=True, slots=True)
class Touch:
    """How an event touched a case: the day it speaks of, and what deciding needs."""

    day: date
    needs: Needs = Needs()
    #: The trace context of the record that touched it (the first one kept), if any.
    trace: str | None = field(default=None, compare=False)

    def __or__(self, other: Touch) -> Touch:
        return Touch(max(self.day, other.day), self.needs | other.needs, self.trace or other.trace)


@dataclass(frozen=True, slots=True)
class Marker:
    """One partition's progress, as stored: population or drop-folder ``as_of``, or civil
    ``through_seq``."""

    source: Source
    partition: int
    partitions: int
    as_of: datetime | None = None
    through_seq: int | None = None


@dataclass(frozen=True, slots=True)
class Horizon:
    """How far the copy is known complete: None for a source not (yet) complete on every
    partition."""

    population_ms: int | None = None
    civil_seq: int | None = None
    mse_ms: int | None = None

    def covers(self, needs: Needs) -> bool:
        return (
            _reaches(self.population_ms, needs.arrived_ms)
            and _reaches(self.civil_seq, needs.civil_seq)
            and _reaches(self.mse_ms, needs.mse_ms)
        )


def _reaches(known: int | None, needed: int) -> bool:
    return needed == NOTHING or (known is not None and known >= needed)


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def day_of(ms: int) -> date:
    """The Asia/Baku calendar day of an instant in epoch ms (a Kafka timestamp)."""
    return _day_of_minute(ms // 60_000)


@functools.lru_cache(maxsize=1024)
def _day_of_minute(minute: int) -> date:
    """Per minute since the epoch: every zone's offset is whole minutes, so a day never
    starts inside one, and a batch's records share a few (a conversion each was 1% of
    the engine's CPU)."""
    return baku_date(datetime.fromtimestamp(minute * 60, UTC))


@dataclass(frozen=True, slots=True)
class Waiting:
    """The cases waiting now: how many, how many each source's horizon does not cover yet
    (a case can wait for several), and how long the one waiting longest has waited."""

    cases: int
    uncovered: dict[Source, int]
    oldest_seconds: float
