"""The engine's I/O: its PostgreSQL tables (facts, cases, decisions)."""
