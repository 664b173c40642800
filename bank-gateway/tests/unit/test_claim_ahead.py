"""Claiming a window at once: one claim serves a window of calls, requests are handed out
no more than asked for, in the order claimed; one held too long is dropped (its lease
makes it due again), and the ones in hand are given back at the end."""

from __future__ import annotations

from collections.abc import Sequence

from bank_gateway.claim_ahead import ClaimAhead


class Due:
    """Requests 0, 1, 2, … due in turn; the limit of each claim noted."""

    def __init__(self, total: int) -> None:
        self.next, self.total, self.claims = 0, total, list[int]()

    async def claim(self, limit: int) -> Sequence[int]:
        self.claims.append(limit)
        taken = list(range(self.next, min(self.total, self.next + limit)))
        self.next += len(taken)
        return taken


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_one_claim_serves_a_window_of_single_slots() -> None:
    due = Due(10)
    ahead = ClaimAhead(due.claim, window=4, max_wait=10.0)
    taken = [await ahead.take(1) for _ in range(8)]
    assert taken == [[i] for i in range(8)]  # one each, in the order claimed
    assert due.claims == [4, 4]  # two claims of a window, not eight of one


async def test_a_take_larger_than_the_window_claims_that_many() -> None:
    due = Due(100)
    ahead = ClaimAhead(due.claim, window=4, max_wait=10.0)
    assert await ahead.take(6) == [0, 1, 2, 3, 4, 5]
    assert due.claims == [6]


async def test_requests_in_hand_are_handed_out_before_a_new_claim() -> None:
    due = Due(6)
    ahead = ClaimAhead(due.claim, window=4, max_wait=10.0)
    assert await ahead.take(3) == [0, 1, 2]
    assert await ahead.take(3) == [3]  # what is in hand, without a claim
    assert await ahead.take(3) == [4, 5]
    assert await ahead.take(3) == []  # nothing due
    assert due.claims == [4, 4, 4]


async def test_a_request_held_longer_than_its_wait_is_dropped_not_started() -> None:
    due, clock = Due(100), Clock()
    ahead = ClaimAhead(due.claim, window=4, max_wait=10.0, clock=clock)
    assert await ahead.take(1) == [0]
    clock.now = 10.5  # 1, 2 and 3 have waited too long: their leases may be ending
    assert await ahead.take(1) == [4]
    assert due.claims == [4, 4]


async def test_the_requests_in_hand_are_given_back() -> None:
    due = Due(100)
    ahead = ClaimAhead(due.claim, window=4, max_wait=10.0)
    assert await ahead.take(1) == [0]
    assert ahead.give_back() == [1, 2, 3]
    assert ahead.give_back() == []
    assert await ahead.take(1) == [4]  # a new claim: those given back are the store's again
