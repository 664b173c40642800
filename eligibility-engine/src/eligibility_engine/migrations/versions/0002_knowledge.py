"""How complete the engine's copy of each registry is, and the cases waiting for it (ADR 0008)."""

from alembic import context, op
from sqlalchemy import MetaData

from eligibility_engine.adapters.tables import knowledge_tables

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    schema = str(context.config.attributes["schema"])
    # 0001 creates every table of ``engine_tables`` that is missing: on a new schema these
    # exist already.
    knowledge_tables(MetaData(schema=schema))[0].metadata.create_all(op.get_bind())


def downgrade() -> None:
    schema = str(context.config.attributes["schema"])
    knowledge_tables(MetaData(schema=schema))[0].metadata.drop_all(op.get_bind())
