"""The engine's facts, cases, decisions, inbox and outbox."""

from alembic import context, op

from eligibility_engine.adapters.tables import engine_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    engine_tables(schema).metadata.create_all(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    engine_tables(schema).metadata.drop_all(op.get_bind())
