"""The notifier's tables, in its own schema (``notifier`` in production, any in tests).

- ``notices``: one row per (decision, kind of notice), its state, the body handed to the
  gateway (fixed before the first attempt), what the gateway said, and the trace context
  its decision was consumed in.
- ``persons``: the phone, language and death of each person, from the ``persons`` mirror.
- ``accounts``: the bank's name and the account's last 4 characters, once it is open.
- ``delivery_reports``: every report the gateway POSTed, even for a message id not yet
  known (its answer may come after its report); applied when the notice learns that id.
"""

from __future__ import annotations

from dataclasses import dataclass

from benefits_shared.db.messaging_tables import add_messaging_tables
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA = "notifier"


@dataclass(frozen=True)
class NotifierTables:
    metadata: MetaData
    notices: Table
    persons: Table
    accounts: Table
    delivery_reports: Table
    inbox: Table
    outbox: Table


def notifier_tables(schema: str = SCHEMA) -> NotifierTables:
    md = MetaData(schema=schema)
    inbox, outbox, _ = add_messaging_tables(md)
    return NotifierTables(
        md, _notices(md), _persons(md), _accounts(md), _delivery_reports(md), inbox, outbox
    )


def _notices(md: MetaData) -> Table:
    return Table(
        "notices",
        md,
        Column("notice_id", String(36), primary_key=True),
        Column("decision_id", String(64), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("recipient_pin", String(7), index=True),
        Column("language", String(2), nullable=False),
        Column("decision", JSONB, nullable=False),
        Column("state", String(16), nullable=False),
        Column("reason", Text),
        # Business time (the notifier's clock): not before the account wait is over.
        Column("send_after", DateTime(timezone=True), nullable=False),
        # Real time (the database's): not before this notice's retry backoff is over.
        Column("retry_at", DateTime(timezone=True)),
        Column("idempotency_key", String(64), nullable=False, unique=True),
        Column("request", JSONB),
        Column("encoding", String(8)),
        Column("segments", Integer),
        Column("with_account", Boolean),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("failures", Integer, nullable=False, server_default="0"),
        Column("outcome_unknown", Boolean, nullable=False, server_default="false"),
        Column("last_error", Text),
        Column("message_id", String(128), unique=True),
        Column("handed_over_at", DateTime(timezone=True)),
        Column("reported_at", DateTime(timezone=True)),
        # The trace context its decision was consumed in (ADR 0015), kept with the notice
        # so that its hand-over and every change of state continue it without a lookup.
        Column("traceparent", String(55)),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        UniqueConstraint("decision_id", "kind", name="notices_one_per_decision_and_kind"),
        Index("notices_due", "state", "send_after"),
        # The sender's next notice, walked in its order (see ``NoticeStore._due``): without
        # it every claim sorted all pending notices (a seq scan each at 10,000 births).
        Index(
            "notices_next",
            "send_after",
            "created_at",
            "notice_id",
            postgresql_where=text("state = 'pending'"),
        ),
    )


def _persons(md: MetaData) -> Table:
    return Table(
        "persons",
        md,
        Column("pin", String(7), primary_key=True),
        Column("phone", String(32)),
        Column("language", String(2), nullable=False),
        Column("died_on", Date),
        Column("registry_seq", BigInteger, nullable=False),
    )


def _accounts(md: MetaData) -> Table:
    return Table(
        "accounts",
        md,
        Column("recipient_pin", String(7), primary_key=True),
        Column("account_id", String(128), nullable=False),
        Column("bank_name", String(200), nullable=False),
        Column("account_last4", String(4), nullable=False),
    )


def _delivery_reports(md: MetaData) -> Table:
    return Table(
        "delivery_reports",
        md,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("message_id", String(128), nullable=False),
        Column("status", String(16), nullable=False),
        Column("error", Text),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        UniqueConstraint("message_id", "status", "at", name="delivery_reports_once"),
    )
