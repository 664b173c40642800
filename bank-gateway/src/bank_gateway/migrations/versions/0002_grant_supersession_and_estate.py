"""Grants paid again when superseded, recoveries per payment, B2 days owed to the estate.

- ``payments``: at most one grant per (case, recipient, amount) (``payments_one_grant``);
- ``recoveries.payment_id``: the grant payment a recovery is for;
- ``cases.payee_died_on``: the day the payee of an allowance died, from its decision;
- ``owed_to_estate``: a new table.

Revision 0001 creates every table of the current ``gateway_tables``, so on a new schema
this finds everything in place: each step is written to do nothing then (``IF NOT
EXISTS``, ``checkfirst``).
"""

from alembic import context, op

from bank_gateway.adapters.tables import gateway_tables

revision = "0002"
down_revision = "0001"


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    schema = _schema()
    tables = gateway_tables(schema)
    tables.owed_to_estate.create(op.get_bind(), checkfirst=True)
    op.execute(f'ALTER TABLE "{schema}".recoveries ADD COLUMN IF NOT EXISTS payment_id varchar(36)')
    op.execute(f'ALTER TABLE "{schema}".cases ADD COLUMN IF NOT EXISTS payee_died_on date')
    op.execute(
        f'CREATE UNIQUE INDEX IF NOT EXISTS payments_one_grant ON "{schema}".payments'
        " (case_id, person_key, amount) WHERE days IS NULL"
    )


def downgrade() -> None:
    schema = _schema()
    op.execute(f'DROP INDEX IF EXISTS "{schema}".payments_one_grant')
    op.execute(f'ALTER TABLE "{schema}".cases DROP COLUMN IF EXISTS payee_died_on')
    op.execute(f'ALTER TABLE "{schema}".recoveries DROP COLUMN IF EXISTS payment_id')
    gateway_tables(schema).owed_to_estate.drop(op.get_bind(), checkfirst=True)
