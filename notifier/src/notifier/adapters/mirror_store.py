"""What the notifier keeps of other services' facts: each person's phone, language and
death (from ``persons``), and each recipient's open account (from ``payments``).
"""

from __future__ import annotations

from datetime import datetime

from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.contracts.persons import PersonRecord
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.adapters.tables import NotifierTables
from notifier.reachability import MirroredPerson


class MirrorStore:
    def __init__(self, tables: NotifierTables) -> None:
        self._t = tables

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
