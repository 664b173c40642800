"""The inbox and outbox tables that every service keeps in its own schema.

- ``inbox``: the id of every event already applied; inserting it in the same transaction
  as the effect makes re-delivery harmless. ``traceparent``: the trace context it was
  consumed in, for effects that come later (a worker's call, its events).
- ``outbox``: events to publish, written in the same transaction as the effect that
  caused them; the relay publishes them. ``traceparent`` is the event's W3C trace
  context (``benefits_shared.tracing``), also among its headers.
- ``outbox_batches``: what the relay claimed (``row_ids``, the outbox ids of the batch)
  and where each partition ended before it sent, so that a relay killed mid-send can find
  out what reached Kafka. ``outbox.batch_id`` is how a relay from before ``row_ids``
  noted its claim, row by row; a batch it left claimed is still recovered that way.
"""

from __future__ import annotations

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("traceparent", String(55), nullable=True),
    )


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", LargeBinary, nullable=True),
        Column("headers", JSONB, nullable=False),
        Column("value", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("batch_id", Uuid, nullable=True),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("traceparent", String(55), nullable=True),
        Index("outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )


def outbox_batches_table(metadata: MetaData) -> Table:
    return Table(
        "outbox_batches",
        metadata,
        Column("batch_id", Uuid, primary_key=True),
        Column("end_offsets", JSONB, nullable=False),
        Column("row_ids", ARRAY(BigInteger), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("completed_at", DateTime(timezone=True), nullable=True),
    )


def add_messaging_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Add inbox, outbox and outbox_batches to a service's metadata (its schema)."""
    return inbox_table(metadata), outbox_table(metadata), outbox_batches_table(metadata)


def traceparent_columns_ddl(schema: str, add: bool) -> list[str]:
    """The migration steps of every service that give its inbox and outbox the
    ``traceparent`` column (a schema made after them has it already: ``IF NOT EXISTS``)."""
    tables = (f'"{schema}".inbox', f'"{schema}".outbox')
    if add:
        return [f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS traceparent varchar(55)" for t in tables]
    return [f"ALTER TABLE {t} DROP COLUMN IF EXISTS traceparent" for t in tables]
