"""Amounts and dates as a reader of each language writes them.

- Azerbaijani and Russian write a decimal comma (``250,00 AZN``), as the national
  standards and the CLDR locale data for ``az`` and ``ru`` do; thousands are grouped with a
  dot in Azerbaijani (``1.250,00``) and a space in Russian (``1 250,00``).
- English writes a decimal point and a comma for thousands (``1,250.00 AZN``).
- Every language puts the ISO code ``AZN`` after the amount: it is what Azerbaijani banks
  print in every language, and the manat sign ``₼`` is missing from many phones' fonts
  (and from GSM-7, so it would make an English SMS UCS-2).
- Dates: ``31.03.2026`` in Azerbaijani and Russian; ``31 March 2026`` in English, which
  no reader can take for 3 December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.persons import Language
from benefits_shared.money import CURRENCY, Money


@dataclass(frozen=True, slots=True)
class NumberStyle:
    decimal: str
    group: str


STYLES: dict[Language, NumberStyle] = {
    "az": NumberStyle(decimal=",", group="."),
    "ru": NumberStyle(decimal=",", group=" "),
    "en": NumberStyle(decimal=".", group=","),
}
ENGLISH_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)


def amount(money: Money, language: Language) -> str:
    style = STYLES[language]
    whole, cents = f"{money.amount:,.2f}".split(".")
    return f"{whole.replace(',', style.group)}{style.decimal}{cents} {CURRENCY}"


def day(value: date, language: Language) -> str:
    if language == "en":
        return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"
    return value.strftime("%d.%m.%Y")
