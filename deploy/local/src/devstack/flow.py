"""What has gone through our own topics so far: payments submitted, settled or rejected
(``payments``) and notices handed to the SMS gateway (``notices``).

The main job's progress, its "drained" test and its summary count from these, so that
they are right whatever the partners are: a real bank or SMS gateway has no ``/_sim``
listing to count from (issue #14). Pure: fed the records the observer reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from devstack.observe import Record

#: Notice states that mean the SMS gateway took the notice.
HANDED_OVER = frozenset({"accepted", "delivered", "failed", "expired", "unknown"})
#: Payment events that say where a payment stands at the bank.
PAYMENT_STATES = frozenset({"payment-submitted", "payment-settled", "payment-rejected"})


def kind_of(record: Record) -> str:
    """``payment-settled`` of ``az.gov.benefits.payment-settled.v1``."""
    parts = record.type.split(".")
    return parts[-2] if len(parts) >= 2 else ""


@dataclass
class Flow:
    #: Payment id → its latest state (``payment-submitted`` … ``payment-rejected``).
    payments: dict[str, str] = field(default_factory=dict)
    #: Notice id → its segments, for every notice the gateway took.
    handed_over: dict[str, int] = field(default_factory=dict)

    def add(self, records: Iterable[Record]) -> None:
        """Records of ``payments`` or ``notices``, in each partition's order."""
        for r in records:
            kind = kind_of(r)
            if kind in PAYMENT_STATES:
                self.payments[r.value["payment_id"]] = kind
            elif kind == "notice-changed" and r.value.get("state") in HANDED_OVER:
                known = self.handed_over.get(r.value["notice_id"], 0)
                self.handed_over[r.value["notice_id"]] = r.value.get("segments") or known

    def count(self, state: str) -> int:
        return sum(1 for s in self.payments.values() if s == state)

    @property
    def settled(self) -> int:
        return self.count("payment-settled")

    @property
    def in_flight(self) -> int:
        """Payments the bank took and has not settled or rejected yet."""
        return self.count("payment-submitted")

    @property
    def sms(self) -> int:
        return len(self.handed_over)

    @property
    def segments(self) -> int:
        return sum(self.handed_over.values())

    def snapshot(self) -> tuple[int, ...]:
        """What changes while anything moves."""
        return (len(self.payments), self.settled, self.in_flight, self.sms)
