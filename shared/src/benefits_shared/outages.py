"""Which of a service's dependencies (Kafka, PostgreSQL) is away, since when (ADR 0021).

While the broker restarts or PostgreSQL recovers from a crash, every part of a service
retries with a backoff, and a log line per failed attempt would bury what happened (the
bank gateway once wrote 2,980 lines in 30 s). The parts report to the process's tracker
instead (:data:`OUTAGES`): :meth:`Outages.failed` on a failure that asking again may cure,
:meth:`Outages.answered` when the dependency did its work. The tracker writes one line
when a dependency goes away (``kafka unreachable since …``) and one when it answers again
(``kafka answers again after N s``), never one per attempt; ``/readyz`` lists what is away
and for how long (``benefits_shared.health``). aiokafka's own per-attempt lines are
turned into reports by :class:`KafkaClientChatter` (installed by ``json_logging``), and a
:class:`DependencyWatch` part of every service asks an away dependency now and then, so
the "answers again" line comes even while no part has work for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from aiokafka.errors import KafkaError, KafkaTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from benefits_shared.errors import TransientError

log = logging.getLogger(__name__)
T = TypeVar("T")

KAFKA = "kafka"
POSTGRESQL = "postgresql"
SETTLE_S = 1.0


@dataclass
class Away:
    """A dependency that does not answer: since when and why, and how often it failed."""

    since: datetime
    started: float  # monotonic
    reason: str
    last_failed: float  # monotonic
    failures: int = 1


class Outages:
    """The state of each dependency, reported by the parts; one log line per change."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.away: dict[str, Away] = {}
        self.changes = 0  # state changes logged, for tests and metrics

    def failed(self, dependency: str, error: BaseException | str) -> None:
        """``dependency`` did not answer (an error that is no outage, a deadlock say, is
        not counted: the dependency answered)."""
        if isinstance(error, BaseException) and not is_outage(error):
            return
        if (known := self.away.get(dependency)) is not None:
            known.failures += 1
            known.last_failed = self._clock()
            return
        reason = error if isinstance(error, str) else describe(error)
        now = self._clock()
        self.away[dependency] = Away(datetime.now(UTC), now, reason, now)
        self.changes += 1
        log.warning(
            "%s unreachable since %s (%s): retrying with backoff",
            dependency,
            self.away[dependency].since.isoformat(timespec="seconds"),
            reason,
            extra={"dependency": dependency, "state": "away", "reason": reason},
        )

    def answered(self, dependency: str) -> None:
        """``dependency`` did its work: it is back once no part has seen it fail for
        ``SETTLE_S`` (a server going down answers some calls and refuses others: one
        line each way, not a line per call that slipped through)."""
        known = self.away.get(dependency)
        if known is None or self._clock() - known.last_failed < SETTLE_S:
            return
        del self.away[dependency]
        seconds = round(self._clock() - known.started, 1)
        self.changes += 1
        log.warning(
            "%s answers again after %s s",
            dependency,
            seconds,
            extra={
                "dependency": dependency,
                "state": "back",
                "away_s": seconds,
                "failures": known.failures,
            },
        )

    async def ride_out(
        self, dependency: str, call: Callable[[], Awaitable[T]], backoff: Backoff | None = None
    ) -> T:
        """``call()``'s result, asking again with a backoff while ``dependency`` is away
        (a service started while the broker restarts waits for it)."""
        backoff = backoff or Backoff()
        while True:
            try:
                result = await call()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self.failed(dependency_of(exc, dependency), exc)
                await asyncio.sleep(backoff.pause())
                continue
            self.answered(dependency)
            return result

    def is_away(self, dependency: str) -> bool:
        return dependency in self.away

    def problems(self) -> list[str]:
        """For ``/readyz``: each dependency away, for how long and why."""
        now = self._clock()
        return [
            f"{name}: unreachable for {now - a.started:.0f} s since "
            f"{a.since.isoformat(timespec='seconds')} ({a.reason}; {a.failures} failed attempts)"
            for name, a in sorted(self.away.items())
        ]


#: The process's tracker: every part of a service reports to it.
OUTAGES = Outages()


def describe(error: BaseException) -> str:
    """The error's type and the first line of its text (no personal data in either: the
    errors reported here are about connections, not records)."""
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def dependency_of(error: BaseException, default: str) -> str:
    """Kafka for a Kafka client's error, else ``default`` (what the part was calling)."""
    return KAFKA if isinstance(error, KafkaError) else default


RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
#: Connection exceptions (08…), a server shutting down or starting (57P01–57P03: after a
#: crash PostgreSQL answers "the database system is starting up" for a while), out of
#: connections or memory (53…): the server, not the statement, is the problem.
RETRYABLE_SQLSTATE_CLASSES = ("08", "57P", "53")


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")


