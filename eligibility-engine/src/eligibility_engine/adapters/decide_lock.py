"""One decider at a time: the event handler's batches and a replay's applied slices.

Both read cases' states, decide and write the next decisions; run at once on the same
case they would both write its next position, and a case held for knowledge (ADR 8) must
be released by one of them only. Each takes, in its own transaction, the schema's
transaction-scoped advisory lock before it reads what it decides from, so they run one
after the other on any number of replicas (a batch and a slice are short).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")


class DecideLock:
    def __init__(self, schema: str) -> None:
        self.schema = schema
        self._key = {"name": f"{schema}:decide"}

    async def exclusive(self, s: AsyncSession) -> None:
        """Be the only decider of the schema until ``s``'s transaction ends."""
        await s.execute(LOCK, self._key)
