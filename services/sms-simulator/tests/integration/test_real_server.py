"""The simulator as a real server: ``python -m sms_simulator`` on a free 127.0.0.1 port,
delivery reports received by a real HTTP callback server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from benefits_shared.local_ports import free_port

AZ_TEXT = "Sizə uşağın doğulmasına görə birdəfəlik müavinət təyin edildi: 250,00 AZN."


@dataclass
class CallbackServer:
    """A real HTTP server on 127.0.0.1 that keeps every report POSTed to it."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def url(self, server: ThreadingHTTPServer) -> str:
        return f"http://127.0.0.1:{server.server_address[1]}/delivery-reports"

    def wait_for(self, count: int, seconds: float = 15) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.reports) >= count, timeout=seconds)
            return list(self.reports)


@pytest.fixture
def callbacks() -> Iterator[tuple[CallbackServer, str]]:
    received = CallbackServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with received.arrived:
                received.reports.append(json.loads(body))
                received.arrived.notify_all()
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield received, received.url(server)
    server.shutdown()
    server.server_close()


def _start(tmp_path: Path, log: IO[bytes] | int) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m sms_simulator`` on a free port, its output (its JSON log) to ``log``."""
    port = free_port()
    env = {
        **os.environ,
        "SMS_SIM_PORT": str(port),
        "SMS_SIM_JOURNAL": str(tmp_path / "journal.jsonl"),
        "SMS_SIM_REPORT_DELAY_SECONDS": "0",
        "SMS_SIM_SEED": "11",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sms_simulator"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
    except BaseException:
        process.kill()
        raise
    return process, base


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[str]:
    process, base = _start(tmp_path, subprocess.DEVNULL)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the simulator exited at start"
        try:
            if httpx.get(f"{base}/_sim/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not come up")


def send(base: str, key: str, callback_url: str, **client: Any) -> httpx.Response:
    body = {"to": "+994551234567", "text": AZ_TEXT, "sender": "142", "callback_url": callback_url}
    return httpx.post(f"{base}/v1/messages", json=body, headers={"Idempotency-Key": key}, **client)


def test_accepted_messages_are_reported_to_the_callback_server(
    gateway: str, callbacks: tuple[CallbackServer, str]
) -> None:
    received, url = callbacks
    first = send(gateway, "notice-1", url)
    second = send(gateway, "notice-2", url)
    assert [first.status_code, second.status_code] == [202, 202]
    assert first.json()["segments"] == 2
    assert first.json()["encoding"] == "UCS2"
    reports = received.wait_for(2)
    assert sorted(r["message_id"] for r in reports) == sorted(
        [first.json()["message_id"], second.json()["message_id"]]
    )
    assert all(r["status"] == "DELIVERED" and r["error"] is None for r in reports)


def test_duplicated_reports_reach_the_callback_twice(
    gateway: str, callbacks: tuple[CallbackServer, str]
) -> None:
    received, url = callbacks
    httpx.post(f"{gateway}/_sim/faults", json={"duplicate_report_rate": 1.0})
    message_id = send(gateway, "notice-1", url).json()["message_id"]
    assert [r["message_id"] for r in received.wait_for(2)] == [message_id, message_id]


def test_a_dropped_connection_after_accept_is_retried_with_the_same_key(
    gateway: str, callbacks: tuple[CallbackServer, str]
) -> None:
    _, url = callbacks
    httpx.post(f"{gateway}/_sim/faults", json={"timeout_rate": 1.0, "timeout_mode": "drop"})
    with pytest.raises(httpx.RemoteProtocolError):
        send(gateway, "notice-1", url)
    httpx.post(f"{gateway}/_sim/faults", json={"timeout_rate": 0.0})
    retry = send(gateway, "notice-1", url)
    [accepted] = httpx.get(f"{gateway}/_sim/messages").json()
    assert (retry.status_code, retry.json()["message_id"]) == (202, accepted["message_id"])
    assert accepted["idempotency_key"] == "notice-1"


def test_a_late_answer_times_the_client_out_but_the_message_was_taken(
    gateway: str, callbacks: tuple[CallbackServer, str]
) -> None:
    _, url = callbacks
    httpx.post(f"{gateway}/_sim/faults", json={"timeout_rate": 1.0, "timeout_seconds": 60})
    with pytest.raises(httpx.ReadTimeout):
        send(gateway, "notice-1", url, timeout=0.5)
    httpx.post(f"{gateway}/_sim/faults", json={"timeout_rate": 0.0})
    retry = send(gateway, "notice-1", url)
    assert retry.status_code == 202
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert len(httpx.get(f"{gateway}/_sim/messages").json()) == 1
    assert httpx.get(f"{gateway}/_sim/messages/count").json() == {"count": 1}


def test_a_late_answer_in_hand_when_the_simulator_stops_leaves_no_traceback_in_its_log(
    tmp_path: Path, callbacks: tuple[CallbackServer, str]
) -> None:
    """uvicorn cancels what outlasts its graceful shutdown and says how many in one line;
    a held answer is not an error of the simulator, so no traceback follows (there was one
    per held answer: "Exception in ASGI application")."""
    _, url = callbacks
    with (tmp_path / "simulator.log").open("wb") as log:
        process, base = _start(tmp_path, log)
        try:
            httpx.post(f"{base}/_sim/faults", json={"timeout_rate": 1.0, "timeout_seconds": 60})
            with pytest.raises(httpx.ReadTimeout):
                send(base, "notice-1", url, timeout=0.5)
            assert httpx.get(f"{base}/_sim/messages/count").json() == {"count": 1}
        finally:
            process.terminate()
            process.wait(timeout=30)
    lines = (tmp_path / "simulator.log").read_text().splitlines()
    assert any("Finished server process" in line for line in lines)  # stopped, and logged
    errors = [json.loads(line) for line in lines if '"level": "error"' in line]
    assert [e["msg"] for e in errors] == [
        "Cancel 1 running task(s), timeout graceful shutdown exceeded"
    ]
    assert not any("exc" in e for e in errors)
