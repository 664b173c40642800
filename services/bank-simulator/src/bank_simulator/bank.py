"""The simulated bank: every change is a fact, journaled first, then applied.

Replaying the journal into a new :class:`Bank` rebuilds it as it was, so the simulator
keeps its accounts, messages, credits and idempotent answers across a restart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Protocol

from benefits_shared.clock import Clock

from bank_simulator.accounts import Account, AccountBook, AccountRequest
from bank_simulator.events import (
    AccountClosed,
    AccountOpened,
    AnswerStored,
    CreditSettled,
    Event,
    PersonDeceased,
)
from bank_simulator.idempotency import Answer, AnswerBook
from bank_simulator.pain001 import PaymentDocument
from bank_simulator.pain002 import status_report
from bank_simulator.payments import PaymentBook


class Journal(Protocol):
    """Where the bank's facts are kept, in order (the port; adapters/ has the JSONL file)."""

    def append(self, fact: Event) -> None: ...

    def replay(self) -> Iterable[Event]: ...


class Bank:
    def __init__(self, journal: Journal, clock: Clock, bank_code: str) -> None:
        self.journal = journal
        self.clock = clock
        self.accounts = AccountBook(bank_code)
        self.payments = PaymentBook()
        self.answers = AnswerBook()
        for fact in journal.replay():
            self._apply(fact)

    def open_account(self, request: AccountRequest) -> tuple[Account, bool]:
        """The person's account, and whether it was opened by this request."""
        known = self.accounts.find(request.pin)
        if known is not None:
            return known, False
        self._record(self.accounts.opening(request, self.clock.now()))
        return self._account(request.pin), True

    def close_account(self, iban: str) -> None:
        self._record(self.accounts.closing(iban, self.clock.now()))

    def mark_deceased(self, pin: str) -> None:
        if not self.accounts.is_deceased(pin):
            self._record(PersonDeceased(at=self.clock.now(), pin=pin))

    def submit(self, document: PaymentDocument) -> None:
        accepted = self.payments.accepting(document, self.clock.now())
        if accepted is not None:
            self._record(accepted)

    def settle_due(self, delay: timedelta) -> None:
        for fact in self.payments.settling(self.clock.now(), delay, self.accounts.refusal_for):
            self._record(fact)

    def status_report(self, msg_id: str) -> bytes:
        message = self.payments.message(msg_id)
        return status_report(message, uuid.uuid4().hex, self.clock.now())

    def ledger(self) -> list[CreditSettled]:
        return self.payments.credits()

    def remember(self, key: str, request_fingerprint: str, answer: Answer) -> None:
        stored = AnswerStored(
            at=self.clock.now(),
            key=key,
            fingerprint=request_fingerprint,
            status_code=answer.status_code,
            body=answer.body,
            media_type=answer.media_type,
        )
        self._record(stored)

    def _account(self, pin: str) -> Account:
        account = self.accounts.find(pin)
        assert account is not None
        return account

    def _record(self, fact: Event) -> None:
        self.journal.append(fact)
        self._apply(fact)

    def _apply(self, fact: Event) -> None:
        if isinstance(fact, AccountOpened | AccountClosed | PersonDeceased):
            self.accounts.apply(fact)
        elif isinstance(fact, AnswerStored):
            self.answers.apply(fact)
        else:
            self.payments.apply(fact)
