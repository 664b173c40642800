"""``inbox.traceparent`` and ``outbox.traceparent``: the trace context each event was
consumed in and each queued event carries (ADR 0015).

Revision 0001 creates the tables with the column on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op
from benefits_shared.db.messaging_tables import traceparent_columns_ddl

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    for step in traceparent_columns_ddl(str(context.config.attributes["schema"]), add=True):
        op.execute(step)


def downgrade() -> None:
    for step in traceparent_columns_ddl(str(context.config.attributes["schema"]), add=False):
        op.execute(step)
