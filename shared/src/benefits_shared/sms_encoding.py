"""How an SMS text is encoded and charged: GSM 03.38 7-bit or UCS-2, and its segments.

One SMS carries 140 octets: 160 GSM-7 septets or 70 UTF-16 code units. A longer message is
split into parts that each lose 6 octets to the concatenation header: 153 septets or 67
units per part. The characters of the GSM extension table (``^ { } \\ [ ~ ] | €`` and form
feed) are sent as ESC + character and cost two septets. A single character outside the
basic and extension tables makes the whole message UCS-2 (sent as UTF-16, so a character
outside the Basic Multilingual Plane, e.g. an emoji, costs two units: a surrogate pair).

A part never ends between ESC and its character, nor between the two halves of a
surrogate pair, so a part may hold one septet or unit less than its size. The segment count
is the number of parts :func:`split` makes; it equals ``ceil(length / 153)`` (or ``/ 67``)
unless such a pair falls on a boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM7", "UCS2"]

# 3GPP TS 23.038 §6.2.1, the default alphabet, in code order 0x00..0x7F. Position 0x1B is
# ESC (the escape to the extension table), not a character: it is left out.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
) - {"\x1b"}
# 3GPP TS 23.038 §6.2.1.1, the default extension table: each costs ESC + itself.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"GSM7": 160, "UCS2": 70}
PART = {"GSM7": 153, "UCS2": 67}


@dataclass(frozen=True, slots=True)
class SmsEncoding:
    """``length`` is in septets (GSM7) or UTF-16 code units (UCS2)."""

    encoding: Encoding
    length: int
    segments: int


def encoding_of(text: str) -> Encoding:
    """GSM7 when every character is in the basic or extension table, else UCS2."""
    return "GSM7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "UCS2"


def cost(char: str, encoding: Encoding) -> int:
    """Septets (GSM7) or UTF-16 code units (UCS2) one character takes."""
    if encoding == "GSM7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def length(text: str, encoding: Encoding) -> int:
    return sum(cost(c, encoding) for c in text)


def split(text: str) -> list[str]:
    """The parts the message is sent as; one part (maybe empty) when it fits in one SMS.

    The parts joined give the text back. No part breaks an ESC pair or a surrogate pair,
    because a character is never divided: one whose cost does not fit opens the next part.
    """
    encoding = encoding_of(text)
    if length(text, encoding) <= SINGLE[encoding]:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        size = cost(char, encoding)
        if used + size > PART[encoding]:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    parts.append("".join(current))
    return parts


def encode_info(text: str) -> SmsEncoding:
    """The encoding, the length and the number of segments the gateway charges."""
    encoding = encoding_of(text)
    return SmsEncoding(encoding, length(text, encoding), len(split(text)))
