"""``notices_next``: the pending notices in the order the sender claims them, so that a
claim walks the index instead of sorting every pending notice (issue #12).

Revision 0001 creates the tables with the index on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(
        f'CREATE INDEX IF NOT EXISTS notices_next ON "{schema}".notices '
        "(send_after, created_at, notice_id) WHERE state = 'pending'"
    )


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(f'DROP INDEX IF EXISTS "{schema}".notices_next')
