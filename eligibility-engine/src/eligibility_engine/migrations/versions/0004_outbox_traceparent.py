"""``outbox.traceparent``: the trace context of each queued event (ADR 0015).

Revision 0001 creates the outbox with the column on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op
from benefits_shared.db.messaging_tables import outbox_traceparent_ddl

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute(outbox_traceparent_ddl(str(context.config.attributes["schema"]), add=True))


def downgrade() -> None:
    op.execute(outbox_traceparent_ddl(str(context.config.attributes["schema"]), add=False))
