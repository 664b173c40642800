"""The connectors' tables, in their own schema (``connectors`` unless configured).

- ``checkpoints``: where each feed is (civil cursor, population full copy and changes);
- ``civil_records``: every record number seen: the hash of the content published under
  it and its Kafka subject (a later cancellation or correction is keyed the same way),
  and the hashes of the contents quarantined under it;
- ``mse_files``: every drop file processed, by name and content hash;
- ``mse_published``: the event ids published per day of MSE files (a ``_2`` file sends
  only what is new or changed).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

SCHEMA = "connectors"


@dataclass(frozen=True, slots=True)
class Tables:
    metadata: MetaData
    checkpoints: Table
    civil_records: Table
    mse_files: Table
    mse_published: Table


def connector_tables(schema: str = SCHEMA) -> Tables:
    metadata = MetaData(schema=schema)
    return Tables(
        metadata,
        Table(
            "checkpoints",
            metadata,
            Column("name", String(64), primary_key=True),
            Column("seq", BigInteger, nullable=False, server_default="0"),
            Column("after_pin", String(16)),
            Column("done", Boolean, nullable=False, server_default="false"),
            Column("updated_at", DateTime(timezone=True), server_default=func.now()),
        ),
        Table(
            "civil_records",
            metadata,
            Column("record_no", String(64), primary_key=True),
            Column("content_hash", String(64)),  # of the content published, if any
            Column("subject", String(64)),
            Column("rejected", ARRAY(String(64)), nullable=False, server_default="{}"),
        ),
        Table(
            "mse_files",
            metadata,
            Column("name", String(128), primary_key=True),
            Column("content_hash", String(64), primary_key=True),
            Column("day", Date, nullable=False),
            Column("rows", Integer, nullable=False),
            Column("published", Integer, nullable=False),
            Column("quarantined", Integer, nullable=False),
            Column("processed_at", DateTime(timezone=True), server_default=func.now()),
        ),
        Table(
            "mse_published",
            metadata,
            Column("day", Date, primary_key=True),
            Column("event_id", String(36), primary_key=True),
        ),
    )


METADATA = connector_tables().metadata
