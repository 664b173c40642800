"""The loop around every connector: retry transient failures, stop on permanent ones."""

import asyncio

import pytest
from benefits_shared.retry_policies import RetryPolicy
from registry_connectors.entrypoints.polling import Poller
from registry_connectors.errors import RateLimited, RegistryRefused, RegistryUnavailable


def quick_backoff() -> RetryPolicy:
    return RetryPolicy(0.001, 0.002, 0.01)


async def test_a_transient_failure_is_retried_until_the_step_succeeds() -> None:
    outcomes: list[Exception | None] = [
        RegistryUnavailable("503"),
        RateLimited("429", retry_after=0.001),
        TimeoutError(),
        None,
    ]
    calls = 0

    async def step() -> bool:
        nonlocal calls
        calls += 1
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome
        poller.stop()
        return False

    poller = Poller("test", step, 0.001, quick_backoff())
    await asyncio.wait_for(poller.run(), 10)
    assert calls == 4


async def test_a_permanent_failure_stops_the_loop() -> None:
    async def step() -> bool:
        raise RegistryRefused("400")

    with pytest.raises(RegistryRefused):
        await asyncio.wait_for(Poller("test", step, 0.001, quick_backoff()).run(), 10)


async def test_stop_ends_the_pause_at_once() -> None:
    async def step() -> bool:
        return False

    poller = Poller("test", step, 3600.0, quick_backoff())
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.01)
    poller.stop()
    await asyncio.wait_for(task, 5)
