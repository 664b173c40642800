"""Publishes the ticks: reads where the topic ends, sends the missing days.

Several tickers may run (ADR 0019): each joins the ticker's consumer group on the one
partition of ``clock-ticks``, and only the member the group assigns it to ticks; when it
dies, the group gives the partition to another within the session time-out. A tick sent
twice in the hand-over has the same event id (one per day), which every consumer's inbox
drops.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from benefits_shared.clock import Clock
from benefits_shared.contracts.clock import DayStarted
from benefits_shared.outages import KAFKA, OUTAGES, Backoff, is_transient, wait_or_stop

from clock_ticker import metrics
from clock_ticker.days import days_to_tick

log = logging.getLogger(__name__)
SOURCE = "/clock-ticker"
KEY = b"clock"
STANDBY_PAUSE_S = 1.0


class Ticker:
    def __init__(
        self,
        producer: AIOKafkaProducer,
        reader: AIOKafkaConsumer,
        topic: str,
        clock: Clock,
        start: date | None,
        interval_s: float,
        member: AIOKafkaConsumer | None = None,
    ) -> None:
        self._member = member
        self._leading = member is None
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
        """Connect, waiting with a backoff while the broker is away (a ticker restarted
        during a broker restart waits for it, ADR 0021)."""
        await OUTAGES.ride_out(KAFKA, self._producer.start)
        await OUTAGES.ride_out(KAFKA, self._reader.start)
        if self._member is not None:
            await OUTAGES.ride_out(KAFKA, self._member.start)

    async def close(self) -> None:
        if self._member is not None:
            await self._member.stop()
        await self._producer.stop()
        await self._reader.stop()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                pause = await self._round()
                backoff.reset()
            except Exception as exc:  # the broker away: the tracker says so once (ADR 0021)
                if not is_transient(exc):
                    raise
                OUTAGES.failed(KAFKA, exc)
                pause = backoff.pause()
            await wait_or_stop(self._stopping, pause)

    async def _round(self) -> float:
        """Tick if leading; the pause until the next round."""
        if await self.leading():
            await self.tick_once()
            OUTAGES.answered(KAFKA)
            return self._interval_s
        return min(self._interval_s, STANDBY_PAUSE_S)  # the group may assign it any moment

    async def leading(self) -> bool:
        """Whether this ticker's group assigns it the partition (always, without a group)."""
        if self._member is None:
            return True
        await self._member.getmany(timeout_ms=0)  # a poll: the group's liveness check
        leading = self._tp in self._member.assignment()
        if leading != self._leading:
            log.info("lead taken" if leading else "lead lost", extra={"lead": self._tp.topic})
            self._leading = leading
        return leading

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
