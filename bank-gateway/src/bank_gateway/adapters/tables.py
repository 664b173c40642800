"""The gateway's tables, in its own schema (``bank_gateway`` in production, any in tests).

- ``decisions``: every decision applied (to recognise one that a later one superseded);
  ``cases``: each benefit case as its latest decision left it.
- ``accounts``: one row per person (keyed PIN hash), with the request exactly as first
  sent and its idempotency key, both stored before the first call.
- ``payments``: one row per payment (deterministic id from the case and the days paid),
  with its ``EndToEndId``, its state and the document (``msg_id``) that carries it.
- ``documents``: each pain.001 as sent: its bytes and key, stored before the first call.
- ``recoveries`` and ``rejections``: what ops must act on; ``owed_to_estate``: B2 days
  due to a payee who died before they were paid, never sent (ops pay the heirs).
  ``payroll_runs``: each run.
- ``clock``: the latest Baku day a tick announced.
"""

from __future__ import annotations

from dataclasses import dataclass

from benefits_shared.db.messaging_tables import add_messaging_tables
from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from bank_gateway.adapters.leases import retry_columns

SCHEMA = "bank_gateway"


def _at(name: str, nullable: bool = True) -> Column[object]:
    if nullable:
        return Column(name, DateTime(timezone=True))
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


@dataclass(frozen=True)
class GatewayTables:
    metadata: MetaData
    decisions: Table
    cases: Table
    accounts: Table
    payments: Table
    documents: Table
    recoveries: Table
    rejections: Table
    payroll_runs: Table
    clock: Table
    owed_to_estate: Table
    inbox: Table
    outbox: Table


