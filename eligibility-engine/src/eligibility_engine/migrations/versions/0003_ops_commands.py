"""The engine's bookkeeping of ops commands (replays, shadow runs): ADR 12.

Follows 0002 (the knowledge tables of ADR 8).
"""

from alembic import context, op

from eligibility_engine.adapters.ops_command_tables import ops_commands_table

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_commands_table(schema).create(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_commands_table(schema).drop(op.get_bind())
