"""Asking a registry over HTTP, and classifying what went wrong (the only HTTP-aware code).

``200`` with JSON is an answer. ``429`` is :class:`RateLimited` with its ``Retry-After``;
``5xx`` (503 above all), a time-out, a refused or dropped connection and a body that is
not JSON are :class:`RegistryUnavailable`; any other status is :class:`RegistryRefused`.

The body is read as a stream and never further than :class:`PageLimits` allow: a page
longer than ``max_bytes`` (a registry gone wrong, or a body that never ends) or one that
takes longer than ``seconds`` in all (a trickle that each read time-out would allow) is
:class:`RegistryUnavailable` too, and so is a ``200`` with an HTML page (a proxy's or a
maintenance page): the connector backs off and asks the same page again, it never reads
such a page as records.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from benefits_shared.retry_policies import retry_after_seconds

from registry_connectors.errors import RateLimited, RegistryRefused, RegistryUnavailable


@dataclass(frozen=True, slots=True)
class PageLimits:
    """How much of one answer is read: bytes, and seconds for the whole of it."""

    max_bytes: int = 32 * 1024 * 1024
    seconds: float = 60.0


async def get_json(
    client: httpx.AsyncClient,
    path: str,
    params: Mapping[str, str | int],
    limits: PageLimits = PageLimits(),
) -> Any:
    """The decoded JSON of ``GET path?params``, or a classified error."""
    try:
        async with asyncio.timeout(limits.seconds):
            body, kind = await _read(client, path, params, limits.max_bytes)
    except TimeoutError as exc:
        raise RegistryUnavailable(f"GET {path} did not end within {limits.seconds} s") from exc
    except httpx.TimeoutException as exc:
        raise RegistryUnavailable(f"GET {path} timed out ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise RegistryUnavailable(f"GET {path} failed: {type(exc).__name__}") from exc
    if "html" in kind:
        raise RegistryUnavailable(f"GET {path} answered 200 with an HTML page, not JSON")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise RegistryUnavailable(f"GET {path} answered 200 with a body that is not JSON") from exc


async def _read(
    client: httpx.AsyncClient, path: str, params: Mapping[str, str | int], max_bytes: int
) -> tuple[bytes, str]:
    """The body and its content type, read no further than ``max_bytes``."""
    async with client.stream("GET", path, params=dict(params)) as response:
        _check_status(path, response)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise RegistryUnavailable(f"GET {path} answered more than {max_bytes} bytes")
        return bytes(body), response.headers.get("Content-Type", "").lower()


def _check_status(path: str, response: httpx.Response) -> None:
    status = response.status_code
    if status == 200:
        return
    retry_after = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
    if status == 429:
        raise RateLimited(f"GET {path} answered 429", retry_after)
    if status >= 500:
        raise RegistryUnavailable(f"GET {path} answered {status}", retry_after)
    raise RegistryRefused(f"GET {path} answered {status}")


def page_field(body: Any, name: str, kind: type, path: str, at_most: int | None = None) -> Any:
    """A top-level field of a page, of the documented type, or the page is unusable."""
    value = body.get(name) if isinstance(body, dict) else None
    too_large = at_most is not None and isinstance(value, int) and not 0 <= value <= at_most
    if not isinstance(value, kind) or isinstance(value, bool) or too_large:
        raise RegistryUnavailable(f"GET {path} answered a page without a valid {name!r}")
    return value
