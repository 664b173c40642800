"""Alembic environment of the connectors' schema (the schema name comes from the caller)."""

from benefits_shared.db.migrations import run_env

from registry_connectors.adapters.tables import METADATA, SCHEMA

run_env(METADATA, SCHEMA)
