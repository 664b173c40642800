"""``notices.traceparent``: the trace context a notice's decision was consumed in, kept
with the notice (issue #12). Before, the sender and the delivery reports looked it up in
the inbox three times for every SMS.

Notices recorded before this revision get it from the inbox, where it was kept: the
decision event's id is a UUID5 of the decision id (``decision_event_id``), computed here
in batches. Revision 0001 creates the table with the column on a schema made after this;
``IF NOT EXISTS`` makes the first step nothing there, and the backfill finds nothing.
"""

from alembic import context, op
from benefits_shared.contracts.decisions import decision_event_id
from sqlalchemy import text

revision = "0004"
down_revision = "0003"
BATCH = 5_000


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(f'ALTER TABLE "{schema}".notices ADD COLUMN IF NOT EXISTS traceparent varchar(55)')
    bind = op.get_bind()
    decisions = [
        str(d)
        for (d,) in bind.execute(
            text(f'SELECT DISTINCT decision_id FROM "{schema}".notices WHERE traceparent IS NULL')  # noqa: S608 (our schema)
        )
    ]
    fill = text(
        f'UPDATE "{schema}".notices n SET traceparent = i.traceparent'  # noqa: S608 (our schema)
        f" FROM unnest(CAST(:decisions AS text[]), CAST(:events AS text[])) AS w(d, e)"
        f' JOIN "{schema}".inbox i ON i.event_id = w.e'
        " WHERE n.decision_id = w.d AND n.traceparent IS NULL"
    )
    for start in range(0, len(decisions), BATCH):
        batch = decisions[start : start + BATCH]
        events = [decision_event_id(d) for d in batch]
        bind.execute(fill, {"decisions": batch, "events": events})


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(f'ALTER TABLE "{schema}".notices DROP COLUMN IF EXISTS traceparent')
