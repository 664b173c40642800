"""Asking a registry over HTTP, and classifying what went wrong (the only HTTP-aware code).

``200`` with JSON is an answer. ``429`` is :class:`RateLimited` with its ``Retry-After``;
``5xx`` (503 above all), a time-out, a refused or dropped connection and a body that is
not JSON are :class:`RegistryUnavailable`; any other status is :class:`RegistryRefused`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from benefits_shared.retry_policies import retry_after_seconds

from registry_connectors.errors import RateLimited, RegistryRefused, RegistryUnavailable


async def get_json(client: httpx.AsyncClient, path: str, params: Mapping[str, str | int]) -> Any:
    """The decoded JSON of ``GET path?params``, or a classified error."""
    try:
        response = await client.get(path, params=dict(params))
    except httpx.TimeoutException as exc:
        raise RegistryUnavailable(f"GET {path} timed out ({type(exc).__name__})") from exc
    except httpx.TransportError as exc:
        raise RegistryUnavailable(f"GET {path} failed: {type(exc).__name__}") from exc
    _check_status(path, response)
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise RegistryUnavailable(f"GET {path} answered 200 with a body that is not JSON") from exc


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


def page_field(body: Any, name: str, kind: type, path: str) -> Any:
    """A top-level field of a page, of the documented type, or the page is unusable."""
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise RegistryUnavailable(f"GET {path} answered a page without a valid {name!r}")
    return value