def is_outage(exc: BaseException) -> bool:
    """Kafka or PostgreSQL did not answer (not: a statement lost a race to another)."""
    if isinstance(exc, DBAPIError):
        if _sqlstate(exc) in RETRYABLE_SQLSTATES:
            return False
        return (
            bool(exc.connection_invalidated)
            or isinstance(exc, OperationalError | InterfaceError)
            or _sqlstate(exc).startswith(RETRYABLE_SQLSTATE_CLASSES)
        )
    if isinstance(exc, OSError | TimeoutError | KafkaTimeoutError):
        return True
    if type(exc).__module__.startswith("asyncpg") and "Connection" in type(exc).__name__:
        return True  # asyncpg's own, unwrapped: the connection was lost under a call
    return isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False))


def is_transient(exc: BaseException) -> bool:
    """A failure that retrying the same batch later may cure: a dependency away, a
    deadlock or a serialization failure (the same transaction may well pass again), or
    what a service calls transient itself."""
    if isinstance(exc, TransientError):
        return True
    if isinstance(exc, DBAPIError) and _sqlstate(exc) in RETRYABLE_SQLSTATES:
        return True
    return is_outage(exc)


@dataclass
class Backoff:
    """Doubling pauses between attempts, capped."""

    initial_s: float = 0.2
    max_s: float = 5.0

    def __post_init__(self) -> None:
        self.next_s = self.initial_s

    def pause(self) -> float:
        seconds, self.next_s = self.next_s, min(self.next_s * 2, self.max_s)
        return seconds

    def reset(self) -> None:
        self.next_s = self.initial_s


async def riding_out(
    step: Callable[[], Awaitable[float]], backoff: Backoff, dependency: str = POSTGRESQL
) -> float:
    """``step()``'s pause before the next step; while ``dependency`` is away, the backoff's
    growing pause instead (the tracker says so once, ADR 21). A step cut off by the outage
    rolled back: its work is found again by a later step."""
    try:
        wait = await step()
    except Exception as exc:
        if not is_transient(exc):
            raise
        OUTAGES.failed(dependency_of(exc, dependency), exc)
        return backoff.pause()
    backoff.reset()
    return wait


async def wait_or_stop(stopping: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` unless stopped first; True when stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)
    return stopping.is_set()


#: A question to a dependency: None when it answered, else what is wrong.
Probe = Callable[[], Awaitable[str | None]]


class DependencyWatch:
    """A part of every service: asks each dependency that is away whether it answers
    again (every ``every_s``), and each one now and then while it answers, so that a
    stalled connection shows even while no part has work (``probe_every_s``)."""

    def __init__(
        self,
        probes: dict[str, Probe],
        outages: Outages = OUTAGES,
        every_s: float = 1.0,
        probe_every_s: float = 10.0,
        timeout_s: float = 5.0,
    ) -> None:
        self._probes, self._outages = probes, outages
        self._every_s, self._probe_every_s, self._timeout_s = every_s, probe_every_s, timeout_s
        self._stopping = asyncio.Event()
        self._asked: dict[str, float] = {}

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not await wait_or_stop(self._stopping, self._every_s):
            for name, probe in self._probes.items():
                due = self._asked.get(name, 0.0) + self._probe_every_s
                if self._outages.is_away(name) or time.monotonic() >= due:
                    await self.ask(name, probe)

    async def ask(self, name: str, probe: Probe) -> None:
        self._asked[name] = time.monotonic()
        try:
            problem = await asyncio.wait_for(probe(), self._timeout_s)
        except Exception as exc:  # any failure of a probe means: not answering
            self._outages.failed(name, exc)
            return
        if problem is None:
            self._outages.answered(name)
        else:
            self._outages.failed(name, problem)


#: aiokafka's lines that mean "the broker did not answer this attempt".
CONNECTION_LINES = (
    "Unable connect to",
    "Unable to update metadata",
    "Connection at ",
    "KafkaConnectionError",
    "NodeNotReadyError",
    "RequestTimedOutError",
)
#: Lines that follow from a broker going or coming back, with nothing to add.
CHATTER_LINES = (
    "Marking the coordinator dead",
    "Coordinator Request failed",
    "Heartbeat",
    "Failed fetch messages",
    "GroupCoordinatorNotAvailableError",
    "NotCoordinatorForGroupError",
)


class KafkaClientChatter(logging.Filter):
    """Turns aiokafka's per-attempt connection errors into reports to the tracker: a line
    that says the broker did not answer is a failure of Kafka, not a log line; while Kafka
    is away every aiokafka warning or error is one more failed attempt. Its other lines
    pass (a handler filter: it sees every logger's records)."""

    def __init__(self, outages: Outages = OUTAGES) -> None:
        super().__init__()
        self._outages = outages
        self.swallowed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if any(line in message for line in CONNECTION_LINES):
            self._outages.failed(KAFKA, message.splitlines()[0][:120])
        elif not (self._outages.is_away(KAFKA) or any(line in message for line in CHATTER_LINES)):
            return True
        self.swallowed += 1
        return False
