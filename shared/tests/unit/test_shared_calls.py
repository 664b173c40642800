"""Callers that ask at the same moment share one call; each gets its own result."""

from __future__ import annotations

import asyncio

import pytest
from benefits_shared.shared_calls import SharedCall


class Calls:
    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.release = asyncio.Event()
        self.fail: Exception | None = None

    async def __call__(self, n: int) -> list[str]:
        self.sizes.append(n)
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return [f"call{len(self.sizes)}-{i}" for i in range(n)]


async def test_callers_waiting_together_share_one_call_and_each_gets_its_own_result() -> None:
    calls = Calls()
    shared = SharedCall(calls)
    first = asyncio.create_task(shared.ask())
    await asyncio.sleep(0)  # the first call starts with one caller
    later = [asyncio.create_task(shared.ask()) for _ in range(3)]
    await asyncio.sleep(0)
    calls.release.set()
    results = await asyncio.gather(first, *later)
    assert calls.sizes == [1, 3]
    assert results == ["call1-0", "call2-0", "call2-1", "call2-2"]
    assert (shared.calls, shared.served) == (2, 4)


async def test_no_call_is_given_more_callers_than_its_most() -> None:
    calls = Calls()
    calls.release.set()
    shared = SharedCall(calls, most=2)
    results = await asyncio.gather(*(shared.ask() for _ in range(5)))
    assert calls.sizes == [2, 2, 1]
    assert len(set(results)) == 5


async def test_a_failed_call_raises_in_each_of_its_callers_and_the_next_call_is_made() -> None:
    calls = Calls()
    calls.fail = RuntimeError("database away")
    calls.release.set()
    shared = SharedCall(calls)
    outcomes = await asyncio.gather(shared.ask(), shared.ask(), return_exceptions=True)
    assert [str(o) for o in outcomes] == ["database away", "database away"]
    calls.fail = None
    assert await shared.ask() == "call2-0"


async def test_a_call_that_returns_fewer_results_than_callers_fails_them() -> None:
    async def short(n: int) -> list[str]:
        return ["only one"]

    shared = SharedCall(short)
    outcomes = await asyncio.gather(shared.ask(), shared.ask(), return_exceptions=True)
    assert all(isinstance(o, ValueError) for o in outcomes)


async def test_a_caller_cancelled_while_its_call_runs_leaves_the_others_served() -> None:
    calls = Calls()
    shared = SharedCall(calls)
    gone = asyncio.create_task(shared.ask())
    kept = asyncio.create_task(shared.ask())
    while not calls.sizes:  # the call has begun, for both
        await asyncio.sleep(0)
    gone.cancel()
    calls.release.set()
    assert (calls.sizes, await kept) == ([2], "call1-1")
    with pytest.raises(asyncio.CancelledError):
        await gone
