"""Deterministic identities of what the gateway asks of the bank.

Every request to the bank is named by business data, never by an offset or a random id,
so a retry, a replay or a restart asks for the same thing under the same name, and the
bank (idempotency key, ``MsgId``, ``EndToEndId``) and our unique constraints drop the copy.

- ``payment_id``: a UUID of the case and the period paid (no period for one-time grants).
  A case pays a given run of days once; days that become due later form another period
  and so another payment.
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

from benefits_shared.cloudevents import deterministic_id

Period = tuple[date, date]


def payment_id(case_id: str, period: Period | None = None) -> str:
    """The payment of ``case_id`` for the days ``period`` (inclusive), or its one-time grant."""
    if period is None:
        return str(deterministic_id("payment", case_id))
    first, last = period
    if last < first:
        raise ValueError("a payment period ends on or after the day it starts")
    return str(deterministic_id("payment", case_id, first.isoformat(), last.isoformat()))


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
    return str(deterministic_id("account", person_key))


def _base32(value: uuid.UUID) -> str:
    return base64.b32encode(value.bytes).decode().rstrip("=")
