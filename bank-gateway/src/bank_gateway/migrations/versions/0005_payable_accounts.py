"""``accounts.payment_asks_unseen`` and ``accounts_payable``: the open accounts whose
payees may have payments ready, so that a cut of documents looks at those only instead of
joining every account to every pending payment (issue #12, ADR 0022).

Every open account starts payable; the first cut sees through those with nothing ready.
Revision 0001 creates the table with them on a schema made after this; ``IF NOT EXISTS``
makes this step nothing there (and there is no account to mark).
"""

from alembic import context, op

from bank_gateway.adapters.tables import payable

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(
        f'ALTER TABLE "{schema}".accounts '
        "ADD COLUMN IF NOT EXISTS payment_asks_unseen bigint NOT NULL DEFAULT 0"
    )
    op.execute(
        f'UPDATE "{schema}".accounts SET payment_asks_unseen = 1 '  # noqa: S608 (our schema)
        "WHERE state = 'open' AND payment_asks_unseen = 0"
    )
    op.execute(
        f'CREATE INDEX IF NOT EXISTS accounts_payable ON "{schema}".accounts (person_key) '
        f"WHERE {payable()}"
    )


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(f'DROP INDEX IF EXISTS "{schema}".accounts_payable')
    op.execute(f'ALTER TABLE "{schema}".accounts DROP COLUMN IF EXISTS payment_asks_unseen')
