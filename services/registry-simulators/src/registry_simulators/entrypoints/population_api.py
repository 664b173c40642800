"""The population registry's API (registries.md §3).

- ``GET /v1/persons/{pin}`` → 200 the person, or 404.
- ``POST /v1/persons:batchGet`` ``{"pins": [...]}`` (≤ 1000) →
  ``200 {"persons": [...], "missing": [...]}``, both in the order asked, without repeats.
- ``GET /v1/persons?after=PIN&limit=N`` → ``{"persons": [...], "last_pin": P}`` ascending PIN.
- ``GET /v1/changes?after=SEQ&limit=N`` → ``{"changes": [...], "last_seq": S}``.

Every call goes through the fault gate; the real registry rate-limits (429, ``Retry-After``).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from registry_simulators import paging
from registry_simulators.adapters.feed_file import FeedFile
from registry_simulators.adapters.person_files import PersonFiles
from registry_simulators.entrypoints.feed_pages import serve_feed_page
from registry_simulators.errors import BadRequest, NotFound
from registry_simulators.gate import FaultGate, Stats


class BatchGet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pins: list[str] = Field(max_length=paging.MAX_LIMIT)


def router(people: PersonFiles, changes: FeedFile, gate: FaultGate, stats: Stats) -> APIRouter:
    api = APIRouter()

    @api.get("/v1/persons/{pin}")
    async def person(pin: str) -> Response:
        await _admitted(gate)
        found = people.person(pin)
        if found is None:
            raise NotFound("no person with that PIN")
        stats.count("persons_served")
        return _json(found)

    @api.post("/v1/persons:batchGet")
    async def batch_get(request: Request) -> Response:
        await _admitted(gate)
        asked = list(dict.fromkeys(_batch_pins(await request.body())))
        found = people.people(asked)
        stats.count("persons_served", len(found))
        persons = b", ".join(found[pin] for pin in asked if pin in found)
        missing = paging.json_list([pin for pin in asked if pin not in found])
        return _json(b'{"persons": [%s], "missing": %s}' % (persons, missing))

    @api.get("/v1/persons")
    async def listing(after: str = Query(""), limit: str | None = Query(None)) -> Response:
        await _admitted(gate)
        page = people.listing(after, paging.page_limit(limit))
        stats.count("persons_listed", len(page))
        return _json(paging.listing_page(page, after))

    @api.get("/v1/changes")
    async def changes_page(
        after: str | None = Query(None), limit: str | None = Query(None)
    ) -> Response:
        return await serve_feed_page("changes", changes, gate, stats, after, limit)

    return api


def _batch_pins(raw: bytes) -> list[str]:
    try:
        return BatchGet.model_validate_json(raw).pins
    except ValidationError:
        raise BadRequest(
            f'the body must be {{"pins": [...]}} with at most {paging.MAX_LIMIT}'
        ) from None


async def _admitted(gate: FaultGate) -> None:
    if delay := gate.admit():
        await asyncio.sleep(delay)


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")
