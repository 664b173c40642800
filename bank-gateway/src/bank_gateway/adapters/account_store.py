"""Account requests in PostgreSQL: one per person, stored before the first call.

The request body is stored as the exact bytes first sent, with its idempotency key, so
every retry sends the same request (the bank refuses a known key with another body).
``claim_due`` records each attempt before the call (attempt count, and a lease: a worker
killed mid-call leaves the request to be retried after the lease, with the same key).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from benefits_shared.contracts.decisions import Recipient
from benefits_shared.db.partial_indexes import matches
from benefits_shared.db.row_arrays import arrays, insert_rows
from sqlalchemy import Integer, Table, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.leases import DueClaim
from bank_gateway.adapters.tables import GatewayTables
from bank_gateway.ids import account_request_id
from bank_gateway.payment_states import AccountEvent, AccountState, account_sources


@dataclass(frozen=True, slots=True)
class AccountRequest:
    person_key: str
    request_key: str
    body: bytes
    attempts: int
    decision_id: str | None = None


async def lock_accounts(s: AsyncSession, accounts: Table, person_keys: Iterable[str]) -> None:
    """Lock these persons' account rows, in key order, before a transaction touches them
    (ADR 35). Every transaction that writes several accounts takes them this way, so two
    of them wait for each other instead of deadlocking: the consumer's asks for payments
    and the account lane's outcomes, which before took rows in the order they came
    (``deadlock detected`` under partner faults, then retried). Rows not there yet are
    not locked (an insert holds its own)."""
    keys = sorted(set(person_keys))
    if keys:
        key = accounts.c.person_key
        await s.execute(select(key).where(key.in_(keys)).order_by(key).with_for_update())


def request_body(recipient: Recipient) -> bytes:
    """``POST /v1/accounts`` as partners.md defines it."""
    fields = {
        "pin": recipient.pin,
        "full_name": recipient.full_name,
        "birth_date": recipient.birth_date.isoformat(),
        "phone": recipient.phone,
    }
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


class AccountStore:
    def __init__(self, tables: GatewayTables, lease: timedelta) -> None:
        self.t = tables
        a = tables.accounts
        returning = [a.c.person_key, a.c.request_key, a.c.request_body, a.c.attempts]
        requested = matches(a.c.state, AccountState.REQUESTED.value)  # accounts_due
        self._claim = DueClaim(a, requested, lease, [*returning, a.c.decision_id])
        # The statements of every outcome, built once (see ``DueClaim``).
        self._open = (
            update(a)
            .where(
                a.c.person_key == bindparam("key"),
                or_(*(a.c.state == state for state in account_sources(AccountEvent.OPENED))),
            )
            .values(
                state=AccountState.OPEN.value,
                payment_asks_unseen=1,  # payable: its payee's payments may be ready now
                account_id=bindparam("v_account_id"),
                iban=bindparam("v_iban"),
                opened_at=func.now(),
                last_error=None,
            )
        )
        requests = ["person_key", "request_key", "request_body", "pin", "decision_id", "state"]
        self._request = insert_rows(a, requests).on_conflict_do_nothing(
            index_elements=["person_key"]
        )
        self._opened = select(
            a.c.person_key, a.c.pin, a.c.account_id, a.c.iban, a.c.decision_id
        ).where(
            a.c.person_key.in_(bindparam("keys", expanding=True)),
            a.c.state == AccountState.OPEN.value,
        )
        self._give_back = (
            update(a)
            .where(
                a.c.person_key.in_(bindparam("keys", expanding=True)),
                a.c.state == AccountState.REQUESTED.value,
            )
            .values(next_attempt_at=func.now(), attempts=a.c.attempts - 1)
        )
        self._retry = (
            update(a)
            .where(
                a.c.person_key == bindparam("key"),
                a.c.state == AccountState.REQUESTED.value,
            )
            .values(
                next_attempt_at=bindparam("at"),
                last_error=bindparam("error"),
                attempts=a.c.attempts - bindparam("unattempted", type_=Integer),
            )
        )

    async def lock(self, s: AsyncSession, person_keys: Iterable[str]) -> None:
        """These persons' accounts locked in key order (``lock_accounts``)."""
        await lock_accounts(s, self.t.accounts, person_keys)

    async def request(self, s: AsyncSession, wanted: dict[str, tuple[Recipient, str]]) -> None:
        """Ask for an account for each person (key → recipient, decision) who has none."""
        rows = [
            {
                "person_key": key,
                "request_key": account_request_id(key),
                "request_body": request_body(recipient),
                "pin": recipient.pin,
                "decision_id": decision_id,
                "state": AccountState.REQUESTED.value,
            }
            for key, (recipient, decision_id) in sorted(wanted.items())
        ]
        if rows:
            await s.execute(self._request, arrays("v", rows))

    async def claim_due(self, s: AsyncSession, limit: int) -> list[AccountRequest]:
        return [AccountRequest(*row) for row in await self._claim(s, limit)]

    async def opened(self, s: AsyncSession, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Mark opened (``person_key``, ``account_id``, ``iban``); return the rows it opened."""
        if not results:
            return []
        await s.execute(
            self._open,
            [
                {"key": r["person_key"], "v_account_id": r["account_id"], "v_iban": r["iban"]}
                for r in results
            ],
        )
        keys = [r["person_key"] for r in results]
        return [dict(r._mapping) for r in await s.execute(self._opened, {"keys": keys})]

    async def give_back(self, s: AsyncSession, person_keys: list[str]) -> None:
        """Claimed but never called: due now, the attempt counted at the claim undone."""
        await self.lock(s, person_keys)
        await s.execute(self._give_back, {"keys": person_keys})

    async def failed(self, s: AsyncSession, person_key: str, error: str) -> None:
        a = self.t.accounts
        await s.execute(
            update(a)
            .where(
                a.c.person_key == person_key, a.c.state.in_(account_sources(AccountEvent.REFUSED))
            )
            .values(state=AccountState.FAILED.value, last_error=error)
        )

    async def retry_at(
        self, s: AsyncSession, person_key: str, at: datetime, error: str, attempted: bool = True
    ) -> None:
        """Due again at ``at``. Not ``attempted``: the call counted at the claim was never
        made (the circuit was open), so it is not."""
        await s.execute(
            self._retry,
            {"key": person_key, "at": at, "error": error, "unattempted": 0 if attempted else 1},
        )
