"""When the stack is ready: a broker that answers is not enough, a group coordinator must.

A new broker has no ``__consumer_offsets`` topic until the first request for a group
coordinator creates it; until that topic is loaded every group request (a consumer
joining, an observer reading the committed offsets) fails with "coordinator not
available". ``devstack up`` asks once and waits for the answer, so the first ``make run``
on a fresh machine starts on a broker that is ready for consumer groups.
"""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient

from devstack.outages import Outages

PROBE_GROUP = "devstack-readiness"


async def wait_for_group_coordinator(bootstrap: str, timeout_s: float = 120.0) -> None:
    """Return once a group coordinator answers a request for a group's offsets."""
    await Outages(give_up_after_s=timeout_s).ride_out(
        "Kafka's group coordinator", lambda: _ask_coordinator(bootstrap)
    )


async def _ask_coordinator(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        await admin.start()
        await admin.list_consumer_group_offsets(PROBE_GROUP)
    finally:
        await admin.close()
