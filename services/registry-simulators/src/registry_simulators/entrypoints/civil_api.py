"""``GET /v1/records?after=SEQ&limit=N``: the civil registry's change feed (registries.md §1).

Answers ``200 {"records": [...], "last_seq": S}``, records in ascending ``seq`` as the
data file holds them (gaps, malformed records and re-delivered ones included), through the
fault gate (429, 503, slow answers, re-delivery of the previous page's last records).
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from registry_simulators.adapters.feed_file import FeedFile
from registry_simulators.entrypoints.feed_pages import serve_feed_page
from registry_simulators.gate import FaultGate, Stats


def router(feed: FeedFile, gate: FaultGate, stats: Stats) -> APIRouter:
    api = APIRouter()

    @api.get("/v1/records")
    async def records(after: str | None = Query(None), limit: str | None = Query(None)) -> Response:
        return await serve_feed_page("records", feed, gate, stats, after, limit)

    return api
