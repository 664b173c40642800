"""The persons mirror decides the phone and language; the dead and the phoneless get none."""

from __future__ import annotations

from datetime import date

from benefits_shared.contracts.decisions import Recipient
from notifier.reachability import Contact, MirroredPerson, Unreachable, contact_of, language_of

SNAPSHOT = Recipient(
    pin="5ZK2M9X",
    full_name="Leyla Məmmədova",
    birth_date=date(1990, 1, 1),
    phone="+994501234567",
    language="ru",
)


def test_without_a_mirrored_record_the_decision_s_snapshot_is_used() -> None:
    assert contact_of(SNAPSHOT, None) == Contact("+994501234567", "ru")


def test_a_newer_phone_and_language_in_the_mirror_win() -> None:
    mirrored = MirroredPerson("+994559876543", "en", None)
    assert contact_of(SNAPSHOT, mirrored) == Contact("+994559876543", "en")


def test_a_dead_recipient_is_never_told() -> None:
    mirrored = MirroredPerson("+994501234567", "az", date(2026, 3, 1))
    assert contact_of(SNAPSHOT, mirrored) == Unreachable("the recipient has died")


def test_a_recipient_without_a_phone_gets_no_sms() -> None:
    assert contact_of(SNAPSHOT, MirroredPerson(None, "az", None)) == Unreachable(
        "the recipient has no phone"
    )


def test_a_phone_that_is_not_an_azerbaijani_mobile_number_is_not_used() -> None:
    reached = contact_of(SNAPSHOT, MirroredPerson("0501234567", "az", None))
    assert isinstance(reached, Unreachable)


def test_a_decision_without_a_recipient_reaches_nobody() -> None:
    assert isinstance(contact_of(None, None), Unreachable)


def test_the_language_follows_the_mirror_then_the_snapshot() -> None:
    assert language_of(SNAPSHOT, MirroredPerson(None, "en", None)) == "en"
    assert language_of(SNAPSHOT, None) == "ru"
