"""``inbox``, ``outbox`` and ``pending_cases`` get ``traceparent``: the trace context each
event was consumed in, each queued event carries, a held case waits with (ADR 0015).

Revision 0001 creates the tables with the column on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op
from benefits_shared.db.messaging_tables import traceparent_columns_ddl
from benefits_shared.db.migrations import add_column, drop_column

revision = "0004"
down_revision = "0003"


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    for step in traceparent_columns_ddl(_schema(), add=True):
        op.execute(step)
    add_column("pending_cases", "traceparent", "varchar(55)")


def downgrade() -> None:
    for step in traceparent_columns_ddl(_schema(), add=False):
        op.execute(step)
    drop_column("pending_cases", "traceparent")
