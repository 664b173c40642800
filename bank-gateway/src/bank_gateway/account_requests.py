"""Open the accounts asked for: ``POST /v1/accounts``, outside any consumer transaction.

A round takes as many due requests as the bank's slots allow, from a window claimed at
once (``ClaimAhead``; the attempt recorded at the claim, before the call), and starts one
call per request; each records its own outcome as soon
as the bank answers: opened (``AccountOpened`` queued), refused (failed, for ops) or
unknown (5xx, 429, time-out: due again after a backoff, with the same key and body). No
request waits for another's answer (ADR 18); outcomes that come in while others are being
written share the next transaction (``GroupCommit``), and each call returns once its own
is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from benefits_shared import tracing
from benefits_shared.contracts.decisions import decision_event_id
from benefits_shared.db.group_commit import GroupCommit
from benefits_shared.db.outbox import add_to_outbox, kept_traces
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bank_gateway.adapters.account_store import AccountRequest
from bank_gateway.adapters.bank_client import BankClient, OpenedAccount
from bank_gateway.adapters.stores import Stores
from bank_gateway.bank_calls import BankCalls
from bank_gateway.claim_ahead import ClaimAhead
from bank_gateway.errors import BankRefused, BankUnavailable, CircuitOpen
from bank_gateway.payment_events import PaymentEvents

log = logging.getLogger(__name__)
Outcome = OpenedAccount | BankRefused | BankUnavailable


class AccountRequests:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        stores: Stores,
        bank: BankClient,
        events: PaymentEvents,
        calls: BankCalls,
        max_wait: float,
    ) -> None:
        self._sessions = sessions
        self._st = stores
        self._bank = bank
        self._events = events
        self._calls = calls
        self._traces: dict[str, str] = {}  # claimed requests' decisions' trace contexts
        self._outcomes = GroupCommit(sessions, self.record)
        self._ahead = ClaimAhead(self._claim, calls.concurrency, max_wait)

    async def round(self) -> int:
        """Start opening what is due, as far as slots are free; the number of calls started."""
        return await self._calls.start_due(self._ahead.take, self._open)

    async def give_back(self) -> None:
        """The requests claimed but not started are due again now (the lane has stopped)."""
        requests = self._ahead.give_back()
        for request in requests:
            if request.decision_id:
                self._traces.pop(decision_event_id(request.decision_id), None)
        if requests:
            async with self._sessions.begin() as s:
                await self._st.accounts.give_back(s, [r.person_key for r in requests])

    async def _claim(self, limit: int) -> list[AccountRequest]:
        async with self._sessions.begin() as s:
            due = await self._st.accounts.claim_due(s, limit)
            causes = [decision_event_id(r.decision_id) for r in due if r.decision_id]
            self._traces.update(await kept_traces(s, self._st.tables.outbox, causes))
            return due

    async def _open(self, request: AccountRequest) -> None:
        cause = decision_event_id(request.decision_id) if request.decision_id else ""
        outcome: Outcome
        try:
            with tracing.within(self._traces.pop(cause, None)):
                outcome = await self._calls.answer(
                    self._bank.open_account(request.request_key, request.body)
                )
        except (BankRefused, BankUnavailable) as failure:
            outcome = failure
        await self._outcomes.write((request, outcome))

    async def record(
        self, s: AsyncSession, results: Sequence[tuple[AccountRequest, Outcome]]
    ) -> None:
        """Write the outcomes of calls answered together, in the caller's transaction."""
        # Every account of the lot locked first, in key order (ADR 35): the opened ones
        # and the others are written by separate statements after, in any order.
        await self._st.accounts.lock(s, [request.person_key for request, _ in results])
        opened = [
            {"person_key": r.person_key, "account_id": o.account_id, "iban": o.iban}
            for r, o in results
            if isinstance(o, OpenedAccount)
        ]
        rows = await self._st.accounts.opened(s, opened)
        await add_to_outbox(s, self._st.tables.outbox, map(self._events.account_opened, rows))
        for request, outcome in results:
            if isinstance(outcome, BankRefused):
                log.error("account refused", extra={"error": str(outcome)})
                await self._st.accounts.failed(s, request.person_key, str(outcome))
            elif isinstance(outcome, BankUnavailable):
                wait = self._calls.retry_delay(request.attempts, outcome.retry_after)
                at = self._calls.now() + timedelta(seconds=wait)
                attempted = not isinstance(outcome, CircuitOpen)
                await self._st.accounts.retry_at(s, request.person_key, at, str(outcome), attempted)
