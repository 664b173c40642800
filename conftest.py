"""Fixtures shared by every test tree: the real Kafka and PostgreSQL (see
``benefits_shared.testing``)."""

pytest_plugins = ["benefits_shared.testing"]
