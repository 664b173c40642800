"""A doorbell wakes one sleeper a ring, keeps a ring that came while nobody slept, and is
only a hint: unrung, a sleep lasts its time."""

from __future__ import annotations

import asyncio

from benefits_shared.doorbell import Doorbell

AN_HOUR = 3600.0


async def test_a_ring_wakes_one_sleeper_and_says_so() -> None:
    bell, stopping = Doorbell(), asyncio.Event()
    first, second = (asyncio.create_task(bell.sleep(AN_HOUR, stopping)) for _ in range(2))
    await asyncio.sleep(0)  # both are asleep
    bell.ring()
    assert await first is True
    assert not second.done()
    bell.ring()
    assert await second is True


async def test_a_ring_while_nobody_slept_ends_the_next_sleep_once() -> None:
    bell, stopping = Doorbell(), asyncio.Event()
    bell.ring()
    assert await bell.sleep(AN_HOUR, stopping) is True
    assert await bell.sleep(0.01, stopping) is False  # the ring was taken


async def test_a_stop_wakes_a_sleeper_unrung() -> None:
    bell, stopping = Doorbell(), asyncio.Event()
    sleeper = asyncio.create_task(bell.sleep(AN_HOUR, stopping))
    await asyncio.sleep(0)
    stopping.set()
    assert await sleeper is False


async def test_a_ring_after_a_sleep_ran_out_goes_to_the_next_sleep() -> None:
    bell, stopping = Doorbell(), asyncio.Event()
    assert await bell.sleep(0.01, stopping) is False
    bell.ring()  # nobody sleeps now: kept
    assert await bell.sleep(AN_HOUR, stopping) is True
