"""Alembic revisions of the ``connectors`` schema (run at start by ``bootstrap``)."""
