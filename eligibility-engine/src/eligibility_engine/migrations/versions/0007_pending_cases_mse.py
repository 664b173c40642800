"""``pending_cases`` gets ``mse_ms``: a case touched by a commission certificate waits for
the drop folder as of the certificate's arrival (ADR 0008, amended 2026-12-05). A case
held before this waited for nothing from the folder (0).
"""

from benefits_shared.db.migrations import add_column, drop_column

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    add_column("pending_cases", "mse_ms", "bigint NOT NULL DEFAULT 0")


def downgrade() -> None:
    drop_column("pending_cases", "mse_ms")
