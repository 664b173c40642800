"""The gateway's edges: PostgreSQL tables and stores, the bank over HTTP."""
