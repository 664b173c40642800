"""An httpx transport on aiohttp's client: the partner clients keep ``httpx.AsyncClient``.

httpx's own transport (httpcore over anyio and h11) cost about 1.4 ms of CPU per small
POST on this machine; the same client over this transport about 0.25 ms, aiohttp alone
0.08 ms (ADR 26). The services call partners thousands of times a minute, so the callers
keep httpx's API (``MeteredTransport``, ``httpx.MockTransport`` in unit tests) and only
the wire under it changes.

What a caller sees is httpx's, so it classifies failures as before:

- nothing was sent (refused, no route, a TLS handshake that failed, the connect time-out,
  no free connection in time): ``httpx.ConnectError`` or ``httpx.ConnectTimeout``;
- the request may have reached the partner (no answer in the read time-out, the
  connection lost mid-answer, an answer that is not HTTP): ``httpx.ReadTimeout``,
  ``httpx.RemoteProtocolError`` or ``httpx.ReadError``: the outcome is unknown.

The time-outs are the client's (``httpx.Timeout``): ``connect`` bounds the TCP and TLS
set-up, ``pool`` the wait for a free connection, ``read`` each wait for the answer's
bytes. ``httpx.Limits`` bounds the connections: ``max_connections`` in all (none: no
bound) and ``keepalive_expiry`` for an idle one. Redirects are not followed and bodies
are passed through as sent (``Content-Encoding`` is decoded by httpx, as with its own
transport). Server certificates are checked against certifi's roots, as httpx does.
"""

from __future__ import annotations

import functools
import math
import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import certifi
import httpx

#: aiohttp's defaults that httpx has already set (or deliberately not) on the request.
_HTTPX_SETS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
#: How long a partner client keeps an idle connection: below a server's usual idle limit
#: (uvicorn's is 5 s), so that we close it before the partner does and never send on a
#: connection it is closing (``httpx.Limits.keepalive_expiry`` of every partner client).
KEEP_ALIVE_SECONDS = 4.0


class AiohttpTransport(httpx.AsyncBaseTransport):
    def __init__(self, limits: httpx.Limits | None = None) -> None:
        self._limits = limits or httpx.Limits()
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        try:
            async with self._open().request(
                request.method,
                str(request.url),
                data=body or None,
                headers=[
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
                ],
                timeout=_timeout(request.extensions.get("timeout", {})),
                allow_redirects=False,
            ) as answer:
                content = await answer.read()
        except aiohttp.ConnectionTimeoutError as exc:  # before a byte was sent
            raise httpx.ConnectTimeout(str(exc) or "connect time-out", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except TimeoutError as exc:  # aiohttp's socket read time-out is one
            raise httpx.ReadTimeout(str(exc) or "read time-out", request=request) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientResponseError) as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        return httpx.Response(
            answer.status,
            headers=list(answer.raw_headers),
            stream=httpx.ByteStream(content),
            request=request,
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": (answer.reason or "").encode(),
            },
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _open(self) -> aiohttp.ClientSession:
        """The session, made on the first call (aiohttp binds it to the running loop)."""
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._limits.max_connections or 0,
                limit_per_host=0,
                keepalive_timeout=self._limits.keepalive_expiry,  # None: no expiry, as httpx
                ssl=_certifi_roots(),
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                skip_auto_headers=_HTTPX_SETS,
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=_timeout({}),
            )
        return self._session


@functools.cache
def _certifi_roots() -> ssl.SSLContext:
    """One context per process: loading the roots costs milliseconds, and a process may
    hold several transports (the SMS simulator, eight)."""
    return ssl.create_default_context(cafile=certifi.where())


def _timeout(timeouts: Mapping[str, Any]) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(
        total=None,
        ceil_threshold=math.inf,  # to the fraction asked, not up to the next whole second
        connect=timeouts.get("pool"),
        sock_connect=timeouts.get("connect"),
        sock_read=timeouts.get("read"),
    )
