"""The SMS gateway's rules for one ``POST /v1/messages``, without HTTP.

``admit`` is what a real gateway does before it reads a request (outage, rate limit or a
429 now and then, a 5xx now and then); ``submit`` checks the idempotency key, accepts and
records a new message, plans its delivery report, and says how the answer goes out: at
once, late, or not at all (the connection drops after the work is done).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from benefits_shared.clock import Clock
from benefits_shared.sms_encoding import encode_info
from simulator_kit.faults import Chance
from simulator_kit.rate_limit import TokenBucket

from sms_simulator.delivery_reports import ReportPlan, plan_report
from sms_simulator.errors import (
    GatewayDown,
    IdempotencyKeyReused,
    MissingIdempotencyKey,
    RateLimited,
    ServerFault,
)
from sms_simulator.faults import FaultSwitch
from sms_simulator.messages import AcceptedMessage, MessageBook, Submission

AnswerMode = Literal["now", "late", "drop"]


@dataclass(frozen=True, slots=True)
class Answer:
    message: AcceptedMessage
    replayed: bool
    mode: AnswerMode = "now"
    delay_seconds: float = 0.0


class ReportDispatcher(Protocol):
    def dispatch(self, message: AcceptedMessage, plan: ReportPlan) -> None:
        """Send the delivery report(s) of an accepted message later, as planned."""
        ...


@dataclass(frozen=True, slots=True)
class GatewayParts:
    faults: FaultSwitch
    chance: Chance
    bucket: TokenBucket
    book: MessageBook
    reports: ReportDispatcher
    clock: Clock
    new_message_id: Callable[[], str]


class Gateway:
    def __init__(self, parts: GatewayParts) -> None:
        self._p = parts

    @property
    def book(self) -> MessageBook:
        return self._p.book

    def admit(self) -> None:
        faults = self._p.faults.current
        if faults.outage:
            raise GatewayDown("the gateway is down")
        retry_after = self._p.bucket.take(faults.rate_limit)
        if retry_after is None and self._p.chance.happens(faults.rate_limited_rate):
            retry_after = faults.rate_limited_retry_after
        if retry_after is not None:
            raise RateLimited(retry_after)
        if self._p.chance.happens(faults.server_error_rate):
            raise ServerFault(503 if self._p.chance.happens(0.5) else 500)

    def submit(self, idempotency_key: str | None, submission: Submission) -> Answer:
        if not idempotency_key or not idempotency_key.strip():
            raise MissingIdempotencyKey("the Idempotency-Key header is required")
        earlier = self._p.book.find(idempotency_key)
        if earlier is None:
            return self._accept(idempotency_key, submission)
        if earlier.fingerprint != submission.fingerprint():
            raise IdempotencyKeyReused("this Idempotency-Key came with a different body")
        return Answer(earlier, replayed=True)

    def _accept(self, idempotency_key: str, submission: Submission) -> Answer:
        info = encode_info(submission.text)
        message = AcceptedMessage(
            message_id=self._p.new_message_id(),
            idempotency_key=idempotency_key,
            fingerprint=submission.fingerprint(),
            to=submission.to,
            text=submission.text,
            sender=submission.sender,
            callback_url=submission.callback_url,
            segments=info.segments,
            encoding=info.encoding,
            accepted_at=self._p.clock.now(),
        )
        self._p.book.record(message)
        faults = self._p.faults.current
        self._p.reports.dispatch(message, plan_report(faults, self._p.chance))
        if not self._p.chance.happens(faults.timeout_rate):
            return Answer(message, replayed=False)
        mode: AnswerMode = "drop" if faults.timeout_mode == "drop" else "late"
        return Answer(message, replayed=False, mode=mode, delay_seconds=faults.timeout_seconds)
