"""Tokens in PostgreSQL: created (the secret shown once), looked up by hash, revoked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from benefits_ops.access import Caller, Role, new_secret, secret_hash
from benefits_ops.adapters.tables import OpsTables


@dataclass(frozen=True, slots=True)
class TokenRow:
    token_id: str
    name: str
    role: Role
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class TokenStore:
    def __init__(self, tables: OpsTables) -> None:
        self._t = tables.tokens

    async def create(self, s: AsyncSession, name: str, role: Role, by: str) -> tuple[str, str]:
        """A new token: ``(token_id, secret)``; the secret is not kept and shown only now."""
        token_id, secret = str(uuid.uuid4()), new_secret()
        values = {
            "token_id": token_id,
            "name": name,
            "role": role.value,
            "secret_sha256": secret_hash(secret),
            "created_by": by,
        }
        await s.execute(insert(self._t).values(**values))
        return token_id, secret

    async def caller(self, s: AsyncSession, secret: str) -> Caller | None:
        row = (
            await s.execute(
                select(self._t.c.token_id, self._t.c.name, self._t.c.role).where(
                    self._t.c.secret_sha256 == secret_hash(secret), self._t.c.revoked_at.is_(None)
                )
            )
        ).first()
        return Caller(row.token_id, row.name, Role(row.role)) if row else None

    async def all(self, s: AsyncSession) -> list[TokenRow]:
        rows = await s.execute(select(self._t).order_by(self._t.c.created_at))
        return [
            TokenRow(r.token_id, r.name, Role(r.role), r.created_at, r.created_by, r.revoked_at)
            for r in rows
        ]

    async def revoke(self, s: AsyncSession, token_id: str) -> bool:
        done = await s.execute(
            update(self._t)
            .where(self._t.c.token_id == token_id, self._t.c.revoked_at.is_(None))
            .values(revoked_at=func.now())
            .returning(self._t.c.token_id)
        )
        return done.first() is not None
