"""The local stack of ``make up``: Kafka and PostgreSQL on 127.0.0.1, no Docker."""