def _decisions(md: MetaData) -> tuple[Table, Table]:
    decisions = Table(
        "decisions",
        md,
        Column("decision_id", String(64), primary_key=True),
        Column("case_id", String(128), nullable=False, index=True),
        Column("supersedes", String(64), index=True),
        Column("outcome", String(32), nullable=False),
        _at("received_at", nullable=False),
    )
    cases = Table(
        "cases",
        md,
        Column("case_id", String(128), primary_key=True),
        Column("benefit", String(8), nullable=False),
        Column("decision_id", String(64), nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("person_key", String(64)),
        Column("recipient", JSONB),
        Column("amount", Numeric(14, 2)),
        Column("entitlement", JSONB),
        Column("recovery", JSONB),
        Column("payee_died_on", Date),
        _at("updated_at", nullable=False),
        Index("cases_by_benefit", "benefit", "case_id"),  # a payroll run's slices (ADR 29)
    )
    return decisions, cases


def payable(table: str = "") -> str:
    """The accounts whose payees may have payments ready (``accounts_payable``), as SQL
    with its literal (a bound parameter would keep the planner from the partial index)."""
    at = f"{table}." if table else ""
    return f"{at}payment_asks_unseen > 0"


def _accounts(md: MetaData) -> Table:
    return Table(
        "accounts",
        md,
        Column("person_key", String(64), primary_key=True),
        Column("request_key", String(64), nullable=False, unique=True),
        Column("request_body", LargeBinary, nullable=False),
        Column("pin", String(7), nullable=False),
        Column("decision_id", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("account_id", String(64)),
        Column("iban", String(34)),
        *retry_columns(),
        _at("created_at", nullable=False),
        _at("opened_at"),
        # Payments asked for the payee (1 when the account opens, 1 more with each ask
        # after) that no cut has seen through: an account with some is "payable", its
        # payee may have payments ready, so a cut looks at those payees only (ADR 0022).
        # Above 0 only while open; one column, so that the planner knows from its
        # statistics how few accounts are payable.
        Column("payment_asks_unseen", BigInteger, nullable=False, server_default="0"),
        Index("accounts_due", "next_attempt_at", postgresql_where=text("state = 'requested'")),
        Index("accounts_payable", "person_key", postgresql_where=text(payable())),
    )


def _payments(md: MetaData) -> Table:
    return Table(
        "payments",
        md,
        Column("payment_id", String(36), primary_key=True),
        Column("end_to_end_id", String(35), nullable=False, unique=True),
        Column("case_id", String(128), nullable=False, index=True),
        Column("decision_id", String(64), nullable=False),
        Column("benefit", String(8), nullable=False),
        Column("person_key", String(64), nullable=False),
        Column("recipient_pin", String(7), nullable=False),
        Column("creditor_name", String(140), nullable=False),
        Column("amount", Numeric(14, 2), nullable=False),
        Column("period_start", Date),
        Column("period_end", Date),
        Column("days", ARRAY(Date)),
        Column("monthly_rate", Numeric(14, 2)),
        Column("days_in_month", Integer),
        Column("state", String(16), nullable=False),
        Column("msg_id", String(35), index=True),
        Column("held_elsewhere", Boolean, nullable=False, server_default="false"),
        Column("reason_code", String(35)),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        _at("settled_at"),
        Index("payments_unsent", "person_key", postgresql_where=text("msg_id IS NULL")),
        # A grant is paid once per case, recipient and amount (ids.grant_payment_id).
        Index(
            "payments_one_grant",
            "case_id",
            "person_key",
            "amount",
            unique=True,
            postgresql_where=text("days IS NULL"),
        ),
    )


def _documents(md: MetaData) -> Table:
    return Table(
        "documents",
        md,
        Column("msg_id", String(35), primary_key=True),
        Column("idempotency_key", String(64), nullable=False, unique=True),
        Column("document", LargeBinary, nullable=False),
        Column("transfers", Integer, nullable=False),
        Column("state", String(16), nullable=False),
        *retry_columns(),
        _at("created_at", nullable=False),
        _at("accepted_at"),
        _at("completed_at"),
        Index("documents_due", "next_attempt_at", postgresql_where=text("completed_at IS NULL")),
    )


def _ops(md: MetaData) -> tuple[Table, Table, Table, Table]:
    recoveries = Table(
        "recoveries",
        md,
        Column("recovery_id", String(36), primary_key=True),
        Column("case_id", String(128), nullable=False, index=True),
        Column("decision_id", String(64), nullable=False),
        Column("recipient_pin", String(7)),
        Column("month", Date),
        Column("days", ARRAY(Date)),
        Column("amount", Numeric(14, 2), nullable=False),
        Column("reason", Text, nullable=False),
        Column("payment_id", String(36)),
        _at("opened_at", nullable=False),
        _at("resolved_at"),
    )
    rejections = Table(
        "rejections",
        md,
        Column("payment_id", String(36), primary_key=True),
        Column("case_id", String(128), nullable=False),
        Column("reason_code", String(35), nullable=False),
        Column("amount", Numeric(14, 2), nullable=False),
        _at("rejected_at", nullable=False),
        _at("resolved_at"),
    )
    payroll_runs = Table(
        "payroll_runs",
        md,
        Column("run_id", BigInteger, primary_key=True, autoincrement=True),
        Column("month", Date, nullable=False, index=True),
        Column("trigger", String(16), nullable=False),
        Column("payments", Integer, nullable=False),
        Column("total", Numeric(16, 2), nullable=False),
        _at("ran_at", nullable=False),
    )
    clock = Table(
        "clock", md, Column("id", Integer, primary_key=True), Column("today", Date, nullable=False)
    )
    return recoveries, rejections, payroll_runs, clock


def _owed_to_estate(md: MetaData) -> Table:
    return Table(
        "owed_to_estate",
        md,
        Column("owed_id", String(36), primary_key=True),
        Column("case_id", String(128), nullable=False, index=True),
        Column("decision_id", String(64), nullable=False),
        Column("benefit", String(8), nullable=False),
        Column("person_key", String(64), nullable=False),
        Column("deceased_pin", String(7), nullable=False),
        Column("died_on", Date, nullable=False),
        Column("month", Date, nullable=False),
        Column("days", ARRAY(Date), nullable=False),
        Column("monthly_rate", Numeric(14, 2), nullable=False),
        Column("days_in_month", Integer, nullable=False),
        Column("amount", Numeric(14, 2), nullable=False),
        Column("payment_id", String(36)),  # the payment the bank refused (MD07), if any
        _at("recorded_at", nullable=False),
        _at("resolved_at"),
    )


def gateway_tables(schema: str = SCHEMA) -> GatewayTables:
    md = MetaData(schema=schema)
    decisions, cases = _decisions(md)
    accounts, payments, documents = _accounts(md), _payments(md), _documents(md)
    recoveries, rejections, payroll_runs, clock = _ops(md)
    owed_to_estate = _owed_to_estate(md)
    inbox, outbox, _ = add_messaging_tables(md)
    return GatewayTables(
        md,
        decisions,
        cases,
        accounts,
        payments,
        documents,
        recoveries,
        rejections,
        payroll_runs,
        clock,
        owed_to_estate,
        inbox,
        outbox,
    )
