"""Checkpoints, civil record numbers, MSE files and MSE events published per day."""

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    schema = _schema()
    op.create_table(
        "checkpoints",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("after_pin", sa.String(16)),
        sa.Column("done", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema=schema,
    )
    op.create_table(
        "civil_records",
        sa.Column("record_no", sa.String(64), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(64)),
        sa.Column("published", sa.Boolean, nullable=False),
        schema=schema,
    )
    op.create_table(
        "mse_files",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("content_hash", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("published", sa.Integer, nullable=False),
        sa.Column("quarantined", sa.Integer, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema=schema,
    )
    op.create_table(
        "mse_published",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        schema=schema,
    )


def downgrade() -> None:
    schema = _schema()
    for table in ("mse_published", "mse_files", "civil_records", "checkpoints"):
        op.drop_table(table, schema=schema)
