"""What the notifier keeps of other services' facts: each person's phone, language and
death (from ``persons``), and each recipient's open account (from ``payments``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.db.row_arrays import arrays, insert_rows
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.adapters.tables import NotifierTables
from notifier.reachability import MirroredPerson

#: One transaction-scoped lock per recipient, taken in one order (no deadlock between two
#: batches that share recipients).
LOCK_RECIPIENTS = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM "
    "(SELECT DISTINCT hashtextextended('notifier-recipient:' || pin, 0) AS k "
    "FROM unnest(CAST(:pins AS text[])) AS pin ORDER BY 1) AS keys"
)


_PERSON_COLUMNS = ("pin", "phone", "language", "died_on", "registry_seq")
_ACCOUNT_COLUMNS = ("recipient_pin", "account_id", "bank_name", "account_last4")


class MirrorStore:
    def __init__(self, tables: NotifierTables) -> None:
        self._t = tables
        # one execution for a batch's rows (``row_arrays``), not one per row; built once
        p, a = tables.persons, tables.accounts
        persons = insert_rows(p, _PERSON_COLUMNS)
        self._persons = persons.on_conflict_do_update(
            index_elements=["pin"],
            set_={k: persons.excluded[k] for k in _PERSON_COLUMNS if k != "pin"},
            where=p.c.registry_seq <= persons.excluded.registry_seq,
        )
        accounts = insert_rows(a, _ACCOUNT_COLUMNS)
        self._accounts = accounts.on_conflict_do_update(
            index_elements=["recipient_pin"],
            set_={k: accounts.excluded[k] for k in _ACCOUNT_COLUMNS if k != "recipient_pin"},
        )

    async def lock_recipients(self, s: AsyncSession, pins: Iterable[str | None]) -> None:
        """Until the caller's transaction ends, no other instance plans a notice of these
        recipients or records their account. Without it, a decision's notice planned
        while its recipient's account is being recorded in another instance's transaction
        would wait out the whole account wait: the account's release of waiting notices
        cannot see the notice not committed yet, and the notice's plan cannot see the
        account not committed yet."""
        wanted = sorted({pin for pin in pins if pin})
        if wanted:
            await s.execute(LOCK_RECIPIENTS, {"pins": wanted})

    async def person(self, s: AsyncSession, pin: str | None) -> MirroredPerson | None:
        return (await self.persons(s, [pin])).get(pin) if pin else None

    async def persons(self, s: AsyncSession, pins: Iterable[str]) -> dict[str, MirroredPerson]:
        """What is kept of each of ``pins`` (those not known are absent)."""
        wanted, p = sorted(set(pins)), self._t.persons
        if not wanted:
            return {}
        rows = await s.execute(select(p).where(p.c.pin.in_(wanted)))
        return {r.pin: MirroredPerson(r.phone, r.language, r.died_on) for r in rows}

    async def account(self, s: AsyncSession, pin: str | None) -> AccountOpened | None:
        return (await self.accounts(s, [pin])).get(pin) if pin else None

    async def accounts(self, s: AsyncSession, pins: Iterable[str]) -> dict[str, AccountOpened]:
        """The open account of each of ``pins`` that has one."""
        wanted, a = sorted(set(pins)), self._t.accounts
        if not wanted:
            return {}
        rows = await s.execute(select(a).where(a.c.recipient_pin.in_(wanted)))
        return {
            r.recipient_pin: AccountOpened(
                recipient_pin=r.recipient_pin,
                account_id=r.account_id,
                account_last4=r.account_last4,
                bank_name=r.bank_name,
            )
            for r in rows
        }

    async def record_persons(self, s: AsyncSession, records: Iterable[PersonRecord]) -> None:
        """Keep the latest version of each by ``registry_seq``; an older one arriving late
        is ignored. One statement for the lot."""
        latest: dict[str, PersonRecord] = {}
        for record in records:
            kept = latest.get(record.pin)
            if kept is None or kept.registry_seq <= record.registry_seq:
                latest[record.pin] = record
        if not latest:
            return
        rows = [
            {
                "pin": r.pin,
                "phone": r.phone,
                "language": r.language,
                "died_on": r.date_of_death,
                "registry_seq": r.registry_seq,
            }
            for r in latest.values()
        ]
        await s.execute(self._persons, arrays("v", rows))

    async def record_accounts(
        self, s: AsyncSession, opened: Iterable[AccountOpened], now: datetime
    ) -> None:
        """Keep the accounts (the last of a recipient's wins) and release the notices of
        their owners that wait for one. Two statements for the lot."""
        last = {o.recipient_pin: o for o in opened}
        if not last:
            return
        n = self._t.notices
        rows = [
            {
                "recipient_pin": o.recipient_pin,
                "account_id": o.account_id,
                "bank_name": o.bank_name,
                "account_last4": o.account_last4[-4:],
            }
            for o in last.values()
        ]
        await s.execute(self._accounts, arrays("v", rows))
        await s.execute(
            update(n)
            .where(
                n.c.recipient_pin.in_(sorted(last)),
                n.c.state == "pending",
                n.c.request.is_(None),
                n.c.send_after > now,
            )
            .values(send_after=now)
        )
