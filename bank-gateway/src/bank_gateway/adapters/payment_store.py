"""Payments in PostgreSQL (in the caller's transaction).

A payment is stored ``pending`` when a decision or a payroll run asks for it, before any
call; it joins a document once its payee's account is open, and from then on its
content is frozen (the document's bytes are stored and resent as they are). Until then a
later decision may change it (same id: same case and days) or cancel it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from benefits_shared.pin import PinHasher
from sqlalchemy import ColumnElement, Table, bindparam, case, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bank_gateway.adapters.account_store import lock_accounts
from bank_gateway.adapters.tables import GatewayTables, payable
from bank_gateway.estate import RefusedPayment
from bank_gateway.grant_payments import GrantPayment
from bank_gateway.ids import end_to_end_id
from bank_gateway.payment_states import AccountState, PaymentEvent, PaymentState, payment_sources
from bank_gateway.payments_due import PaymentDue
from bank_gateway.recovery import SettledPayment

CANCELLED = PaymentState.CANCELLED.value
FROZEN = ("end_to_end_id", "payment_id", "state", "msg_id")
CHUNK = 1000  # rows per INSERT (PostgreSQL takes at most 32,767 parameters a statement)


class PaymentStore:
    def __init__(self, tables: GatewayTables, hasher: PinHasher) -> None:
        self.t = tables
        self._hasher = hasher

    async def want(self, s: AsyncSession, due: Sequence[PaymentDue]) -> None:
        """Store each payment, pending; one not yet in a document follows the latest ask.
        A payee whose account is open becomes payable: the payees' accounts are locked in
        key order (ADR 35), after the payments; a cut skips what an ask holds, so it never
        waits for one."""
        rows = [self._row(d) for d in due]
        for at in range(0, len(rows), CHUNK):
            await self._want(s, rows[at : at + CHUNK])
        await self._asked(s, sorted({row["person_key"] for row in rows}))

    async def _asked(self, s: AsyncSession, person_keys: list[str]) -> None:
        """One more ask for each payee whose account is open. Every asked account's row is
        locked, open or not, so an opening cannot slip between this and the commit: an
        opening in flight is waited for (then the account is open here), and one that
        comes after waits for the commit, then marks the account payable with the
        payments in sight (``AccountStore.opened``)."""
        if not person_keys:
            return
        a = self.t.accounts
        await lock_accounts(s, a, person_keys)  # in key order (ADR 35)
        is_open = a.c.state == AccountState.OPEN.value
        asks = case((is_open, a.c.payment_asks_unseen + 1), else_=a.c.payment_asks_unseen)
        await s.execute(
            update(a).where(a.c.person_key.in_(person_keys)).values(payment_asks_unseen=asks)
        )

    async def _want(self, s: AsyncSession, rows: list[dict[str, Any]]) -> None:
        p = self.t.payments
        stmt = insert(p)
        changes = {k: stmt.excluded[k] for k in rows[0] if k not in FROZEN}
        open_to_change = [*payment_sources(PaymentEvent.REINSTATED), PaymentState.PENDING.value]
        await s.execute(
            stmt.on_conflict_do_update(
                index_elements=["payment_id"],
                set_={**changes, "state": PaymentState.PENDING.value, "updated_at": func.now()},
                where=p.c.msg_id.is_(None) & or_(*(p.c.state == x for x in open_to_change)),
            ),
            rows,
        )

    def _row(self, due: PaymentDue) -> dict[str, Any]:
        line = due.line
        return {
            "payment_id": due.payment_id,
            "end_to_end_id": end_to_end_id(due.payment_id),
            "case_id": due.case_id,
            "decision_id": due.decision_id,
            "benefit": due.benefit,
            "person_key": self._hasher.digest(due.recipient.pin),
            "recipient_pin": due.recipient.pin,
            "creditor_name": due.recipient.full_name,
            "amount": due.amount,
            "period_start": line.period[0] if line else None,
            "period_end": line.period[1] if line else None,
            "days": list(line.days) if line else None,
            "monthly_rate": line.monthly_rate if line else None,
            "days_in_month": line.days_in_month if line else None,
            "state": PaymentState.PENDING.value,
        }

    async def cancel_unsent(self, s: AsyncSession, case_id: str, keep: Iterable[str] = ()) -> None:
        """Cancel the case's payments in no document yet, but those in ``keep``."""
        p = self.t.payments
        await s.execute(
            update(p)
            .where(
                p.c.case_id == case_id,
                p.c.msg_id.is_(None),
                p.c.state.in_(payment_sources(PaymentEvent.CANCELLED)),
                p.c.payment_id.not_in(list(keep)),
            )
            .values(state=CANCELLED, updated_at=func.now())
        )

    async def paid_days(self, s: AsyncSession, case_ids: Iterable[str]) -> dict[str, set[date]]:
        """Per case, the days of every payment not cancelled (rejected days wait for ops),
        and the days owed to the estate of a payee who died: no day is paid twice."""
        p, o = self.t.payments, self.t.owed_to_estate
        cases = list(case_ids)
        paid = select(p.c.case_id, p.c.days).where(
            p.c.case_id.in_(cases), p.c.state != CANCELLED, p.c.days.is_not(None)
        )
        owed = select(o.c.case_id, o.c.days).where(o.c.case_id.in_(cases))
        out: dict[str, set[date]] = defaultdict(set)
        for case_id, days in await s.execute(paid.union_all(owed)):  # a row per payment
            out[case_id].update(days)
        return out

    async def refused(self, s: AsyncSession, case_id: str) -> list[RefusedPayment]:
        """The case's allowance payments the bank rejected, with their days."""
        p = self.t.payments
        query = self._priced(case_id, PaymentState.REJECTED, p.c.reason_code)
        rows = await s.execute(query.where(p.c.days.is_not(None)))
        return [
            RefusedPayment(pid, code or "", amount, tuple(days), rate, dim)
            for pid, code, amount, days, rate, dim in rows
        ]

    async def grants_of(
        self, s: AsyncSession, case_ids: Iterable[str]
    ) -> dict[str, list[GrantPayment]]:
        """Per case, its grant payments, oldest first, locked until commit (so a document
        being cut meanwhile is seen before anything is cancelled)."""
        p = self.t.payments
        query = (
            select(
                p.c.case_id, p.c.payment_id, p.c.recipient_pin, p.c.amount, p.c.state, p.c.msg_id
            )
            .where(p.c.case_id.in_(sorted(set(case_ids))), p.c.days.is_(None))
            .order_by(p.c.case_id, p.c.created_at, p.c.payment_id)
            .with_for_update()
        )
        out: dict[str, list[GrantPayment]] = defaultdict(list)
        for case_id, pid, pin, amount, state, msg_id in await s.execute(query):
            out[case_id].append(
                GrantPayment(pid, pin, amount, PaymentState(state), msg_id is not None)
            )
        return out

    async def cancel(self, s: AsyncSession, payment_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Cancel these payments if still in no document; the rows that were cancelled."""
        if not payment_ids:
            return []
        p = self.t.payments
        rows = await s.execute(
            update(p)
            .where(
                p.c.payment_id.in_(list(payment_ids)),
                p.c.msg_id.is_(None),
                p.c.state.in_(payment_sources(PaymentEvent.CANCELLED)),
                p.c.state != CANCELLED,
            )
            .values(state=CANCELLED, updated_at=func.now())
            .returning(p)
        )
        return [dict(r._mapping) for r in rows]

    async def settled(self, s: AsyncSession, case_id: str) -> list[SettledPayment]:
        p = self.t.payments
        query = self._priced(case_id, PaymentState.SETTLED, p.c.recipient_pin)
        rows = await s.execute(query.order_by(p.c.settled_at))
        return [
            SettledPayment(pid, pin, amount, tuple(days or ()), rate, dim)
            for pid, pin, amount, days, rate, dim in rows
        ]

    def _priced(self, case_id: str, state: PaymentState, also: Any) -> Any:
        """The case's payments in ``state``: id, ``also``, amount, days and how priced."""
        p = self.t.payments
        return select(
            p.c.payment_id, also, p.c.amount, p.c.days, p.c.monthly_rate, p.c.days_in_month
        ).where(p.c.case_id == case_id, p.c.state == state.value)

    async def ready(self, s: AsyncSession, limit: int) -> list[dict[str, Any]]:
        """Pending payments in no document whose payee's account is open, with its IBAN:
        looked for among the payable accounts' payees only."""
        p, a = self.t.payments, self.t.accounts
        query = (
            select(p, a.c.iban)
            .join(a, a.c.person_key == p.c.person_key)
            .where(_unsent(p), text(payable(a.name)), a.c.state == AccountState.OPEN.value)
            .order_by(p.c.created_at, p.c.payment_id)
            .limit(limit)
            .with_for_update(of=p, skip_locked=True)
        )
        return [dict(r._mapping) for r in await s.execute(query)]

    async def see_through(self, s: AsyncSession) -> None:
        """Payable accounts whose payees have no payment left to cut stop being payable.
        An account an ask holds is skipped (a later cut sees it through), so a cut never
        waits for an ask, and an ask that comes after finds the 0 written here and adds 1.
        """
        a, p = self.t.accounts, self.t.payments
        read = a.alias("read")
        done = (
            select(read.c.person_key, read.c.payment_asks_unseen.label("asks"))
            .where(
                text(payable(read.name)),
                # OFFSET keeps it a lookup per payable account (the planner would
                # otherwise hash every unsent payment, O(unsent) a cut)
                ~select(p.c.payment_id)
                .where(p.c.person_key == read.c.person_key, _unsent(p))
                .offset(0)
                .exists(),
            )
            .with_for_update(skip_locked=True)
            .subquery()
        )
        await s.execute(
            update(a)
            .where(a.c.person_key == done.c.person_key, a.c.payment_asks_unseen == done.c.asks)
            .values(payment_asks_unseen=0)
        )

    async def put_in_document(self, s: AsyncSession, msg_id: str, payment_ids: list[str]) -> None:
        p = self.t.payments
        await s.execute(
            update(p)
            .where(p.c.payment_id.in_(payment_ids))
            .values(msg_id=msg_id, updated_at=func.now())
        )

    async def in_document(
        self, s: AsyncSession, msg_id: str, lock: bool = True
    ) -> list[dict[str, Any]]:
        p = self.t.payments
        query = select(p).where(p.c.msg_id == msg_id).order_by(p.c.payment_id)
        rows = await s.execute(query.with_for_update() if lock else query)
        return [dict(r._mapping) for r in rows]

    async def move(
        self, s: AsyncSession, event: PaymentEvent, to: PaymentState, changes: list[dict[str, Any]]
    ) -> None:
        """Apply ``event`` to each payment (``payment_id`` and extra columns) its state allows."""
        if not changes:
            return
        p = self.t.payments
        extra: dict[str, Any] = {k: bindparam(f"v_{k}") for k in changes[0] if k != "payment_id"}
        settled_at = {"settled_at": func.now()} if to is PaymentState.SETTLED else {}
        await s.execute(
            update(p)
            .where(
                p.c.payment_id == bindparam("v_id"),
                or_(*(p.c.state == state for state in payment_sources(event))),
            )
            .values(state=to.value, updated_at=func.now(), **settled_at, **extra),
            [
                {
                    "v_id": c["payment_id"],
                    **{f"v_{k}": v for k, v in c.items() if k != "payment_id"},
                }
                for c in changes
            ],
        )


def _unsent(p: Table) -> ColumnElement[bool]:
    """Pending and in no document: what a cut may take."""
    return p.c.msg_id.is_(None) & (p.c.state == PaymentState.PENDING.value)
