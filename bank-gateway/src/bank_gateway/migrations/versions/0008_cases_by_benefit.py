"""``cases_by_benefit`` (benefit, case_id) instead of ``cases_allowances`` (benefit,
outcome): a payroll run walks the B2 cases a slice at a time in case-id order (ADR 29).
Revision 0001 creates the index on a schema made after this; ``IF [NOT] EXISTS`` makes
this step nothing there.
"""

from alembic import context, op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(
        f'CREATE INDEX IF NOT EXISTS cases_by_benefit ON "{schema}".cases (benefit, case_id)'
    )
    op.execute(f'DROP INDEX IF EXISTS "{schema}".cases_allowances')


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    op.execute(
        f'CREATE INDEX IF NOT EXISTS cases_allowances ON "{schema}".cases (benefit, outcome)'
    )
    op.execute(f'DROP INDEX IF EXISTS "{schema}".cases_by_benefit')
