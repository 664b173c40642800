"""The notifier's I/O: its PostgreSQL tables, the SMS gateway over HTTP."""
