"""The gateway's cases, accounts, payments, documents, ops queues, inbox and outbox."""

from alembic import context, op

from bank_gateway.adapters.tables import gateway_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    gateway_tables(schema).metadata.create_all(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    gateway_tables(schema).metadata.drop_all(op.get_bind())
