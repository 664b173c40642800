"""Alembic revisions of the ``notifier`` schema."""
