"""Claiming a window of due requests at once and handing them out as slots free.

A lane that claims only as many requests as slots are free claims one or two at a time
while the bank answers fast (a slot frees every few milliseconds), and each claim is a
transaction: measured at 20,000 accounts with 4 slots, 14,206 claims of 1.4 requests
each. ``ClaimAhead`` claims a whole window (the slots' number) when it has none in hand
and hands them out as slots free, so a claim serves a window of calls.

A request in hand is already leased (its attempt counted, due again after the lease), so
the lease must cover its wait in hand as well as its call: one waiting longer than
``max_wait`` is not started but dropped, to be due again when its lease ends (its
attempt counted once more; measured never to happen while the bank answers). ``give_back``
returns the ones in hand when the lane stops, so that a restart does not wait for their
leases.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class ClaimAhead(Generic[T]):
    def __init__(
        self,
        claim: Callable[[int], Awaitable[Sequence[T]]],
        window: int,
        max_wait: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._claim = claim
        self._window = window
        self._max_wait = max_wait
        self._clock = clock
        self._in_hand: deque[tuple[float, T]] = deque()  # (claimed at, request)

    async def take(self, limit: int) -> list[T]:
        """At most ``limit`` due requests: from those in hand, else from a new claim of a
        window (or of ``limit``, if more)."""
        self._drop_stale()
        if not self._in_hand:
            claimed_at = self._clock()
            claimed = await self._claim(max(limit, self._window))
            self._in_hand.extend((claimed_at, request) for request in claimed)
        taken = min(limit, len(self._in_hand))
        return [self._in_hand.popleft()[1] for _ in range(taken)]

    def give_back(self) -> list[T]:
        """The requests in hand, no longer; the caller makes them due again."""
        requests = [request for _, request in self._in_hand]
        self._in_hand.clear()
        return requests

    def _drop_stale(self) -> None:
        oldest = self._clock() - self._max_wait
        stale = 0
        while self._in_hand and self._in_hand[0][0] < oldest:
            self._in_hand.popleft()
            stale += 1
        if stale:
            log.warning(
                "claimed requests waited too long for a slot: left to their leases",
                extra={"requests": stale},
            )
