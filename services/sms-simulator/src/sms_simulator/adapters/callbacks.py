"""Delivery reports POSTed to each message's ``callback_url``, at least once, as planned.

Each is signed with the shared secret (``X-Report-Signature``, ADR 0017). A report that
the callback does not take (connection error or non-2xx) is sent again, a
bounded number of times with growing pauses. A held report (out of order) waits until the
report of a later message has gone out, or its delay at the latest.

At most ``in_flight`` reports are being POSTed at once, spread over several small HTTP
clients; the others wait their turn here, not in a client's connection pool. httpcore
looks over every queued request and every connection of its pool each time a request is
queued or one ends (encode/httpcore#928): with thousands of reports queued there, the
simulator spent its whole core in that scan, and under a burst it stopped answering
hand-overs; with the queue bounded, one pool of 64 connections still cost half its CPU
(an idle connection's check is a system call). Eight pools of eight cost an eighth of
that (ADR 24).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import cycle
from typing import Any

import httpx
from benefits_shared.clock import Clock
from benefits_shared.http_transport import KEEP_ALIVE_SECONDS
from benefits_shared.report_signature import HEADER, sign

from sms_simulator.delivery_reports import ReportPlan
from sms_simulator.messages import AcceptedMessage

log = logging.getLogger(__name__)
DUPLICATE_GAP_SECONDS = 0.05
#: Reports being POSTed at once, over ``POOLS`` clients of ``IN_FLIGHT // POOLS``
#: connections each (``pool_limits``).
IN_FLIGHT = 64
POOLS = 8


def share(in_flight: int = IN_FLIGHT, pools: int = POOLS) -> int:
    """Reports each of ``pools`` clients carries at once, of ``in_flight`` in all."""
    return max(1, in_flight // pools)


def pool_limits() -> httpx.Limits:
    """The connections of each of the ``POOLS`` clients: its share of ``IN_FLIGHT``."""
    return httpx.Limits(
        max_connections=share(),
        max_keepalive_connections=share(),
        keepalive_expiry=KEEP_ALIVE_SECONDS,  # let go before the notifier's uvicorn does
    )


@dataclass(frozen=True, slots=True)
class _Pool:
    client: httpx.AsyncClient
    turns: asyncio.Semaphore


class CallbackSender:
    def __init__(
        self,
        clients: Sequence[httpx.AsyncClient],
        clock: Clock,
        secret: str,
        *,
        attempts: int = 5,
        backoff: float = 0.5,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        each = share(in_flight, len(clients))
        self._pools = [_Pool(client, asyncio.Semaphore(each)) for client in clients]
        self._next_pool = cycle(self._pools)
        self._clock = clock
        self._secret = secret
        self._attempts = attempts
        self._backoff = backoff
        self._tasks: set[asyncio.Task[None]] = set()
        self._overtaken = asyncio.Event()
        self.sent: list[dict[str, Any]] = []

    def dispatch(self, message: AcceptedMessage, plan: ReportPlan) -> None:
        if plan.copies == 0:
            log.info("delivery report lost on purpose", extra={"message_id": message.message_id})
            return
        task = asyncio.get_running_loop().create_task(self._report(message, plan))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for pool in self._pools:
            await pool.client.aclose()

    async def _report(self, message: AcceptedMessage, plan: ReportPlan) -> None:
        if plan.held:
            await self._wait_to_be_overtaken(plan.delay_seconds)
        else:
            await asyncio.sleep(plan.delay_seconds)
        for copy in range(plan.copies):
            if copy:
                await asyncio.sleep(DUPLICATE_GAP_SECONDS)
            await self._post(message, plan)
        if not plan.held:
            self._overtaken.set()
            self._overtaken = asyncio.Event()

    async def _wait_to_be_overtaken(self, at_most: float) -> None:
        try:
            await asyncio.wait_for(self._overtaken.wait(), timeout=at_most)
        except TimeoutError:
            return

    async def _post(self, message: AcceptedMessage, plan: ReportPlan) -> None:
        report = {
            "message_id": message.message_id,
            "status": plan.status,
            "error": plan.error,
            "at": self._clock.now().isoformat(),
        }
        for attempt in range(self._attempts):
            if await self._try(message.callback_url, report):
                self.sent.append(report)
                return
            await asyncio.sleep(self._backoff * 2**attempt)
        log.warning("delivery report not taken", extra={"message_id": message.message_id})

    async def _try(self, url: str, report: dict[str, Any]) -> bool:
        body = json.dumps(report).encode()
        headers = {"Content-Type": "application/json", HEADER: sign(self._secret, body)}
        pool = next(self._next_pool)
        try:
            async with pool.turns:
                response = await pool.client.post(url, content=body, headers=headers)
        except httpx.HTTPError:
            return False
        return response.is_success
