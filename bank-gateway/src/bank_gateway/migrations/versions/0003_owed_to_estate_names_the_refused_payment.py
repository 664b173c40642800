"""``owed_to_estate.payment_id``: the payment the bank refused (``MD07``) whose days are owed.

Revision 0001 (or 0002) creates the table with the column on a schema made after this;
``IF NOT EXISTS`` makes this step nothing there.
"""

from alembic import context, op

revision = "0003"
down_revision = "0002"


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    op.execute(
        f'ALTER TABLE "{_schema()}".owed_to_estate ADD COLUMN IF NOT EXISTS payment_id varchar(36)'
    )


def downgrade() -> None:
    op.execute(f'ALTER TABLE "{_schema()}".owed_to_estate DROP COLUMN IF EXISTS payment_id')
