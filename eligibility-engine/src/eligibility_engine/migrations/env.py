from benefits_shared.db.migrations import run_env

from eligibility_engine.adapters.tables import SCHEMA, engine_tables

run_env(engine_tables().metadata, SCHEMA)
