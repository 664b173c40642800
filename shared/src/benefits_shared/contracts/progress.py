"""How far the registry connectors have copied each registry: progress markers.

A decision that reads "this person is not in the population registry" (or "is alive",
or "has two children") is only right if the engine's copy of the registry is complete
enough. The connectors say how complete it is by publishing, on **every partition** of
the topic they feed, after the records they describe, a marker of their progress:

- ``PopulationCopyProgress`` on ``persons``: the mirror finished its first full copy and
  read the change feed to its end with a request made at ``as_of``; every person record
  it knew of then comes before this marker on the partition.
- ``CivilFeedProgress`` on ``life-events``: every civil-registry record up to
  ``through_seq`` has been published; those of this partition come before the marker.
- ``MseDropProgress`` on ``life-events``: a look at the commission's drop folder made at
  ``as_of`` found every file in it published; their certificates on this partition come
  before the marker.

A consumer that has read a marker on every partition (``partitions`` says how many) knows
the whole registry as of the least of them. Markers are keyed ``<kind>:<partition>`` (no
PIN), so compaction keeps the latest of each partition. ADR 0008 says how the engine uses
them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import LIFE_EVENTS, PERSONS


class ProgressMarker(Contract):
    """Fields common to every marker: the partition it is on, and how many there are."""

    partition: int
    partitions: int

    def kafka_key(self) -> bytes:
        return f"{self.NAME}:{self.partition}".encode()


class PopulationCopyProgress(ProgressMarker):
    NAME: ClassVar[str] = "population-copy-progress"
    TOPIC: ClassVar[str] = PERSONS.name

    #: When the request that found the end of the change feed was made.
    as_of: datetime
    #: The change feed's position then.
    change_seq: int

    def identity(self) -> tuple[str, ...]:
        return (str(self.partition), str(self.change_seq), self.as_of.isoformat())


class CivilFeedProgress(ProgressMarker):
    NAME: ClassVar[str] = "civil-feed-progress"
    TOPIC: ClassVar[str] = LIFE_EVENTS.name

    #: Every record with a ``seq`` up to this one is published.
    through_seq: int

    def identity(self) -> tuple[str, ...]:
        return (str(self.partition), str(self.through_seq))


class MseDropProgress(ProgressMarker):
    NAME: ClassVar[str] = "mse-drop-progress"
    TOPIC: ClassVar[str] = LIFE_EVENTS.name

    #: When the look at the drop folder was made that found every file in it published.
    as_of: datetime

    def identity(self) -> tuple[str, ...]:
        return (str(self.partition), self.as_of.isoformat())


#: As far as a marker can say: nothing later can arrive.
END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)
LAST_SEQ = 2**62


def everything_known(
    population_partitions: int, life_event_partitions: int
) -> list[ProgressMarker]:
    """Markers saying every registry is copied completely, for good: for whoever feeds
    the engine records without the connectors (a benchmark, a test of other rules)."""
    population = [
        PopulationCopyProgress(
            partition=p, partitions=population_partitions, as_of=END_OF_TIME, change_seq=LAST_SEQ
        )
        for p in range(population_partitions)
    ]
    civil = [
        CivilFeedProgress(partition=p, partitions=life_event_partitions, through_seq=LAST_SEQ)
        for p in range(life_event_partitions)
    ]
    mse = [
        MseDropProgress(partition=p, partitions=life_event_partitions, as_of=END_OF_TIME)
        for p in range(life_event_partitions)
    ]
    return [*population, *civil, *mse]
