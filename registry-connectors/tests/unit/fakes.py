"""Fakes of the connectors' ports (``registry_connectors.ports``) for the unit tests."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from registry_connectors.adapters.checkpoints import Checkpoint
from registry_connectors.civil_feed import Seen
from registry_connectors.mse_files import DropName, FilePlan
from registry_connectors.outgoing import Outgoing


class KafkaDown(Exception):
    """Stands for a failed send (the poller classifies real ones)."""


class FakeAcks:
    def __init__(self, publisher: FakePublisher, messages: Sequence[Outgoing], fail: bool) -> None:
        self._publisher, self._messages, self._fail = publisher, messages, fail

    async def wait(self) -> None:
        if self._fail:
            raise KafkaDown("no ack")
        self._publisher.sent.extend(self._messages)


class FakePublisher:
    """Messages count as sent once their acks were awaited; ``failures_to_come`` fail."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.failures_to_come = 0

    async def send(self, messages: Sequence[Outgoing]) -> FakeAcks:
        fail = self.failures_to_come > 0
        self.failures_to_come -= int(fail)
        return FakeAcks(self, messages, fail)

    async def publish(self, messages: Sequence[Outgoing]) -> None:
        await (await self.send(messages)).wait()

    async def partitions(self, topic: str) -> int:
        return 3

    @property
    def records(self) -> list[Outgoing]:
        """What was sent, progress markers left out."""
        return [m for m in self.sent if m.partition is None]


class FakeRecordCount:
    """Records on a topic: ``n``, moved by the test."""

    def __init__(self, n: int = 0) -> None:
        self.n = n

    async def count(self) -> int:
        return self.n


class FakeCivilMemory:
    def __init__(self) -> None:
        self.seq = 0
        self.records: dict[str, Seen] = {}

    async def cursor(self) -> int:
        return self.seq

    async def known(self, numbers: Collection[str]) -> dict[str, Seen]:
        return {n: self.records[n] for n in numbers if n in self.records}

    async def commit(self, remember: Mapping[str, Seen], old: int, new: int) -> None:
        assert old == self.seq, "moved from where it is"
        self.records.update(remember)
        self.seq = new


class FakeDropFolder:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.reads = 0

    async def listing(self) -> dict[str, str]:
        return {name: str(hash(content)) for name, content in self.files.items()}

    async def read(self, name: str) -> bytes:
        self.reads += 1
        return self.files[name]


class FakeMseMemory:
    def __init__(self) -> None:
        self.files: set[tuple[str, str]] = set()
        self.published: dict[date, set[str]] = {}

    async def processed(self, names: Sequence[str]) -> set[tuple[str, str]]:
        return {f for f in self.files if f[0] in names}

    async def published_on(self, day: date) -> set[str]:
        return set(self.published.get(day, set()))

    async def record(self, drop: DropName, content_hash: str, plan: FilePlan) -> None:
        self.files.add((drop.name, content_hash))
        self.published.setdefault(drop.day, set()).update(plan.published_ids)


class FakeCheckpoints:
    def __init__(self) -> None:
        self.saved: dict[str, Checkpoint] = {}

    async def load(self, name: str) -> Checkpoint:
        return self.saved.get(name, Checkpoint())

    async def save(self, name: str, old: Checkpoint, new: Checkpoint) -> None:
        assert self.saved.get(name, Checkpoint()) == old, "moved from where it is"
        self.saved[name] = new
