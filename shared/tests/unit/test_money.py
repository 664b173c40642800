from decimal import Decimal

import pytest
from benefits_shared.money import Money, round_half_up


def test_amounts_round_half_up_to_the_qepik() -> None:
    assert Money(Decimal("170.3225")).amount == Decimal("170.32")
    assert Money(Decimal("0.005")).amount == Decimal("0.01")
    assert Money(Decimal("2.675")).amount == Decimal("2.68")  # a float would give 2.67


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        Money(0.1)  # type: ignore[arg-type]


def test_money_adds_and_formats_for_people() -> None:
    total = Money.of("250.00") + Money.of("100.00")
    assert str(total) == "350.00"
    assert total.format() == "350.00 AZN"


def test_round_half_up_is_the_only_rounding() -> None:
    assert round_half_up(Decimal("240") * 22 / 31) == Decimal("170.32")
