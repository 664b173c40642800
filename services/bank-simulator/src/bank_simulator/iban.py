"""Azerbaijani IBANs (ISO 13616): ``AZ``, 2 check digits, 4-letter bank code, 20 characters."""

from __future__ import annotations

import re

AZ_IBAN = re.compile(r"AZ[0-9]{2}[A-Z]{4}[A-Z0-9]{20}")


def az_iban(bank_code: str, account_number: int) -> str:
    """The 28-character IBAN of the bank's account number ``account_number``."""
    bban = f"{bank_code}{account_number:020d}"
    if not re.fullmatch(r"[A-Z]{4}[0-9]{20}", bban):
        raise ValueError("an AZ IBAN needs a 4-letter bank code and at most 20 digits")
    return f"AZ{98 - _mod97(bban + 'AZ00'):02d}{bban}"


def is_valid_az_iban(iban: str) -> bool:
    return AZ_IBAN.fullmatch(iban) is not None and _mod97(iban[4:] + iban[:4]) == 1


def _mod97(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text)) % 97
