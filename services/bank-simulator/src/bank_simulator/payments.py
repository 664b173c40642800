"""Accepted documents and the fate of each credit in them.

- A ``MsgId`` is accepted once: the same content again is the same acceptance (nothing
  new happens), other content under a known ``MsgId`` is refused (422).
- An ``EndToEndId`` is paid at most once across all documents: a transfer whose id is
  already held by a transfer not rejected (here or in another document) is rejected on
  receipt with ``AM05`` (duplication).
- A credit settles ``delay`` after its document was accepted: ``ACSC`` into the ledger,
  or ``RJCT`` with the account book's reason (``AC01``, ``AC04``, ``MD07``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bank_simulator.errors import ConflictingReuse, UnknownMessage
from bank_simulator.events import CreditRejected, CreditSettled, DocumentAccepted, Transfer
from bank_simulator.pain001 import PaymentDocument

DUPLICATE = "AM05"


@dataclass(frozen=True, slots=True)
class TransferStatus:
    transfer: Transfer
    code: str  # PDNG, ACSC or RJCT
    reason: str | None = None


@dataclass(slots=True)
class Message:
    """An accepted document: a status per transfer, in the document's order."""

    accepted: DocumentAccepted
    statuses: list[TransferStatus] = field(default_factory=list)
    _position: dict[str, int] = field(default_factory=dict)

    def add(self, status: TransferStatus) -> None:
        if status.code == "PDNG":
            self._position[status.transfer.end_to_end_id] = len(self.statuses)
        self.statuses.append(status)

    def update(self, end_to_end_id: str, code: str, reason: str | None = None) -> None:
        """Settle or reject the credit ``end_to_end_id`` that was pending."""
        at = self._position[end_to_end_id]
        self.statuses[at] = TransferStatus(self.statuses[at].transfer, code, reason)


class PaymentBook:
    def __init__(self) -> None:
        self._messages: dict[str, Message] = {}
        self._holder: dict[str, str] = {}  # EndToEndId → MsgId of the transfer not rejected
        self._credits: list[CreditSettled] = []

    def message(self, msg_id: str) -> Message:
        if msg_id not in self._messages:
            raise UnknownMessage(f"no payment message {msg_id}")
        return self._messages[msg_id]

    def credits(self) -> list[CreditSettled]:
        return list(self._credits)

    def accepting(self, document: PaymentDocument, at: datetime) -> DocumentAccepted | None:
        """The fact of accepting ``document``; None if this very content was accepted before."""
        known = self._messages.get(document.msg_id)
        if known is not None:
            if known.accepted.digest != document.digest:
                raise ConflictingReuse(f"MsgId {document.msg_id} was used for other content")
            return None
        transfers = tuple(self._on_receipt(document.transfers))
        return DocumentAccepted(
            at=at, msg_id=document.msg_id, digest=document.digest, transfers=transfers
        )

    def _on_receipt(self, transfers: tuple[Transfer, ...]) -> Iterator[Transfer]:
        seen: set[str] = set()
        for transfer in transfers:
            duplicate = transfer.end_to_end_id in self._holder or transfer.end_to_end_id in seen
            seen.add(transfer.end_to_end_id)
            yield transfer.model_copy(update={"refused": DUPLICATE}) if duplicate else transfer

    def settling(
        self, now: datetime, delay: timedelta, refusal_for: Callable[[str], str | None]
    ) -> list[CreditSettled | CreditRejected]:
        """The facts of settling every pending credit accepted at least ``delay`` ago."""
        facts: list[CreditSettled | CreditRejected] = []
        for message in self._messages.values():
            if message.accepted.at + delay > now:
                continue
            for status in message.statuses:
                if status.code == "PDNG":
                    facts.append(
                        _settle(message.accepted.msg_id, status.transfer, now, refusal_for)
                    )
        return facts

    def apply(self, fact: DocumentAccepted | CreditSettled | CreditRejected) -> None:
        if isinstance(fact, DocumentAccepted):
            self._messages[fact.msg_id] = _message(fact)
            self._holder.update(
                {t.end_to_end_id: fact.msg_id for t in fact.transfers if not t.refused}
            )
            return
        message = self._messages[fact.msg_id]
        if isinstance(fact, CreditSettled):
            message.update(fact.end_to_end_id, "ACSC")
            self._credits.append(fact)
        else:
            message.update(fact.end_to_end_id, "RJCT", fact.reason)
            self._holder.pop(fact.end_to_end_id, None)


def _message(fact: DocumentAccepted) -> Message:
    message = Message(fact)
    for t in fact.transfers:
        message.add(
            TransferStatus(t, "RJCT", t.refused) if t.refused else TransferStatus(t, "PDNG")
        )
    return message


def _settle(
    msg_id: str, transfer: Transfer, now: datetime, refusal_for: Callable[[str], str | None]
) -> CreditSettled | CreditRejected:
    e2e, reason = transfer.end_to_end_id, refusal_for(transfer.iban)
    if reason is not None:
        return CreditRejected(at=now, msg_id=msg_id, end_to_end_id=e2e, reason=reason)
    return CreditSettled(
        at=now, msg_id=msg_id, end_to_end_id=e2e, iban=transfer.iban, amount=transfer.amount
    )
