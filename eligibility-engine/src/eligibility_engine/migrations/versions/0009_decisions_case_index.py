"""``decisions`` keeps one index on ``case_id``: ``decisions_case_position (case_id,
position)`` serves every lookup by case, so the single-column index was one more entry
written per decision for nothing (issue #12).
"""

from benefits_shared.db.migrations import drop_column_index, restore_column_index

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    drop_column_index("decisions", "case_id")


def downgrade() -> None:
    restore_column_index("decisions", "case_id")
