"""PostgreSQL: async sessions, per-service schemas and migrations, the inbox and outbox."""
