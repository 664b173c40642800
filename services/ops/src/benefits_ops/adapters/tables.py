"""The ops service's tables, in its own schema (``ops`` in production, any in tests).

- ``events``: the projection of every record of every catalog topic, one row per event
  (unique by topic and ``ce_id``; a record without an envelope by its position). The
  payload is stored **with every PIN replaced by its keyed hash** (``#<digest>``), and the
  hashes it mentions are listed in ``pin_hashes`` for the timeline's lookup. Names and
  phones stay: the timeline shows them to an authorised user, logs never.
- ``dead_letters``: one row per ``.dlq`` record: where it came from, why, and what ops did
  with it. The raw payload is **not** copied here (it carries PINs in clear): the console
  reads it from the ``.dlq`` topic, at its offset, when someone opens the dead letter.
- ``resolutions``: unresolved-queue items that ops marked resolved, with the note.
- ``tokens``: API tokens (sha256 of the secret, never the secret) and their roles.
- ``audit_log``: append-only (a trigger refuses UPDATE and DELETE): who did what, when, why.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

SCHEMA = "ops"


@dataclass(frozen=True)
class OpsTables:
    metadata: MetaData
    events: Table
    dead_letters: Table
    resolutions: Table
    tokens: Table
    audit_log: Table


def ops_tables(schema: str = SCHEMA) -> OpsTables:
    md = MetaData(schema=schema)
    return OpsTables(
        md, _events(md), _dead_letters(md), _resolutions(md), _tokens(md), _audit_log(md)
    )


def _events(md: MetaData) -> Table:
    return Table(
        "events",
        md,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("topic", String(249), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("ce_id", String(64)),
        Column("ce_type", String(200)),
        Column("ce_time", DateTime(timezone=True)),
        Column("kind", String(24), nullable=False),
        Column("pin_hashes", ARRAY(String(64)), nullable=False, server_default="{}"),
        Column("decision_id", String(64)),
        Column("case_id", String(128)),
        Column("payload", JSONB),
        Column("projected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("trace_id", String(32)),
        UniqueConstraint("topic", "ce_id", name="events_once_per_id"),
        UniqueConstraint("topic", "partition", "offset", name="events_once_per_position"),
        Index("events_pin_hashes", "pin_hashes", postgresql_using="gin"),
        Index("events_decision", "decision_id"),
        Index("events_kind_time", "kind", "ce_time"),
        Index("events_projected", "projected_at"),
    )


def _dead_letters(md: MetaData) -> Table:
    return Table(
        "dead_letters",
        md,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("dlq_topic", String(249), nullable=False),
        Column("dlq_partition", Integer, nullable=False),
        Column("dlq_offset", BigInteger, nullable=False),
        Column("origin_topic", String(249), nullable=False),
        Column("origin_partition", Integer),
        Column("origin_offset", BigInteger),
        Column("reason", Text, nullable=False),
        Column("kind", String(64), nullable=False),
        Column("consumer_group", String(200)),
        Column("dead_at", DateTime(timezone=True)),
        Column("ce_id", String(64)),
        Column("ce_type", String(200)),
        Column("pin_hashes", ARRAY(String(64)), nullable=False, server_default="{}"),
        Column("state", String(16), nullable=False, server_default="open"),
        Column("resolved_at", DateTime(timezone=True)),
        Column("resolved_by", String(200)),
        Column("resolution", JSONB),
        Column("projected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        UniqueConstraint(
            "dlq_topic", "dlq_partition", "dlq_offset", name="dead_letters_once_per_position"
        ),
        Index("dead_letters_state", "state", "id"),
    )


def _resolutions(md: MetaData) -> Table:
    return Table(
        "resolutions",
        md,
        Column("item_key", String(300), primary_key=True),
        Column("resolved_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("resolved_by", String(200), nullable=False),
        Column("note", Text, nullable=False),
    )


def _tokens(md: MetaData) -> Table:
    return Table(
        "tokens",
        md,
        Column("token_id", String(36), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("role", String(16), nullable=False),
        Column("secret_sha256", String(64), nullable=False, unique=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("created_by", String(200), nullable=False),
        Column("revoked_at", DateTime(timezone=True)),
    )


def _audit_log(md: MetaData) -> Table:
    return Table(
        "audit_log",
        md,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(200), nullable=False),
        Column("role", String(16), nullable=False),
        Column("action", String(64), nullable=False),
        Column("target", String(300), nullable=False),
        Column("reason", Text),
        Column("details", JSONB, nullable=False, server_default="{}"),
        Index("audit_log_at", "at"),
    )


def append_only_ddl(schema: str) -> list[str]:
    """The trigger that refuses UPDATE and DELETE on the audit log (and TRUNCATE)."""
    fn = f'"{schema}".audit_log_is_append_only'
    return [
        f"""CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
        f"""CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "{schema}".audit_log
        FOR EACH ROW EXECUTE FUNCTION {fn}()""",
        f"""CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "{schema}".audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION {fn}()""",
    ]
