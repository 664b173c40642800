"""I/O of the ops service: its PostgreSQL schema, Kafka (redrive, dead-letter reads, lag)."""
