"""Every consumer group's position read from the broker, as metrics.

Each service sets its own lag gauge after each batch (``benefits_consumer_lag_records``),
so a consumer that stops, or hangs inside a batch, leaves it where it was. The ops service
reads every group's committed offsets and the logs' ends from the broker every
``every_s`` seconds and exports them per group (``ops_consumer_group_lag_records``,
``ops_consumer_group_committed_offsets``): a group with records waiting whose committed
offsets do not move is stalled, whatever its members say (the alert
``BenefitsConsumerStalled``). A group no longer on the broker loses its series. A broker
that does not answer is logged once per outage and the last values stay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from aiokafka.errors import KafkaError
from benefits_shared.connections import KafkaConnection

from benefits_ops.adapters.kafka_records import GroupPosition, group_positions
from benefits_ops.metrics import GROUP_COMMITTED, GROUP_LAG

log = logging.getLogger(__name__)
EVERY_SECONDS = 30.0


class LagWatch:
    def __init__(
        self,
        bootstrap: str | KafkaConnection,
        topics: Sequence[str],
        every_s: float = EVERY_SECONDS,
    ) -> None:
        self._bootstrap = bootstrap
        self._topics = tuple(topics)
        self._every_s = every_s
        self._stopping = asyncio.Event()
        self._shown: set[str] = set()
        self._failing = False

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            await self.look()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._every_s)

    async def look(self) -> None:
        """Read every group's position once and show it."""
        try:
            positions = await group_positions(self._bootstrap, self._topics)
        except (KafkaError, OSError) as failure:
            if not self._failing:
                log.warning("group positions not read", extra={"error": repr(failure)[:300]})
            self._failing = True
            return
        self._failing = False
        self.show(positions)

    def show(self, positions: dict[str, GroupPosition]) -> None:
        for group, at in positions.items():
            GROUP_LAG.labels(group).set(at.lag)
            GROUP_COMMITTED.labels(group).set(at.committed)
        for gone in self._shown - positions.keys():
            GROUP_LAG.remove(gone)
            GROUP_COMMITTED.remove(gone)
        self._shown = set(positions)
