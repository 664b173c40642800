"""A service's env.py, as every service writes it (here for a throw-away schema)."""

from benefits_shared.db.migrations import run_env
from sqlalchemy import Column, MetaData, String, Table

METADATA = MetaData()
Table("effects", METADATA, Column("event_id", String(64), nullable=False))

run_env(METADATA, "example")
