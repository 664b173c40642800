"""What a notice says, read from the decision and the account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from benefits_shared.contracts.decisions import BenefitDecided
from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.money import Money
from notifier.errors import MissingNoticeField
from notifier.notice_fields import fields_of, reference_of

RATES_II = [
    {"from_month": date(2023, 1, 1), "monthly_rate": Decimal("220.00")},
    {"from_month": date(2026, 1, 1), "monthly_rate": Decimal("240.00")},
]


@pytest.fixture
def allowance(make_decision: Any) -> Any:
    def _allowance(start: date, end: date | None = None, **extra: Any) -> BenefitDecided:
        entitlement = {"group": "II", "start": start, "end": end, "rates": RATES_II}
        return make_decision("B2", entitlement=entitlement, **extra)

    return _allowance


ACCOUNT = AccountOpened(
    recipient_pin="5ZK2M9X",
    account_id="acc-1",
    account_last4="4821",
    bank_name="Partner Bank",
)


def test_the_reference_is_the_benefit_and_eight_hex_digits_of_the_decision(
    make_decision: Any,
) -> None:
    assert reference_of(make_decision("B3")) == "B3-3F9A0C12"


def test_a_grant_says_its_amount(make_decision: Any) -> None:
    assert fields_of(make_decision(amount=Decimal("250.00")), None).amount == Money.of("250.00")


def test_an_allowance_says_the_rate_in_force_on_the_decision_day(allowance: Any) -> None:
    # Decided 2026-03-02 on an entitlement from 2025-06-01: the 2026 rate, 240.00.
    assert fields_of(allowance(date(2025, 6, 1)), None).amount == Money.of("240.00")


def test_an_allowance_that_starts_later_says_its_first_month_s_rate(allowance: Any) -> None:
    decided_early = allowance(date(2026, 2, 1), decided_on=date(2025, 12, 20))
    assert fields_of(decided_early, None).amount == Money.of("240.00")


def test_an_allowance_that_ended_says_its_last_month_s_rate(allowance: Any) -> None:
    ended = allowance(date(2024, 1, 1), date(2025, 11, 30), outcome="ended")
    fields = fields_of(ended, None)
    assert (fields.amount, fields.until) == (Money.of("220.00"), date(2025, 11, 30))


def test_the_account_is_named_only_once_it_is_open(make_decision: Any) -> None:
    grant = make_decision(amount=Decimal("250.00"))
    assert not fields_of(grant, None).account_known
    opened = fields_of(grant, ACCOUNT)
    assert (opened.bank_name, opened.account_last4) == ("Partner Bank", "4821")


def test_a_grant_without_an_amount_cannot_be_told(make_decision: Any) -> None:
    with pytest.raises(MissingNoticeField):
        fields_of(make_decision(), None)


def test_an_allowance_without_an_entitlement_cannot_be_told(make_decision: Any) -> None:
    with pytest.raises(MissingNoticeField):
        fields_of(make_decision("B2", "reexamination_due"), None)
