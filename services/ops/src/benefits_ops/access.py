"""Who may do what: roles, tokens and the secret's hash (pure).

A token is ``ops_`` and 43 URL-safe characters (256 random bits). Only its sha256 is stored:
a secret of that entropy needs no salt or slow hash, and the lookup is one index probe.

| role | may |
| --- | --- |
| ``viewer`` | read: timeline, queues, dashboard |
| ``operator`` | what a viewer may, and replay, redrive, discard, resolve, shadow runs |
| ``admin`` | what an operator may, and manage tokens, read the audit log |
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

TOKEN_PREFIX = "ops_"  # noqa: S105 (a prefix, not a secret)


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True, slots=True)
class Caller:
    """The holder of a valid token: what the audit log names as the actor."""

    token_id: str
    name: str
    role: Role

    @property
    def actor(self) -> str:
        return f"{self.name} ({self.token_id[:8]})"


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode(errors="replace")).hexdigest()
