"""``notices``: SMS notices handed to the gateway and what became of them."""

from __future__ import annotations

from typing import ClassVar, Literal

from benefits_shared.contracts.base import Contract
from benefits_shared.topics import NOTICES

NoticeState = Literal["accepted", "delivered", "failed", "expired", "unknown", "skipped"]


class NoticeChanged(Contract):
    NAME: ClassVar[str] = "notice-changed"
    TOPIC: ClassVar[str] = NOTICES.name

    notice_id: str
    decision_id: str
    kind: str
    language: str
    state: NoticeState
    encoding: str | None = None
    segments: int | None = None
    reason: str | None = None
    #: The SMS text as handed to the gateway (never a PIN: the notifier's guard refuses
    #: one); None before the text is fixed, e.g. a notice skipped as undeliverable.
    text: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.notice_id, self.state)


class NoticeParked(Contract):
    """A notice the gateway did not take after ``attempts`` tries: parked as undeliverable.

    It waits in the unresolved queue until ops retry it (``RetryNotice`` on
    ``ops-commands``); then it is tried again with the same idempotency key and body, and
    its next ``NoticeChanged`` (``accepted`` …) says it left the queue. ``reason``: the
    last error, never a phone or a PIN.
    """

    NAME: ClassVar[str] = "notice-parked"
    TOPIC: ClassVar[str] = NOTICES.name

    notice_id: str
    decision_id: str
    kind: str
    language: str
    attempts: int
    reason: str | None = None

    def identity(self) -> tuple[str, ...]:
        return (self.notice_id, "parked", str(self.attempts))
