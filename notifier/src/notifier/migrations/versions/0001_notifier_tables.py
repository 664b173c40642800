"""The notifier's notices, persons, accounts, delivery reports, inbox and outbox."""

from alembic import context, op

from notifier.adapters.tables import notifier_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    notifier_tables(schema).metadata.create_all(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    notifier_tables(schema).metadata.drop_all(op.get_bind())
