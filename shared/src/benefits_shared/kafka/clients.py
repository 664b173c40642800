"""Factories of aiokafka clients with the project's safe settings."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from benefits_shared.connections import KafkaConnection, kafka_options


def idempotent_producer(
    bootstrap: str | KafkaConnection, client_id: str, **overrides: Any
) -> AIOKafkaProducer:
    """acks=all and idempotence: a retried send is written once, in order per partition."""
    settings: dict[str, Any] = {
        **kafka_options(bootstrap),
        "client_id": client_id,
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "max_batch_size": 256 * 1024,
        "request_timeout_ms": 30_000,
    }
    settings.update(overrides)
    return AIOKafkaProducer(**settings)


def safe_consumer(
    bootstrap: str | KafkaConnection, group_id: str | None, *topics: str, **overrides: Any
) -> AIOKafkaConsumer:
    """No auto-commit, earliest offsets for a new group, committed reads only."""
    settings: dict[str, Any] = {
        **kafka_options(bootstrap),
        "group_id": group_id,
        "client_id": group_id or "reader",
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": "read_committed",
        "max_poll_interval_ms": 300_000,
        "session_timeout_ms": 30_000,
        "heartbeat_interval_ms": 3_000,
        "fetch_max_bytes": 16 * 1024 * 1024,
        "max_partition_fetch_bytes": 4 * 1024 * 1024,
    }
    settings.update(overrides)
    return AIOKafkaConsumer(*topics, **settings)
