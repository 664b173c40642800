"""Whether a notice can go to its recipient, and to which phone in which language.

The population registry mirror (``persons``) is the latest word: its phone and language
win over the decision's snapshot, and a death recorded there stops every notice. A person
without a usable phone (E.164 ``+994`` and 9 digits) gets no SMS; the notice is skipped
with the reason, so ops can see why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from benefits_shared.contracts.decisions import BenefitDecided, Recipient
from benefits_shared.contracts.persons import Language

PHONE = re.compile(r"\+994\d{9}")


@dataclass(frozen=True, slots=True)
class MirroredPerson:
    """What the notifier keeps of a ``persons`` record."""

    phone: str | None
    language: Language
    died_on: date | None


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str
    language: Language


@dataclass(frozen=True, slots=True)
class Unreachable:
    reason: str


def contact_of(
    recipient: Recipient | None, mirrored: MirroredPerson | None
) -> Contact | Unreachable:
    if recipient is None:
        return Unreachable("the decision names no recipient")
    if mirrored is not None and mirrored.died_on is not None:
        return Unreachable("the recipient has died")
    phone = mirrored.phone if mirrored is not None else recipient.phone
    language = mirrored.language if mirrored is not None else recipient.language
    if phone is None:
        return Unreachable("the recipient has no phone")
    if not PHONE.fullmatch(phone):
        return Unreachable("the recipient's phone is not a +994 mobile number")
    return Contact(phone, language)


def language_of(recipient: Recipient | None, mirrored: MirroredPerson | None) -> Language:
    if mirrored is not None:
        return mirrored.language
    return recipient.language if recipient is not None else "az"


def recipient_pin(decision: BenefitDecided) -> str | None:
    """The PIN of the person the decision's notices go to, if it names one."""
    return decision.recipient.pin if decision.recipient else None
