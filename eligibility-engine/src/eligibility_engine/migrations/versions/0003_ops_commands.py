"""The engine's bookkeeping of ops commands (replays, shadow runs): ADR 12.

Numbered 0003 to leave 0002 to a change made at the same time; ``down_revision`` is the
latest revision when this one was written.
"""

from alembic import context, op

from eligibility_engine.adapters.ops_command_tables import ops_commands_table

revision = "0003"
down_revision = "0001"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_commands_table(schema).create(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    ops_commands_table(schema).drop(op.get_bind())
