from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from bank_gateway.ids import account_request_id, end_to_end_id, message_id, payment_id

MARCH = (date(2026, 3, 10), date(2026, 3, 31))


def test_the_same_case_and_period_always_name_the_same_payment() -> None:
    assert payment_id("B2:MSE-1", MARCH) == payment_id("B2:MSE-1", MARCH)
    uuid.UUID(payment_id("B2:MSE-1", MARCH))


def test_another_case_or_period_names_another_payment() -> None:
    ids = {
        payment_id("B2:MSE-1", MARCH),
        payment_id("B2:MSE-2", MARCH),
        payment_id("B2:MSE-1", (date(2026, 3, 16), date(2026, 3, 31))),
        payment_id("B2:MSE-1"),
    }
    assert len(ids) == 4


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after"):
        payment_id("B2:MSE-1", (date(2026, 3, 31), date(2026, 3, 1)))


def test_the_end_to_end_id_fits_iso_20022_and_follows_the_payment() -> None:
    payment = payment_id("B1:child", None)
    e2e = end_to_end_id(payment)
    assert re.fullmatch(r"[A-Z2-7]{26}", e2e)
    assert e2e == end_to_end_id(payment)
    assert e2e != end_to_end_id(payment_id("B1:other-child"))


def test_the_message_id_depends_on_which_payments_not_their_order() -> None:
    a, b, c = (payment_id(f"B1:{n}") for n in "abc")
    assert message_id([a, b]) == message_id([b, a, a])
    assert message_id([a, b]) != message_id([a, c])
    assert len(message_id([a, b, c])) <= 35


def test_an_empty_message_has_no_id() -> None:
    with pytest.raises(ValueError, match="at least one"):
        message_id([])


def test_one_account_request_per_person() -> None:
    assert account_request_id("hash-1") == account_request_id("hash-1")
    assert account_request_id("hash-1") != account_request_id("hash-2")
