"""ANALYZE skips the outbox's payload columns, which no statement filters on (issue #12;
``benefits_shared.db.migrations.without_statistics``).
"""

from benefits_shared.db.migrations import OUTBOX_PAYLOAD, without_statistics

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    without_statistics("outbox", OUTBOX_PAYLOAD)


def downgrade() -> None:
    without_statistics("outbox", OUTBOX_PAYLOAD, keep=True)
