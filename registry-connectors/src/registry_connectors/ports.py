"""The connectors' ports: what the loops need from the outside, each with an adapter in
``adapters/`` and a fake in the unit tests."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Protocol

from registry_connectors.adapters.checkpoints import Checkpoint
from registry_connectors.adapters.population_registry import ChangesPage, PersonsPage
from registry_connectors.civil_feed import Page, Seen
from registry_connectors.mse_files import DropName, FilePlan
from registry_connectors.outgoing import Outgoing


class Acks(Protocol):
    async def wait(self) -> None:
        """Return once Kafka acknowledged every message of the batch; raise if any failed."""
        ...


class Publisher(Protocol):
    async def send(self, messages: Sequence[Outgoing]) -> Acks:
        """Hand the batch to Kafka; its acks come later."""
        ...

    async def publish(self, messages: Sequence[Outgoing]) -> None:
        """Send and wait for every ack."""
        ...

    async def partitions(self, topic: str) -> int:
        """How many partitions ``topic`` has."""
        ...


class RecordCount(Protocol):
    async def count(self) -> int:
        """How many records a topic holds now."""
        ...


class CivilFeed(Protocol):
    async def page(self, after: int, limit: int) -> Page: ...


class CivilMemory(Protocol):
    async def cursor(self) -> int: ...

    async def known(self, numbers: Collection[str]) -> dict[str, Seen]: ...

    async def commit(self, remember: Mapping[str, Seen], old: int, new: int) -> None:
        """Remember the record numbers and move the cursor from ``old`` to ``new``, at once."""
        ...


class DropFolder(Protocol):
    async def listing(self) -> dict[str, str]:
        """Every file name with a signature that changes when the file does (size, mtime)."""
        ...

    async def read(self, name: str) -> bytes:
        """The file's bytes; past the folder's size limit, only one byte more than it."""
        ...


class MseMemory(Protocol):
    async def processed(self, names: Sequence[str]) -> set[tuple[str, str]]: ...

    async def published_on(self, day: date) -> set[str]: ...

    async def record(self, drop: DropName, content_hash: str, plan: FilePlan) -> None: ...


class PopulationSource(Protocol):
    async def persons(self, after: str, limit: int) -> PersonsPage: ...

    async def changes(self, after: int, limit: int) -> ChangesPage: ...


class CheckpointStore(Protocol):
    async def load(self, name: str) -> Checkpoint: ...

    async def save(self, name: str, old: Checkpoint, new: Checkpoint) -> None:
        """Move the checkpoint from ``old`` to ``new``; refuse if it is not at ``old``."""
        ...
