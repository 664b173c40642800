"""A consumer group member that is replaced when its client stops being a member.

aiokafka runs a consumer's membership (heartbeats, rejoining) in background tasks that
report nothing to the caller when they stall. After a broker was SIGKILLed and came back,
fresh-clone test runs saw the engine's member dropped by the broker (its session expired
while the broker was still starting) and never rejoin: no heartbeat, no JoinGroup, no
error from ``getmany`` or ``commit``, for five minutes, with work waiting. The stall is
inside the client and was not reproduced in isolation; a service must ride it out anyway.

So a consumer loop asks the broker now and then (``every_s``) whether its member is in
the group, by the consumer's client id, which is unique per consumer. Absent for longer
than ``grace_s`` while the broker answers (a rebalance or a rejoin takes seconds), the
member is *wedged*: the loop replaces its consumer by a new one, which joins and resumes
from the committed offsets. What the old one handled and did not commit is delivered
again, and the handlers are idempotent (ADR 5). A broker that does not answer is an
outage, not a wedge: it counts nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from benefits_shared.connections import KafkaConnection, kafka_options
from benefits_shared.outages import KAFKA, OUTAGES, is_transient

log = logging.getLogger(__name__)

#: Makes a consumer of the group with the given client id (subscribed, not started).
ConsumerFactory = Callable[[str], AIOKafkaConsumer]

STOP_TIMEOUT_S = 10.0  # a wedged client may not leave its group politely


class Absence:
    """How long a member has been missing from its group, from the broker's answers."""

    def __init__(self, grace_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._grace_s, self._clock = grace_s, clock
        self._missing_since: float | None = None

    def seen(self, present: bool) -> bool:
        """Record one answer of the broker; True once the member is wedged."""
        now = self._clock()
        if present:
            self._missing_since = None
            return False
        if self._missing_since is None:
            self._missing_since = now
        return now - self._missing_since >= self._grace_s

    def reset(self) -> None:
        self._missing_since = None


def members_client_ids(described: list[Any], group: str) -> set[str] | None:
    """The client ids of the group's members in a DescribeGroups answer (None: no answer
    for the group, or an error code in it)."""
    for response in described:
        for entry in response.to_object()["groups"]:
            if entry["group"] == group:
                if entry["error_code"] != 0:
                    return None
                return {m["client_id"] for m in entry["members"]}
    return None


class GroupMember:
    """The current consumer of one group member, watched, and replaced when wedged.

    ``start()`` starts the consumer and the watch (a task asking the broker every
    ``every_s``); ``wedged`` is set once the member has been missing for ``grace_s``; the
    consumer loop then calls ``renew()``, which replaces the consumer and clears it.
    """

    def __init__(
        self,
        connection: str | KafkaConnection,
        group: str,
        make: ConsumerFactory,
        every_s: float = 10.0,
        grace_s: float = 45.0,
    ) -> None:
        self._connection, self.group, self._make = connection, group, make
        self._every_s = every_s
        self._absence = Absence(grace_s)
        self.client_id = self._new_client_id()
        self.consumer = make(self.client_id)
        self.wedged = asyncio.Event()
        self.renewals = 0
        self._watch: asyncio.Task[None] | None = None

    def _new_client_id(self) -> str:
        return f"{self.group}-{secrets.token_hex(4)}"

    async def start(self) -> None:
        await OUTAGES.ride_out(KAFKA, self.consumer.start)
        if self._watch is None:
            self._watch = asyncio.create_task(self._watching(), name=f"watch {self.group}")

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        await self.consumer.stop()

    async def renew(self) -> None:
        """Replace the consumer by a new one of the same group, started."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.consumer.stop(), STOP_TIMEOUT_S)
        self.client_id = self._new_client_id()
        self.consumer = self._make(self.client_id)
        self._absence.reset()
        self.wedged.clear()
        self.renewals += 1
        log.warning(
            "consumer renewed: its member was out of the group and did not rejoin",
            extra={"group": self.group, "renewals": self.renewals},
        )
        await self.start()

    async def _watching(self) -> None:
        while True:
            await asyncio.sleep(self._every_s)
            if self.wedged.is_set():
                continue  # the loop renews between batches
            ids = await self._client_ids()
            if ids is not None and self._absence.seen(self.client_id in ids):
                log.warning(
                    "consumer wedged: its member is out of the group and does not rejoin",
                    extra={"group": self.group},
                )
                self.wedged.set()

    async def _client_ids(self) -> set[str] | None:
        """The client ids of the group's members; None when the broker did not say."""
        admin = AIOKafkaAdminClient(**kafka_options(self._connection), request_timeout_ms=5_000)
        try:
            await admin.start()
            described = await admin.describe_consumer_groups([self.group])
            return members_client_ids(described, self.group)
        except Exception as exc:
            if not is_transient(exc):  # not allowed to describe its group, say: no watch
                log.warning(
                    "cannot ask the broker about the group; its member goes unwatched",
                    extra={"group": self.group, "error": repr(exc)},
                )
                self._every_s = float("inf")
            return None  # the broker away: an outage, reported by the parts that need it
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
