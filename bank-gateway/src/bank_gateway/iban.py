"""Azerbaijani IBANs: ``AZ``, two check digits, a 4-letter bank code, 20 characters.

The ISO 20022 schema only checks the shape ``[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}``; the
check digits (ISO 13616, mod 97) and the Azerbaijani length of 28 are checked here.
"""

from __future__ import annotations

import re

AZ_IBAN = re.compile(r"AZ[0-9]{2}[A-Z]{4}[A-Z0-9]{20}")


def is_valid_az_iban(iban: str) -> bool:
    """True for a 28-character Azerbaijani IBAN whose check digits are right."""
    return AZ_IBAN.fullmatch(iban) is not None and _mod97(iban[4:] + iban[:4]) == 1


def _mod97(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text)) % 97
