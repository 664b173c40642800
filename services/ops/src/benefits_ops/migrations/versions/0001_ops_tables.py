"""The ops projection (events, dead letters), resolutions, tokens and the append-only audit log."""

from alembic import context, op

from benefits_ops.adapters.tables import append_only_ddl, ops_tables

revision = "0001"
down_revision = None


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_tables(schema).metadata.create_all(op.get_bind())
    for statement in append_only_ddl(schema):
        op.execute(statement)


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_tables(schema).metadata.drop_all(op.get_bind())
    op.execute(f'DROP FUNCTION IF EXISTS "{schema}".audit_log_is_append_only()')
