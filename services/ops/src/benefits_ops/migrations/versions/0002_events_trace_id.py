"""``events.trace_id``: the journey's trace of each projected event (ADR 0015)."""

from benefits_shared.db.migrations import add_column, drop_column

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    add_column("events", "trace_id", "varchar(32)")


def downgrade() -> None:
    drop_column("events", "trace_id")
