"""What the notifier keeps of other services' facts: each person's phone, language and
death (from ``persons``), and each recipient's open account (from ``payments``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.contracts.persons import PersonRecord
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
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


class MirrorStore:
    def __init__(self, tables: NotifierTables) -> None:
        self._t = tables

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
        if pin is None:
            return None
        p = self._t.persons
        row = (await s.execute(select(p).where(p.c.pin == pin))).first()
        if row is None:
            return None
        return MirroredPerson(row.phone, row.language, row.died_on)

    async def account(self, s: AsyncSession, pin: str | None) -> AccountOpened | None:
        if pin is None:
            return None
        a = self._t.accounts
        row = (await s.execute(select(a).where(a.c.recipient_pin == pin))).first()
        if row is None:
            return None
        return AccountOpened(
            recipient_pin=pin,
            account_id=row.account_id,
            account_last4=row.account_last4,
            bank_name=row.bank_name,
        )

    async def record_person(self, s: AsyncSession, record: PersonRecord) -> None:
        """Keep the latest version by ``registry_seq``; an older one arriving late is ignored."""
        p = self._t.persons
        values = {
            "pin": record.pin,
            "phone": record.phone,
            "language": record.language,
            "died_on": record.date_of_death,
            "registry_seq": record.registry_seq,
        }
        stmt = insert(p).values(values)
        await s.execute(
            stmt.on_conflict_do_update(
                index_elements=["pin"],
                set_={k: stmt.excluded[k] for k in values if k != "pin"},
                where=p.c.registry_seq <= stmt.excluded.registry_seq,
            )
        )

    async def record_account(self, s: AsyncSession, opened: AccountOpened, now: datetime) -> None:
        """Keep the account and release the notices of its owner that wait for it."""
        a, n = self._t.accounts, self._t.notices
        values = {
            "recipient_pin": opened.recipient_pin,
            "account_id": opened.account_id,
            "bank_name": opened.bank_name,
            "account_last4": opened.account_last4[-4:],
        }
        stmt = insert(a).values(values)
        await s.execute(
            stmt.on_conflict_do_update(
                index_elements=["recipient_pin"],
                set_={k: stmt.excluded[k] for k in values if k != "recipient_pin"},
            )
        )
        await s.execute(
            update(n)
            .where(
                n.c.recipient_pin == opened.recipient_pin,
                n.c.state == "pending",
                n.c.request.is_(None),
                n.c.send_after > now,
            )
            .values(send_after=now)
        )
