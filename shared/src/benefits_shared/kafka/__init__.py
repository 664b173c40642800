"""Kafka with aiokafka, its unsafe defaults overridden (acks=all, idempotence,
earliest offsets, no auto-commit, read_committed)."""
