"""The chaos run's TCP proxy, in front of a real echo server: it forwards, holds traffic
while stalled and lets it through after, and cuts every open connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from benefits_shared.local_ports import free_port
from devstack.tcp_proxy import Mode, TcpProxy


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(1024):
        writer.write(data)
        await writer.drain()
    writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    server = await asyncio.start_server(_echo, "127.0.0.1", 0)
    target = server.sockets[0].getsockname()[1]
    proxy = TcpProxy("echo", free_port(), target)
    await asyncio.to_thread(proxy.start)
    yield proxy
    await asyncio.to_thread(proxy.stop)
    server.close()


async def _connect(proxy: TcpProxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", proxy.listen_port)


async def test_it_forwards_both_ways_and_with_latency(proxy: TcpProxy) -> None:
    reader, writer = await _connect(proxy)
    writer.write(b"ping")
    assert await asyncio.wait_for(reader.readexactly(4), 10) == b"ping"
    await asyncio.to_thread(proxy.set_mode, Mode.LATENCY, 50)
    writer.write(b"slow")
    assert await asyncio.wait_for(reader.readexactly(4), 10) == b"slow"
    writer.close()


async def test_a_stall_holds_everything_until_it_ends(proxy: TcpProxy) -> None:
    reader, writer = await _connect(proxy)
    await asyncio.to_thread(proxy.set_mode, Mode.STALL)
    writer.write(b"held")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(reader.readexactly(4), 1)
    late_reader, late_writer = await _connect(proxy)  # accepted, but silent too
    late_writer.write(b"late")
    await asyncio.to_thread(proxy.set_mode, Mode.PASS)
    assert await asyncio.wait_for(reader.readexactly(4), 10) == b"held"
    assert await asyncio.wait_for(late_reader.readexactly(4), 10) == b"late"
    writer.close()
    late_writer.close()


async def test_a_cut_closes_every_open_connection_and_new_ones_still_pass(
    proxy: TcpProxy,
) -> None:
    reader, writer = await _connect(proxy)
    writer.write(b"ping")
    assert await asyncio.wait_for(reader.readexactly(4), 10) == b"ping"
    assert await asyncio.to_thread(proxy.cut) == 2  # both ends of the one connection
    with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
        await asyncio.wait_for(reader.readexactly(1), 10)
    again_reader, again_writer = await _connect(proxy)
    again_writer.write(b"pong")
    assert await asyncio.wait_for(again_reader.readexactly(4), 10) == b"pong"
    again_writer.close()
    writer.close()
