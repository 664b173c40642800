"""Unique PINs without remembering them: a keyed permutation of the person's number.

A PIN is 7 characters of ``[0-9A-HJ-NP-Z]`` (34 symbols), so there are 34⁷ ≈ 5.25×10¹⁰
of them. Person number ``n`` gets the PIN spelling ``permute(n)``, where ``permute`` is a
four-round Feistel network on 36 bits, keyed by the seed, walked in cycles until it lands
below 34⁷: a bijection, so distinct numbers always get distinct PINs, and the generator
needs no set of issued PINs however many persons it makes.
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PIN_LENGTH = 7
PIN_SPACE = len(ALPHABET) ** PIN_LENGTH
_HALF_BITS = 18
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 4


class PinPermutation:
    """``pin(n)`` for ``0 <= n < PIN_SPACE``: distinct ``n`` give distinct PINs."""

    def __init__(self, seed: int) -> None:
        digest = hashlib.sha256(f"pins:{seed}".encode()).digest()
        self._keys = tuple(
            int.from_bytes(digest[4 * r : 4 * r + 4], "big") | 1 for r in range(_ROUNDS)
        )

    def pin(self, number: int) -> str:
        if not 0 <= number < PIN_SPACE:
            raise ValueError("person number outside the PIN space")
        value = self._feistel(number)
        while value >= PIN_SPACE:  # cycle-walk back into the domain
            value = self._feistel(value)
        return spell(value)

    def _feistel(self, value: int) -> int:
        left, right = value >> _HALF_BITS, value & _HALF_MASK
        for key in self._keys:
            mixed = ((right + key) * 0x9E3779B1) & 0xFFFFFFFF
            left, right = right, left ^ ((mixed ^ (mixed >> 15)) & _HALF_MASK)
        return (left << _HALF_BITS) | right


def spell(value: int) -> str:
    """``value`` in base 34 over the PIN alphabet, 7 characters."""
    chars = []
    for _ in range(PIN_LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))
