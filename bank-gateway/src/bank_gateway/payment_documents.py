"""Cut ready payments into pain.001 documents, each named by the payments it holds.

The ``MsgId`` is ``ids.message_id`` of the payment ids (the same payments always make the
same id); the idempotency key of its submission is derived from the ``MsgId``. The
document is built and checked once (``pain001.build_pain001``); its bytes are stored and
sent as they are on every retry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from benefits_shared.cloudevents import deterministic_id_text

from bank_gateway.ids import message_id
from bank_gateway.pain001 import CreditTransfer, Debtor, PaymentBatch, build_pain001

BENEFIT_NAMES = {"B1": "Birth grant", "B2": "Disability allowance", "B3": "Funeral allowance"}


@dataclass(frozen=True, slots=True)
class PaymentDocument:
    msg_id: str
    idempotency_key: str
    payment_ids: tuple[str, ...]
    document: bytes


def chunks(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[at : at + size] for at in range(0, len(rows), size)]


def compose(
    rows: Sequence[Mapping[str, Any]], debtor: Debtor, created_at: datetime, execution: date
) -> PaymentDocument:
    """One document for these payment rows (with the payee's ``iban``)."""
    ids = tuple(str(r["payment_id"]) for r in rows)
    msg_id = message_id(ids)
    transfers = tuple(_transfer(r) for r in rows)
    document = build_pain001(PaymentBatch(msg_id, created_at, execution, transfers), debtor)
    return PaymentDocument(msg_id, submission_key(msg_id), ids, document)


def submission_key(msg_id: str) -> str:
    """The ``Idempotency-Key`` of ``POST /v1/payments`` for the document ``msg_id``."""
    return deterministic_id_text("pain.001-submission", msg_id)


def remittance(row: Mapping[str, Any]) -> str:
    """What the payee reads on the statement: the benefit and, for an allowance, the days."""
    name = BENEFIT_NAMES.get(str(row["benefit"]), str(row["benefit"]))
    if row.get("period_start") is None:
        return name
    return f"{name} {row['period_start']:%d.%m.%Y}-{row['period_end']:%d.%m.%Y}"


def _transfer(row: Mapping[str, Any]) -> CreditTransfer:
    return CreditTransfer(
        end_to_end_id=str(row["end_to_end_id"]),
        creditor_name=str(row["creditor_name"]),
        creditor_iban=str(row["iban"]),
        amount=row["amount"],
        remittance=remittance(row),
    )
