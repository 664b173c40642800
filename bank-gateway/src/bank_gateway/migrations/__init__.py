"""Alembic revisions of the ``bank_gateway`` schema."""
