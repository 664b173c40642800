"""One page of a change feed over HTTP: the civil records or the population changes."""

from __future__ import annotations

import asyncio

from fastapi.responses import Response

from registry_simulators import paging
from registry_simulators.adapters.feed_file import FeedFile
from registry_simulators.gate import FaultGate, Stats


async def serve_feed_page(
    key: str, feed: FeedFile, gate: FaultGate, stats: Stats, after: str | None, limit: str | None
) -> Response:
    """One page of a change feed (the civil records or the population changes)."""
    delay = gate.admit()
    start, size = paging.after_seq(after), paging.page_limit(limit)
    if delay:
        await asyncio.sleep(delay)
    again = gate.redelivered(size)
    page = feed.page(start, size, again)
    redelivered = sum(1 for seq, _ in page if seq <= start)
    stats.count(f"{key}_served", len(page) - redelivered)
    stats.count(f"{key}_redelivered", redelivered)
    if page:
        stats.note(f"{key}_last_seq", page[-1][0])
    return Response(paging.feed_page(key, page, start), media_type="application/json")
