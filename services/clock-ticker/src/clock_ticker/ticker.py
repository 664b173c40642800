"""Publishes the ticks: reads where the topic ends, sends the missing days."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from benefits_shared.clock import Clock
from benefits_shared.contracts.clock import DayStarted

from clock_ticker import metrics
from clock_ticker.days import days_to_tick

log = logging.getLogger(__name__)
SOURCE = "/clock-ticker"
KEY = b"clock"


class Ticker:
    def __init__(
        self,
        producer: AIOKafkaProducer,
        reader: AIOKafkaConsumer,
        topic: str,
        clock: Clock,
        start: date | None,
        interval_s: float,
    ) -> None:
        self._producer = producer
        self._reader = reader
        self._tp = TopicPartition(topic, 0)
        self._clock = clock
        self._start = start
        self._interval_s = interval_s
        self._stopping = asyncio.Event()

    @property
    def producer(self) -> AIOKafkaProducer:
        return self._producer

    async def start(self) -> None:
        await self._producer.start()
        await self._reader.start()

    async def close(self) -> None:
        await self._producer.stop()
        await self._reader.stop()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            await self.tick_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval_s)

    async def tick_once(self) -> int:
        today = self._clock.today()
        days = days_to_tick(await self.last_ticked(), self._start or today, today)
        futures = [await self._send(day) for day in days]
        await asyncio.gather(*futures)
        metrics.ticked(days)
        if days:
            log.info("ticked", extra={"first": str(days[0]), "last": str(days[-1])})
        return len(days)

    async def _send(self, day: date) -> asyncio.Future[object]:
        event = DayStarted(day=day).to_cloudevent(SOURCE, self._clock.now(), None)
        sent: asyncio.Future[object] = await self._producer.send(
            self._tp.topic, value=event.value(), key=KEY, headers=event.headers()
        )
        return sent

    async def last_ticked(self) -> date | None:
        """The day of the last tick on the topic (None if it is empty)."""
        end = (await self._reader.end_offsets([self._tp]))[self._tp]
        if end == 0:
            return None
        self._reader.assign([self._tp])
        self._reader.seek(self._tp, end - 1)
        batch = await self._reader.getmany(self._tp, timeout_ms=10_000)
        self._reader.unsubscribe()
        records = batch.get(self._tp, [])
        if not records:
            raise RuntimeError("could not read the last clock tick")
        return DayStarted.model_validate_json(records[-1].value).day
