"""A family the tests look up: Leyla's first child Aysu, born 2026-03-01; the birth grant
assigned to Leyla, her account, the payment settled and the SMS delivered. Beside it a
birth whose mother is unknown (the engine could not decide), a rejected payment, B2 days
owed to a dead holder's estate (never sent, and refused by the bank with MD07) and a
notice parked as undeliverable."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from benefits_shared.contracts import Contract
from benefits_shared.contracts.decisions import BenefitDecided, Recipient
from benefits_shared.contracts.life_events import BirthRegistered, Child
from benefits_shared.contracts.notices import NoticeChanged, NoticeParked
from benefits_shared.contracts.payments import (
    AccountOpened,
    OwedToEstate,
    PaymentRejected,
    PaymentSettled,
    PaymentSubmitted,
)
from benefits_shared.contracts.persons import PersonRecord
from ops_rig import HASHER

MOTHER, CHILD, FATHER = "5AB7K2M", "7CD9P3Q", "2EF4R8S"
ORPHAN, OTHER, DECEASED = "9GH2T5U", "3JK6V4W", "6NP3X7Y"
MOTHER_PHONE = "+994501234567"
GRANT_REASON = "B1 assigned: the 1st child of the mother; paid to the mother."
SMS_TEXT = "Hormetli Leyla Aliyeva, 250.00 AZN dogum muavineti Kapital Bank ****1234 hesabiniza."
DECISION = "d1b1a000-0000-5000-8000-000000000001"
UNRESOLVED = "d1b1a000-0000-5000-8000-000000000002"
ESTATE_DECISION = "d1b2a000-0000-5000-8000-000000000003"
OWED_NEVER_SENT, OWED_REFUSED = "owed-b2-0001", "owed-b2-0002"
PARKED_NOTICE = "n-0009"


def leyla_story() -> list[tuple[Contract, str | None]]:
    born = date(2026, 3, 1)
    case = f"B1:{HASHER.digest(CHILD)}"
    decision = BenefitDecided(
        decision_id=DECISION,
        case_id=case,
        benefit="B1",
        outcome="assigned",
        decided_on=born,
        recipient=Recipient(
            pin=MOTHER, full_name="Leyla Aliyeva", birth_date=date(1995, 5, 4), phone=MOTHER_PHONE
        ),
        amount=Decimal("250.00"),
        rule_version="B1-2025.1",
        parameters={"birth_grant.base_amount@2025-01-01": "250.00"},
        facts={"children_counted": ["CR-1001"], "rank": 1},
        reason=GRANT_REASON,
    )
    payment = {
        "payment_id": "pay-b1-0001",
        "decision_id": DECISION,
        "case_id": case,
        "recipient_pin": MOTHER,
        "amount": Decimal("250.00"),
    }
    notice = {
        "notice_id": "n-0001",
        "decision_id": DECISION,
        "kind": "grant_assigned",
        "language": "az",
        "encoding": "GSM-7",
        "segments": 1,
        "text": SMS_TEXT,
    }
    return [
        (_person(MOTHER, "Leyla", "Aliyeva", date(1995, 5, 4), MOTHER_PHONE), MOTHER),
        (_person(CHILD, "Aysu", "Aliyeva", born, None, MOTHER, FATHER), CHILD),
        (
            BirthRegistered(
                record_no="CR-1001",
                seq=1,
                registered_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
                office="Baku-1",
                child=Child(
                    pin=CHILD, given_name="Aysu", surname="Aliyeva", birth_date=born, sex="F"
                ),
                mother_pin=MOTHER,
                father_pin=FATHER,
            ),
            CHILD,
        ),
        (decision, MOTHER),
        (
            AccountOpened(
                recipient_pin=MOTHER,
                account_id="acc-1",
                account_last4="1234",
                bank_name="Kapital Bank",
                decision_id=DECISION,
            ),
            MOTHER,
        ),
        (PaymentSubmitted(**payment, msg_id="msg-1"), MOTHER),
        (PaymentSettled(**payment), MOTHER),
        (NoticeChanged(**notice, state="accepted"), MOTHER),
        (NoticeChanged(**notice, state="delivered"), MOTHER),
    ]


def troubles() -> list[tuple[Contract, str | None]]:
    """An undecided case (mother unknown), a payment the bank rejected, B2 days owed to an
    estate (one month never sent, one the bank refused with MD07) and a parked notice."""
    undecided = BenefitDecided(
        decision_id=UNRESOLVED,
        case_id=f"B1:{HASHER.digest(ORPHAN)}",
        benefit="B1",
        outcome="unresolved",
        decided_on=date(2026, 3, 2),
        rule_version="B1-2025.1",
        parameters={},
        facts={},
        reason="B1 unresolved: no recipient: the mother is not known to the population registry.",
    )
    rejected = PaymentRejected(
        payment_id="pay-b1-0002",
        decision_id="d-other",
        case_id=f"B1:{HASHER.digest(OTHER)}",
        recipient_pin=OTHER,
        amount=Decimal("250.00"),
        reason_code="AC04",
    )
    parked = NoticeParked(
        notice_id=PARKED_NOTICE,
        decision_id="d-other",
        kind="grant_assigned",
        language="az",
        attempts=5,
        reason="gateway answered 503",
    )
    estate = [(owed, DECEASED) for owed in owed_to_estate()]
    return [(undecided, ORPHAN), (rejected, OTHER), *estate, (parked, OTHER)]


def owed_to_estate() -> list[OwedToEstate]:
    """Days of March never sent (no ``payment_id``: the usual way) and days of February
    the bank refused (``MD07``, naming the refused payment)."""
    never_sent = _owed(OWED_NEVER_SENT, date(2026, 3, 14), 31, "140.00", None)
    refused = _owed(OWED_REFUSED, date(2026, 2, 28), 28, "310.00", "pay-b2-0007")
    return [never_sent, refused]


def _owed(
    owed_id: str, last: date, month_days: int, amount: str, refused: str | None
) -> OwedToEstate:
    first = last.replace(day=1)
    return OwedToEstate(
        owed_id=owed_id,
        case_id=f"B2:{HASHER.digest(DECEASED)}",
        decision_id=ESTATE_DECISION,
        benefit="B2",
        deceased_pin=DECEASED,
        died_on=date(2026, 3, 14),
        amount=Decimal(amount),
        month=first,
        period_start=first,
        period_end=last,
        days=last.day,
        monthly_rate=Decimal("310.00"),
        days_in_month=month_days,
        reason="days the bank refused (MD07) to a payee who died before they were paid"
        if refused
        else "days due to a payee who died before they were paid: owed to the estate",
        payment_id=refused,
    )


def _person(
    pin: str,
    given: str,
    surname: str,
    born: date,
    phone: str | None,
    mother: str | None = None,
    father: str | None = None,
) -> PersonRecord:
    return PersonRecord(
        pin=pin,
        given_name=given,
        surname=surname,
        birth_date=born,
        sex="F",
        phone=phone,
        mother_pin=mother,
        father_pin=father,
    )
