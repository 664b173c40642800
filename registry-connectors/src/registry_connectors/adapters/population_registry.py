"""The population registry (registries.md §3): the person listing and the change feed.

It rate-limits beyond a modest request rate, so the client keeps its own pace (at most
``requests_per_second``) and the caller obeys any ``429 Retry-After`` on top of it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from benefits_shared.pin import is_pin

from registry_connectors.adapters.registry_http import PageLimits, get_json, page_field
from registry_connectors.raw_fields import MAX_SEQ


@dataclass(frozen=True, slots=True)
class PersonsPage:
    persons: Sequence[object]
    last_pin: str


@dataclass(frozen=True, slots=True)
class ChangesPage:
    changes: Sequence[object]
    last_seq: int


class Pace:
    """Spaces requests at least ``1 / requests_per_second`` apart."""

    def __init__(self, requests_per_second: float) -> None:
        self._interval = 1.0 / requests_per_second
        self._next = 0.0

    async def wait(self) -> None:
        now = time.monotonic()
        if self._next > now:
            await asyncio.sleep(self._next - now)
        self._next = max(now, self._next) + self._interval


class PopulationRegistryClient:
    def __init__(
        self, client: httpx.AsyncClient, pace: Pace, limits: PageLimits | None = None
    ) -> None:
        self._client = client
        self._pace = pace
        self._limits = limits or PageLimits()

    async def persons(self, after: str, limit: int) -> PersonsPage:
        """``GET /v1/persons?after=PIN&limit=N``; ``after`` empty for the first page."""
        await self._pace.wait()
        path = "/v1/persons"
        body = await get_json(self._client, path, {"after": after, "limit": limit}, self._limits)
        persons = page_field(body, "persons", list, path)
        last = body.get("last_pin")
        if not is_pin(last):
            last = _last_pin(persons, after)
        return PersonsPage(persons, last)

    async def changes(self, after: int, limit: int) -> ChangesPage:
        await self._pace.wait()
        path = "/v1/changes"
        body = await get_json(self._client, path, {"after": after, "limit": limit}, self._limits)
        return ChangesPage(
            page_field(body, "changes", list, path),
            page_field(body, "last_seq", int, path, MAX_SEQ),
        )

    async def close(self) -> None:
        await self._client.aclose()


def _last_pin(persons: Sequence[object], after: str) -> str:
    pins = [str(p["pin"]) for p in persons if isinstance(p, dict) and is_pin(p.get("pin"))]
    return max([after, *pins])
