"""Money in AZN: Decimal, never float, rounded half-up to 0.01 once, on a final amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Self

QEPIK = Decimal("0.01")
CURRENCY = "AZN"


def round_half_up(amount: Decimal) -> Decimal:
    """Round an exact amount to the qəpik, half-up: the one rounding docs/policy.md allows."""
    return amount.quantize(QEPIK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of AZN with exactly two decimals.

    Build it from a ``Decimal`` or a string; a float is refused because it cannot hold
    most decimal amounts exactly.
    """

    amount: Decimal

    def __post_init__(self) -> None:
        amount: object = self.amount
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            raise TypeError(f"Money takes a Decimal or an int, not {type(amount).__name__}")
        value = Decimal(amount)
        if not value.is_finite():
            raise ValueError("Money must be finite")
        object.__setattr__(self, "amount", round_half_up(value))

    @classmethod
    def of(cls, value: str | Decimal | int) -> Self:
        """Money from a decimal string such as ``"250.00"``."""
        return cls(Decimal(value))

    @classmethod
    def zero(cls) -> Self:
        return cls(Decimal("0"))

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - other.amount)

    def __str__(self) -> str:
        return f"{self.amount:.2f}"

    def format(self) -> str:
        """``250.00 AZN``: how an amount is shown to a citizen or an operator."""
        return f"{self.amount:.2f} {CURRENCY}"
