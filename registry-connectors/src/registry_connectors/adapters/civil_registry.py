"""The civil registry's change feed: ``GET /v1/records?after=SEQ&limit=N`` (registries.md §1)."""

from __future__ import annotations

import httpx

from registry_connectors.adapters.registry_http import get_json, page_field
from registry_connectors.civil_feed import Page

PATH = "/v1/records"


class CivilRegistryClient:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def page(self, after: int, limit: int) -> Page:
        body = await get_json(self._client, PATH, {"after": after, "limit": limit})
        records = page_field(body, "records", list, PATH)
        return Page(records, page_field(body, "last_seq", int, PATH))

    async def close(self) -> None:
        await self._client.aclose()
