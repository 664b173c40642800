"""``delivery_reports`` keeps one index on ``message_id``: the unique
``delivery_reports_once (message_id, status, at)`` serves every lookup by message, so the
single-column index was one more entry written per report for nothing (issue #12).
"""

from benefits_shared.db.migrations import drop_column_index, restore_column_index

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    drop_column_index("delivery_reports", "message_id")


def downgrade() -> None:
    restore_column_index("delivery_reports", "message_id")
