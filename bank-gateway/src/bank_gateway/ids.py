"""Deterministic identities of what the gateway asks of the bank.

Every request to the bank is named by business data, never by an offset or a random id,
so a retry, a replay or a restart asks for the same thing under the same name, and the
bank (idempotency key, ``MsgId``, ``EndToEndId``) and our unique constraints drop the copy.

- ``payment_id``: a UUID of the case and the period paid. A case pays a given run of days
  once; days that become due later form another period and so another payment.
- ``grant_payment_id``: a UUID of the case, the recipient (keyed PIN hash) and the amount.
  A grant superseded by a decision naming another recipient or a higher amount is another
  payment; superseded again with a recipient and amount already paid, the same one. (Grants
  stored before this scheme were named ``payment_id(case_id)``; the gateway finds a case's
  payments by content, so those keep their name.)
- ``owed_id``: a UUID of the case and the days owed to the estate of a payee who died.
- ``end_to_end_id`` / ``message_id``: the ISO 20022 ids (≤ 35 characters): base32 of a
  UUID, 26 characters of ``A-Z2-7``.
- ``account_request_id``: one account request per person, named by the keyed hash of the
  PIN (never the PIN).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from benefits_shared.cloudevents import deterministic_id, deterministic_id_text

Period = tuple[date, date]


def payment_id(case_id: str, period: Period | None = None) -> str:
    """The payment of ``case_id`` for the days ``period`` (inclusive); without a period, the
    name grants had before ``grant_payment_id``."""
    if period is None:
        return deterministic_id_text("payment", case_id)
    first, last = period
    if last < first:
        raise ValueError("a payment period ends on or after the day it starts")
    return deterministic_id_text("payment", case_id, first.isoformat(), last.isoformat())


def grant_payment_id(case_id: str, person_key: str, amount: Decimal) -> str:
    """The one-time grant of ``case_id`` to the person whose PIN hashes to ``person_key``."""
    return deterministic_id_text("payment", case_id, "grant", person_key, f"{amount:.2f}")


def owed_id(case_id: str, period: Period) -> str:
    """The days ``period`` (inclusive) of ``case_id`` owed to the estate of its payee."""
    first, last = period
    return deterministic_id_text("owed-to-estate", case_id, first.isoformat(), last.isoformat())


def end_to_end_id(payment: str) -> str:
    """The ``EndToEndId`` that carries ``payment`` through the bank: 26 characters."""
    return _base32(uuid.UUID(payment))


def message_id(payment_ids: Iterable[str]) -> str:
    """The ``MsgId`` of a document holding exactly these payments, in any order."""
    members = sorted(set(payment_ids))
    if not members:
        raise ValueError("a payment message holds at least one payment")
    return _base32(deterministic_id("pain.001", *members))


def account_request_id(person_key: str) -> str:
    """The idempotency key of opening the account of the person whose PIN hashes to this."""
    return deterministic_id_text("account", person_key)


def _base32(value: uuid.UUID) -> str:
    return base64.b32encode(value.bytes).decode().rstrip("=")
