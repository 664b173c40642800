"""Alembic revisions of the ``engine`` schema."""
