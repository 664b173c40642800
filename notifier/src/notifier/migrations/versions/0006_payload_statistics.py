"""ANALYZE skips the payload columns no statement filters on (issue #12): the outbox's,
and the service's own wide columns (``benefits_shared.db.migrations.without_statistics``).
"""

from benefits_shared.db.migrations import OUTBOX_PAYLOAD, without_statistics

NOTICE_PAYLOAD = ("decision", "reason", "last_error", "traceparent")

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    without_statistics("outbox", OUTBOX_PAYLOAD)
    without_statistics("notices", NOTICE_PAYLOAD)


def downgrade() -> None:
    without_statistics("outbox", OUTBOX_PAYLOAD, keep=True)
    without_statistics("notices", NOTICE_PAYLOAD, keep=True)
