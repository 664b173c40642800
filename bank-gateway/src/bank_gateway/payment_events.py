"""What the gateway tells the ``payments`` topic, as outbox rows.

Every event is keyed by the keyed hash of the recipient's PIN (``PinHasher.kafka_key``),
so one person's account and payments are in order on one partition; its id is a uuid5 of
its type and business identity (account id, payment id, recovery id, owed id; a
cancellation: the payment and the decision that cancelled it), so writing the same fact
twice queues it once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from benefits_shared.clock import Clock
from benefits_shared.contracts import Contract
from benefits_shared.contracts.decisions import decision_event_id
from benefits_shared.contracts.payments import (
    AccountOpened,
    OwedToEstate,
    PaymentCancelled,
    PaymentRejected,
    PaymentSettled,
    PaymentSubmitted,
    RecoveryOpened,
)
from benefits_shared.db.outbox import OutgoingEvent
from benefits_shared.pin import PinHasher

from bank_gateway import metrics
from bank_gateway.estate import Owed
from bank_gateway.recovery import Recovery

SOURCE = "/bank-gateway"
Row = Mapping[str, Any]


class PaymentEvents:
    def __init__(self, topic: str, hasher: PinHasher, clock: Clock, bank_name: str) -> None:
        self.topic = topic
        self._hasher = hasher
        self._clock = clock
        self._bank_name = bank_name

    def outgoing(self, payload: Contract, pin: str) -> OutgoingEvent:
        subject = self._hasher.digest(pin)
        event = payload.to_cloudevent(SOURCE, self._clock.now(), subject)
        metrics.count(payload.NAME, getattr(payload, "amount", None))
        causes = (decision_event_id(d),) if (d := getattr(payload, "decision_id", None)) else ()
        return OutgoingEvent(self.topic, self._hasher.kafka_key(pin), event, causes)

    def account_opened(self, row: Row) -> OutgoingEvent:
        opened = AccountOpened(
            recipient_pin=row["pin"],
            account_id=row["account_id"],
            account_last4=row["iban"][-4:],
            bank_name=self._bank_name,
            decision_id=row["decision_id"],
        )
        return self.outgoing(opened, row["pin"])

    def submitted(self, row: Row, msg_id: str) -> OutgoingEvent:
        return self.outgoing(PaymentSubmitted(**_payment(row), msg_id=msg_id), row["recipient_pin"])

    def settled(self, row: Row) -> OutgoingEvent:
        return self.outgoing(PaymentSettled(**_payment(row)), row["recipient_pin"])

    def rejected(self, row: Row, reason_code: str) -> OutgoingEvent:
        rejected = PaymentRejected(**_payment(row), reason_code=reason_code)
        return self.outgoing(rejected, row["recipient_pin"])

    def cancelled(self, row: Row, by: str, reason: str) -> OutgoingEvent:
        cancelled = PaymentCancelled(**_payment(row), cancelled_by=by, reason=reason)
        return self.outgoing(cancelled, row["recipient_pin"])

    def owed_to_estate(self, owed: Owed) -> OutgoingEvent:
        line = owed.line
        event = OwedToEstate(
            owed_id=owed.owed_id,
            case_id=owed.case_id,
            decision_id=owed.decision_id,
            benefit=owed.benefit,
            deceased_pin=owed.deceased.pin,
            died_on=owed.died_on,
            amount=line.amount,
            month=line.month,
            period_start=line.period[0],
            period_end=line.period[1],
            days=len(line.days),
            monthly_rate=line.monthly_rate,
            days_in_month=line.days_in_month,
            reason=owed.reason,
            payment_id=owed.payment_id,
        )
        return self.outgoing(event, owed.deceased.pin)

    def recovery_opened(
        self, recovery: Recovery, case_id: str, decision_id: str, pin: str
    ) -> OutgoingEvent:
        opened = RecoveryOpened(
            recovery_id=recovery.recovery_id,
            case_id=case_id,
            decision_id=decision_id,
            recipient_pin=pin,
            amount=recovery.amount,
            reason=recovery.reason,
            period_start=_first(recovery.days),
            period_end=recovery.days[-1] if recovery.days else None,
        )
        return self.outgoing(opened, pin)


def _payment(row: Row) -> dict[str, Any]:
    return {
        "payment_id": row["payment_id"],
        "decision_id": row["decision_id"],
        "case_id": row["case_id"],
        "recipient_pin": row["recipient_pin"],
        "amount": Decimal(row["amount"]),
        "period_start": row["period_start"],
        "period_end": row["period_end"],
    }


def _first(days: tuple[date, ...]) -> date | None:
    return days[0] if days else None
