from benefits_shared.db.migrations import run_env

from bank_gateway.adapters.tables import SCHEMA, gateway_tables

run_env(gateway_tables().metadata, SCHEMA)
