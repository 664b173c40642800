"""The engine's bookkeeping of ops commands (ADR 12), in its own schema.

``ops_commands``: one row per replay or shadow run the engine accepted: the command as
received, the cases its selection resolved to (fixed once, so a run resumed after a crash
covers the same cases), how far it got, whether ops asked to cancel it, and how it ended.
Nothing else of the engine is written by a dry run or a shadow run.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB


def ops_commands_table(schema: str) -> Table:
    return Table(
        "ops_commands",
        MetaData(schema=schema),
        Column("command_id", String(64), primary_key=True),
        Column("type", String(128), nullable=False),
        Column("command", JSONB, nullable=False),
        #: accepted → running → completed | cancelled | failed
        Column("state", String(16), nullable=False, server_default="accepted"),
        Column("cases", JSONB),
        Column("cases_total", Integer, nullable=False, server_default="0"),
        Column("cases_done", Integer, nullable=False, server_default="0"),
        Column("next_seq", Integer, nullable=False, server_default="0"),
        Column("changed", Integer, nullable=False, server_default="0"),
        Column("delta", Numeric(14, 2), nullable=False, server_default="0"),
        Column("published", Integer, nullable=False, server_default="0"),
        Column("cancel_requested", Boolean, nullable=False, server_default="false"),
        Column("error", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
