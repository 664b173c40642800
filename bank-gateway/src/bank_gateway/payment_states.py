"""The life of an account request and of a payment at the bank, as explicit state machines.

Account::

    REQUESTED ──opened──► OPEN        (201 new, or 200: the person already had one)
        │  ▲
        │  └─retryable_failure─┘      (5xx, 429, time-out, outage: ask again, same key)
        └──refused──► FAILED          (the bank will never open it as asked: ops)

Payment::

    PENDING ──submitted──► SUBMITTED ──settled──► SETTLED      (ACSC / ACCC)
      ▲ │                    │  │
      │ └─retryable_failure  │  └──rejected──► REJECTED         (RJCT with a reason code)
      │   (stays PENDING)    │
      └──retryable_failure───┘   (the bank does not know the message: submit it again)

    PENDING ──cancelled──► CANCELLED ──reinstated──► PENDING

``SUBMITTED`` stays ``SUBMITTED`` on ``still_pending`` (PDNG), and on ``held_elsewhere``
(``RJCT AM05`` on its own ``EndToEndId``: the bank already holds that very transfer under
another message, so it is no failure). A payment no longer due while it is still
``PENDING`` and in no document is ``CANCELLED``; a later decision that makes it due again
reinstates it (it was never sent, so nothing about it is known to the bank).

A pain.001 document (its bytes and key stored before the first call)::

    UNSENT ──202──► ACCEPTED ──every payment in it final──► COMPLETE
      ▲ │               │
      │ └─4xx──► REFUSED (its payments are rejected, for ops)
      └──────404 on a status read (the bank lost it: send the same bytes again)

A time-out on submission is an unknown outcome: the payment stays ``PENDING`` and is
submitted again with the same key and the same document; a refused document
(``document_refused``) rejects its pending payments. A final state repeats its own event
(a status report read twice) and refuses every other: those raise
:class:`IllegalTransition`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from bank_gateway.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)


class AccountState(StrEnum):
    REQUESTED = "requested"
    OPEN = "open"
    FAILED = "failed"


class AccountEvent(StrEnum):
    OPENED = "opened"
    REFUSED = "refused"
    RETRYABLE_FAILURE = "retryable_failure"


class PaymentState(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    SETTLED = "settled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class DocumentState(StrEnum):
    UNSENT = "unsent"
    ACCEPTED = "accepted"
    COMPLETE = "complete"
    REFUSED = "refused"


class PaymentEvent(StrEnum):
    SUBMITTED = "submitted"
    STILL_PENDING = "still_pending"
    SETTLED = "settled"
    REJECTED = "rejected"
    RETRYABLE_FAILURE = "retryable_failure"
    HELD_ELSEWHERE = "held_elsewhere"
    DOCUMENT_REFUSED = "document_refused"
    CANCELLED = "cancelled"
    REINSTATED = "reinstated"


_A, _AE = AccountState, AccountEvent
ACCOUNT_TRANSITIONS: dict[tuple[AccountState, AccountEvent], AccountState] = {
    (_A.REQUESTED, _AE.OPENED): _A.OPEN,
    (_A.REQUESTED, _AE.REFUSED): _A.FAILED,
    (_A.REQUESTED, _AE.RETRYABLE_FAILURE): _A.REQUESTED,
    (_A.OPEN, _AE.OPENED): _A.OPEN,
    (_A.FAILED, _AE.REFUSED): _A.FAILED,
}

_P, _PE = PaymentState, PaymentEvent
PAYMENT_TRANSITIONS: dict[tuple[PaymentState, PaymentEvent], PaymentState] = {
    (_P.PENDING, _PE.SUBMITTED): _P.SUBMITTED,
    (_P.PENDING, _PE.RETRYABLE_FAILURE): _P.PENDING,
    (_P.SUBMITTED, _PE.SUBMITTED): _P.SUBMITTED,
    (_P.SUBMITTED, _PE.STILL_PENDING): _P.SUBMITTED,
    (_P.SUBMITTED, _PE.SETTLED): _P.SETTLED,
    (_P.SUBMITTED, _PE.REJECTED): _P.REJECTED,
    (_P.SUBMITTED, _PE.RETRYABLE_FAILURE): _P.PENDING,
    (_P.SUBMITTED, _PE.HELD_ELSEWHERE): _P.SUBMITTED,
    (_P.PENDING, _PE.DOCUMENT_REFUSED): _P.REJECTED,
    (_P.PENDING, _PE.CANCELLED): _P.CANCELLED,
    (_P.CANCELLED, _PE.CANCELLED): _P.CANCELLED,
    (_P.CANCELLED, _PE.REINSTATED): _P.PENDING,
    (_P.SETTLED, _PE.SETTLED): _P.SETTLED,
    (_P.REJECTED, _PE.REJECTED): _P.REJECTED,
}

FINAL_PAYMENT_STATES = frozenset({PaymentState.SETTLED, PaymentState.REJECTED})


def next_account_state(state: AccountState, event: AccountEvent) -> AccountState:
    """The account's state after ``event``; IllegalTransition if ``state`` does not allow it."""
    return _next(ACCOUNT_TRANSITIONS, state, event, "account")


def next_payment_state(state: PaymentState, event: PaymentEvent) -> PaymentState:
    """The payment's state after ``event``; IllegalTransition if ``state`` does not allow it."""
    return _next(PAYMENT_TRANSITIONS, state, event, "payment")


def payment_sources(event: PaymentEvent) -> list[str]:
    """The states in which a payment may take ``event``: the guard of a bulk update."""
    return sorted(state.value for state, on in PAYMENT_TRANSITIONS if on is event)


def account_sources(event: AccountEvent) -> list[str]:
    """The states in which an account may take ``event``: the guard of an update."""
    return sorted(state.value for state, on in ACCOUNT_TRANSITIONS if on is event)


def _next(table: Mapping[tuple[S, E], S], state: S, event: E, what: str) -> S:
    try:
        return table[state, event]
    except KeyError:
        raise IllegalTransition(f"{what} {state}: {event} is not allowed") from None
