"""``events.trace_id``: the journey's trace of each projected event (ADR 0015).

Revision 0001 creates the table with the column on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op

revision = "0002"
down_revision = "0001"


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    op.execute(f'ALTER TABLE "{_schema()}".events ADD COLUMN IF NOT EXISTS trace_id varchar(32)')


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{_schema()}".events DROP COLUMN IF EXISTS trace_id')
