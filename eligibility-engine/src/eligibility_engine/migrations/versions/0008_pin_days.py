"""``pin_days``: the latest day an event naming each PIN touched the engine, so that a case
is decided on the same day whether such an event came before the case or after (ADR 0005,
amended 2026-12-05). Empty after the upgrade: events read before it do not count.
"""

from alembic import context, op
from sqlalchemy import MetaData

from eligibility_engine.adapters.tables import pin_days_table

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    # 0001 creates every table of ``engine_tables`` that is missing: on a new schema this
    # one exists already.
    pin_days_table(MetaData(schema=schema)).create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    pin_days_table(MetaData(schema=schema)).drop(op.get_bind(), checkfirst=True)
