"""Inbox, outbox and an effects table."""

import sqlalchemy as sa
from alembic import context, op
from benefits_shared.db.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    create_messaging_tables(_schema())
    op.create_table(
        "effects",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema=_schema(),
    )


def downgrade() -> None:
    op.drop_table("effects", schema=_schema())
    drop_messaging_tables(_schema())
