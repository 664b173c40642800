"""The aiohttp-based transport under httpx (``benefits_shared.http_transport``), against a
real HTTP server on 127.0.0.1: what goes out, what comes back, and which httpx error a
caller sees for each way a partner can fail (the callers classify by them)."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from benefits_shared.http_transport import AiohttpTransport


@dataclass
class Partner:
    """A small HTTP/1.1 server: answers by path; counts connections and requests."""

    url: str = ""
    connections: int = 0
    requests: list[dict[str, object]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ")
                headers = dict(line.split(": ", 1) for line in lines[1:] if line)
                length = int(headers.get("Content-Length", "0"))
                body = await reader.readexactly(length)
                self.requests.append(
                    {"method": method, "path": path, "headers": headers, "body": body}
                )
                if not await self._answer(path, headers, body, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    async def _answer(
        self, path: str, headers: dict[str, str], body: bytes, writer: asyncio.StreamWriter
    ) -> bool:
        if path == "/hang":
            await self.release.wait()
            return False
        if path == "/drop":  # read the request, then close without a word
            return False
        if path == "/garbage":
            writer.write(b"this is not HTTP\r\n\r\n")
            await writer.drain()
            return False
        if path == "/gzip":
            payload, extra = gzip.compress(b'{"packed": true}'), "Content-Encoding: gzip\r\n"
        else:
            echo = {"headers": headers, "body": body.decode()}
            payload, extra = (
                json.dumps(echo).encode(),
                "Retry-After: 7\r\nX-Twice: a\r\nX-Twice: b\r\n",
            )
        status = "202 Accepted" if path == "/v1/messages" else "200 OK"
        writer.write(
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        await writer.drain()
        return True


@pytest.fixture
async def partner() -> AsyncIterator[Partner]:
    state = Partner()
    server = await asyncio.start_server(state.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    state.url = f"http://127.0.0.1:{port}"
    async with server:
        yield state
        state.release.set()


def client(partner: Partner, timeout: float = 5.0, connections: int = 4) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, keepalive_expiry=4.0)
    return httpx.AsyncClient(
        base_url=partner.url, timeout=timeout, transport=AiohttpTransport(limits)
    )


async def test_a_request_goes_out_as_httpx_built_it_and_the_answer_comes_back_whole(
    partner: Partner,
) -> None:
    async with client(partner) as http:
        answer = await http.post(
            "/v1/messages",
            json={"to": "+994501234567", "text": "Salam"},
            headers={"Idempotency-Key": "n-1"},
        )
    assert answer.status_code == 202
    assert answer.reason_phrase == "Accepted"
    assert answer.headers["Retry-After"] == "7"
    assert answer.headers.get_list("X-Twice") == ["a", "b"]
    sent = partner.requests[0]
    assert (sent["method"], sent["path"]) == ("POST", "/v1/messages")
    headers = answer.json()["headers"]
    assert headers["Idempotency-Key"] == "n-1"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(answer.json()["body"]) == {"to": "+994501234567", "text": "Salam"}


async def test_kept_alive_connections_are_used_again(partner: Partner) -> None:
    async with client(partner, connections=2) as http:
        for n in range(10):
            assert (await http.get(f"/v1/payments/M{n}/status")).status_code == 200
        await asyncio.gather(*(http.get("/v1/ping") for _ in range(10)))
    assert len(partner.requests) == 20
    assert partner.connections <= 2


async def test_a_compressed_answer_is_decoded_once(partner: Partner) -> None:
    async with client(partner) as http:
        assert (await http.get("/gzip")).json() == {"packed": True}


async def test_no_answer_in_the_read_time_out_is_a_read_time_out(partner: Partner) -> None:
    async with client(partner, timeout=0.3) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/hang", content=b"{}")


async def test_a_connection_closed_without_an_answer_is_not_taken_for_never_sent(
    partner: Partner,
) -> None:
    async with client(partner) as http:
        with pytest.raises(httpx.TransportError) as lost:
            await http.post("/drop", content=b"{}")
    assert not isinstance(lost.value, httpx.ConnectError | httpx.ConnectTimeout)
    assert partner.requests  # it did reach the partner


async def test_an_answer_that_is_not_http_is_a_protocol_error(partner: Partner) -> None:
    async with client(partner) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/garbage")


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once it is closed
    async with httpx.AsyncClient(transport=AiohttpTransport(), timeout=2) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/v1/ping")


async def test_no_free_connection_in_the_pool_time_out_is_a_connect_time_out(
    partner: Partner,
) -> None:
    timeout = httpx.Timeout(5.0, pool=0.3)
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(
        base_url=partner.url, timeout=timeout, transport=AiohttpTransport(limits)
    ) as http:
        hanging = asyncio.create_task(http.post("/hang", content=b"{}"))
        while not partner.requests:
            await asyncio.sleep(0.01)
        with pytest.raises(httpx.ConnectTimeout):
            await http.get("/v1/ping")  # never sent: the one connection is busy
        partner.release.set()
        with pytest.raises(httpx.TransportError):
            await hanging
    assert [r["path"] for r in partner.requests] == ["/hang"]
