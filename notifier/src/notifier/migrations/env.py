from benefits_shared.db.migrations import run_env

from notifier.adapters.tables import SCHEMA, notifier_tables

run_env(notifier_tables().metadata, SCHEMA)
