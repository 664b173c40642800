from benefits_shared.db.migrations import run_env

from benefits_ops.adapters.tables import SCHEMA, ops_tables

run_env(ops_tables().metadata, SCHEMA)
