"""Hedged calls: copies of a call that hangs far longer than the partner's answers."""

from __future__ import annotations

import asyncio

import pytest
from benefits_shared.hedging import COPIES, TIMES_TYPICAL, Hedger

AFTER = 0.01


class Partner:
    """Answers the calls in ``answers`` order: a string, an error, a delay then "late", or
    None to hang until cancelled."""

    def __init__(self, *answers: str | float | Exception | None) -> None:
        self._answers = list(answers)
        self.calls = 0
        self.cancelled = 0

    async def request(self) -> str:
        answer = self._answers[self.calls]
        self.calls += 1
        if answer is None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
        if isinstance(answer, float):
            await asyncio.sleep(answer)
            return "late"
        if isinstance(answer, Exception):
            raise answer
        assert answer is not None
        return answer


async def test_a_call_answered_in_time_is_not_copied() -> None:
    partner = Partner("first")
    assert await Hedger(AFTER, "test").call(partner.request) == "first"
    assert partner.calls == 1


async def test_a_call_that_hangs_is_copied_once_and_the_copy_answers() -> None:
    partner = Partner(None, "copy")
    assert await Hedger(AFTER, "test").call(partner.request) == "copy"
    await asyncio.sleep(0)  # the hung call's cancellation runs
    assert (partner.calls, partner.cancelled) == (2, 1)


async def test_a_copy_that_fails_first_decides() -> None:
    partner = Partner(None, ConnectionError("refused"))
    with pytest.raises(ConnectionError):
        await Hedger(AFTER, "test").call(partner.request)
    assert partner.calls == 2


async def test_a_call_and_its_copy_that_both_hang_get_a_second_copy() -> None:
    partner = Partner(None, None, "second copy")
    answer = await asyncio.wait_for(Hedger(AFTER, "test").call(partner.request), 5)
    assert answer == "second copy"
    await asyncio.sleep(0)
    assert (partner.calls, partner.cancelled) == (3, 2)


async def test_no_more_copies_than_allowed_are_sent() -> None:
    partner = Partner(*[None] * (1 + COPIES), "never asked")
    waiting = asyncio.ensure_future(Hedger(AFTER, "test").call(partner.request))
    await asyncio.sleep(20 * AFTER * COPIES)
    assert partner.calls == 1 + COPIES == 4
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(0)
    assert partner.cancelled == 1 + COPIES


async def test_a_partner_slow_for_everyone_is_not_sent_the_work_twice() -> None:
    hedger = Hedger(AFTER, "test")
    typical = 5 * AFTER
    for _ in range(3):  # (the first is copied: nothing is known of the partner yet)
        assert await hedger.call(Partner(*[typical] * (1 + COPIES)).request) == "late"
    assert hedger.hedge_after() >= TIMES_TYPICAL * typical
    slower = Partner(2 * typical)  # twice as slow as usual: not yet an outlier
    assert await hedger.call(slower.request) == "late"
    assert slower.calls == 1
