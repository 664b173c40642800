"""The civil registry's change feed: ``GET /v1/records?after=SEQ&limit=N`` (registries.md §1)."""

from __future__ import annotations

import httpx

from registry_connectors.adapters.registry_http import PageLimits, get_json, page_field
from registry_connectors.civil_feed import Page
from registry_connectors.raw_fields import MAX_SEQ

PATH = "/v1/records"


class CivilRegistryClient:
    def __init__(self, client: httpx.AsyncClient, limits: PageLimits | None = None) -> None:
        self._client = client
        self._limits = limits or PageLimits()

    async def page(self, after: int, limit: int) -> Page:
        params = {"after": after, "limit": limit}
        body = await get_json(self._client, PATH, params, self._limits)
        records = page_field(body, "records", list, PATH)
        return Page(records, page_field(body, "last_seq", int, PATH, MAX_SEQ))

    async def close(self) -> None:
        await self._client.aclose()
