"""The engine's tables, in its own schema (``engine`` in production, any in tests).

Facts are stored as they arrived; cancellations and corrections are kept apart
(``amendments``) and folded in when a case is read, so the order in which records come
does not change what the engine ends up knowing.
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
    TextClause,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA = "engine"

#: A batch's statements look rows up by arrays of keys (a semi-join with ``unnest``), on
#: tables that may grow from nothing to millions of rows between two ANALYZE runs (a
#: first load). A plan made once for any array (a generic plan) while a table was small
#: can scan it row by row for every key; planned for the keys at hand and the tables'
#: present size, each lookup is a hash join on a small table and index probes on a large
#: one. (Written as ``= ANY(array)`` instead, planning alone took ~10 ms per 3,000 keys.)
PLAN_EACH_STATEMENT = text("SET LOCAL plan_cache_mode = force_custom_plan")


@dataclass(frozen=True)
class EngineTables:
    metadata: MetaData
    persons: Table
    births: Table
    deaths: Table
    amendments: Table
    clock: Table
    certificates: Table
    cases: Table
    decisions: Table
    inbox: Table
    outbox: Table
    knowledge: Table
    pending: Table
    pin_days: Table

    def sql(self, template: str) -> TextClause:
        """A set-based statement on these tables: ``{s}`` in ``template`` is the schema."""
        schema = self.metadata.schema or "public"
        return text(template.replace("{s}", '"' + schema.replace('"', '""') + '"'))

    def statements(self, **templates: str) -> dict[str, TextClause]:
        """``sql`` of each template, by name."""
        return {name: self.sql(template) for name, template in templates.items()}


def engine_tables(schema: str = SCHEMA) -> EngineTables:
    md = MetaData(schema=schema)
    persons = Table(
        "persons",
        md,
        Column("pin", String(7), primary_key=True),
        Column("record", JSONB, nullable=False),
        Column("registry_seq", BigInteger, nullable=False),
        Column("date_of_death", Date),
        Column("mother_pin", String(7), index=True),
        Column("father_pin", String(7), index=True),
    )
    births = Table(
        "births",
        md,
        Column("record_no", String(64), primary_key=True),
        Column("child_pin", String(7), nullable=False, index=True),
        Column("birth_date", Date, nullable=False),
        Column("mother_pin", String(7), index=True),
        Column("father_pin", String(7), index=True),
        Column("registered_on", Date, nullable=False),
        Column("original", JSONB, nullable=False),
        Column("cancelled", Boolean, nullable=False, server_default="false"),
        Column("corrections", JSONB, nullable=False, server_default="[]"),
    )
    deaths = Table(
        "deaths",
        md,
        Column("record_no", String(64), primary_key=True),
        Column("deceased_pin", String(7), nullable=False, index=True),
        Column("death_date", Date, nullable=False),
        Column("informant_pin", String(7), index=True),
        Column("registered_on", Date, nullable=False),
        Column("original", JSONB, nullable=False),
        Column("cancelled", Boolean, nullable=False, server_default="false"),
    )
    amendments = Table(
        "amendments",
        md,
        Column("record_no", String(64), primary_key=True),
        Column("target", String(64), nullable=False, index=True),
        Column("kind", String(16), nullable=False),
        Column("changes", JSONB, nullable=False),
        Column("seq", BigInteger, nullable=False),
    )
    clock = Table(
        "clock",
        md,
        Column("id", Integer, primary_key=True),
        Column("today", Date, nullable=False),
    )
    certificates = Table(
        "certificates",
        md,
        Column("certificate_no", String(64), primary_key=True),
        Column("holder_pin", String(7), nullable=False, index=True),
        Column("group", String(8), nullable=False),
        Column("valid_from", Date, nullable=False),
        Column("valid_until", Date),
        Column("issued_at", Date, nullable=False),
        Column("revoked_from", Date),
        Column("source_order", BigInteger, nullable=False),
    )
    cases = Table(
        "cases",
        md,
        Column("case_id", String(128), primary_key=True),
        Column("benefit", String(32), nullable=False),
        Column("subject", String(64), nullable=False, index=True),
        Column("last_decision_id", String(64)),
        Column("last_outcome", String(32)),
        Column("last_fingerprint", String(64)),
        Column("decision_count", Integer, nullable=False, server_default="0"),
        Column("grant_state", String(16), nullable=False, server_default="none"),
        Column("granted_to", String(7)),
        Column("period_start", Date),
        Column("period_end", Date),
        Column("paid_through", Date),
        Column("reexamination_on", Date, index=True),
        Column("updated_at", DateTime(timezone=True), server_default=func.now()),
    )
    decisions = Table(
        "decisions",
        md,
        Column("decision_id", String(64), primary_key=True),
        Column("case_id", String(128), nullable=False),
        Column("outcome", String(32), nullable=False),
        Column("supersedes", String(64)),
        Column("decided_on", Date, nullable=False),
        Column("body", JSONB, nullable=False),
        Column("position", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), server_default=func.now()),
        Index("decisions_case_position", "case_id", "position", unique=True),
    )
    inbox, outbox, _ = add_messaging_tables(md)
    knowledge, pending = knowledge_tables(md)
    return EngineTables(
        md,
        persons,
        births,
        deaths,
        amendments,
        clock,
        certificates,
        cases,
        decisions,
        inbox,
        outbox,
        knowledge,
        pending,
        pin_days_table(md),
    )


def pin_days_table(md: MetaData) -> Table:
    """The latest day an event naming each PIN touched the engine (the later of the day it
    speaks of and the day it reached Kafka): a case is decided on no earlier a day than
    that of anyone who touches it, whether their event came before the case or after
    (ADR 0005, amended 2026-12-05). Indexed by day: a batch first asks whether anyone's
    day is later than its cases' (live, nobody's is)."""
    return Table(
        "pin_days",
        md,
        Column("pin", String(7), primary_key=True),
        Column("day", Date, nullable=False, index=True),
    )


def knowledge_tables(md: MetaData) -> tuple[Table, Table]:
    """How complete the copy of each registry is (ADR 0008), and the cases waiting for it.

    ``knowledge``: the latest progress marker of each partition of each source.
    ``pending_cases``: a case touched by a record the copy does not cover yet, with the day
    it is to be decided on and what it needs (``eligibility_engine.knowledge.Needs``).
    """
    knowledge = Table(
        "knowledge",
        md,
        Column("source", String(16), primary_key=True),
        Column("partition", Integer, primary_key=True),
        Column("partitions", Integer, nullable=False),
        Column("as_of", DateTime(timezone=True)),
        Column("through_seq", BigInteger),
        Column("updated_at", DateTime(timezone=True), server_default=func.now()),
    )
    pending = Table(
        "pending_cases",
        md,
        Column("benefit", String(8), primary_key=True),
        Column("subject", String(64), primary_key=True),
        Column("decide_on", Date, nullable=False),
        Column("arrived_ms", BigInteger, nullable=False),
        Column("civil_seq", BigInteger, nullable=False),
        Column("mse_ms", BigInteger, nullable=False, server_default=text("0")),
        Column("since", DateTime(timezone=True), server_default=func.now()),
        Column("traceparent", String(55)),
    )
    return knowledge, pending
