"""Amounts and dates as each language writes them."""

from __future__ import annotations

from datetime import date

import pytest
from benefits_shared.money import Money
from notifier.local_formats import amount, day


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "250,00 AZN"), ("ru", "250,00 AZN"), ("en", "250.00 AZN")],
)
def test_a_grant_is_written_with_the_language_s_decimal_sign(language: str, expected: str) -> None:
    assert amount(Money.of("250"), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "1.250,50 AZN"), ("ru", "1 250,50 AZN"), ("en", "1,250.50 AZN")],
)
def test_thousands_are_grouped_as_the_language_groups_them(language: str, expected: str) -> None:
    assert amount(Money.of("1250.5"), language) == expected


def test_qepik_are_always_two_digits() -> None:
    assert amount(Money.of("165.5"), "az") == "165,50 AZN"
    assert amount(Money.of("0.05"), "en") == "0.05 AZN"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "01.03.2026"), ("ru", "01.03.2026"), ("en", "1 March 2026")],
)
def test_dates_are_written_as_the_language_writes_them(language: str, expected: str) -> None:
    assert day(date(2026, 3, 1), language) == expected
