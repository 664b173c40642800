"""Deciding, request by request, whether a simulated registry answers, and counting it all."""

from __future__ import annotations

from collections import Counter

from simulator_kit.faults import Chance
from simulator_kit.rate_limit import TokenBucket

from registry_simulators.errors import RateLimited, Unavailable
from registry_simulators.faults import FaultSwitch


class Stats:
    """What a simulator did since it started (or since the last reset), for tests and ops."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._latest: dict[str, int] = {}

    def count(self, name: str, amount: int = 1) -> None:
        self._counts[name] += amount

    def note(self, name: str, value: int) -> None:
        """Remember the latest value of ``name`` (e.g. the last ``seq`` served)."""
        self._latest[name] = value

    def snapshot(self) -> dict[str, int]:
        return {**dict(sorted(self._counts.items())), **self._latest}

    def reset(self) -> None:
        self._counts.clear()
        self._latest.clear()


class FaultGate:
    """The registry's front door: outages, the rate limit, random failures, slow answers."""

    def __init__(
        self, switch: FaultSwitch, chance: Chance, bucket: TokenBucket, stats: Stats
    ) -> None:
        self._switch = switch
        self._chance = chance
        self._bucket = bucket
        self._stats = stats

    def admit(self) -> float:
        """Raise when this request is refused; else how many seconds to wait before answering."""
        faults = self._switch.current
        self._stats.count("requests")
        if (retry_after := self._bucket.take(faults.rate_limit)) is not None:
            self._stats.count("rate_limited")
            raise RateLimited(retry_after)
        if faults.outage or self._chance.happens(faults.server_error_rate):
            self._stats.count("unavailable")
            raise Unavailable("outage" if faults.outage else "simulated failure")
        if self._chance.happens(faults.timeout_rate):
            self._stats.count("slow")
            return faults.timeout_seconds
        return 0.0

    def redelivered(self, limit: int) -> int:
        """How many already-delivered records a feed page of ``limit`` starts with."""
        faults = self._switch.current
        if limit < 2 or not self._chance.happens(faults.redelivery_rate):
            return 0
        return min(self._chance.upto(faults.redelivery_max), limit - 1)
