"""``outbox_batches.row_ids``: the relay notes a batch's outbox ids in its one row instead
of a mark in every outbox row (issue #12; ``benefits_shared.db.outbox``)."""

from benefits_shared.db.migrations import add_batch_row_ids as upgrade
from benefits_shared.db.migrations import drop_batch_row_ids as downgrade

revision = "0005"
down_revision = "0004"
__all__ = ["downgrade", "upgrade"]
