"""Civil records remember every content quarantined under a number, not just one.

``content_hash`` becomes the hash of the content *published* (null when none was) and
``published`` goes; ``rejected`` holds the hashes of the contents quarantined.
"""

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0002"
down_revision = "0001"


def _schema() -> str:
    return str(context.config.attributes["schema"])


def upgrade() -> None:
    schema = _schema()
    op.add_column(
        "civil_records",
        sa.Column("rejected", ARRAY(sa.String(64)), nullable=False, server_default="{}"),
        schema=schema,
    )
    op.alter_column("civil_records", "content_hash", nullable=True, schema=schema)
    op.execute(
        f'UPDATE "{schema}".civil_records SET rejected = ARRAY[content_hash],'  # noqa: S608
        " content_hash = NULL WHERE NOT published"
    )
    op.drop_column("civil_records", "published", schema=schema)


def downgrade() -> None:
    schema = _schema()
    op.add_column(
        "civil_records",
        sa.Column("published", sa.Boolean, nullable=False, server_default="true"),
        schema=schema,
    )
    op.execute(
        f'UPDATE "{schema}".civil_records SET published = false,'  # noqa: S608
        " content_hash = rejected[1]"
        " WHERE content_hash IS NULL"
    )
    op.execute(f'DELETE FROM "{schema}".civil_records WHERE content_hash IS NULL')  # noqa: S608
    op.alter_column("civil_records", "content_hash", nullable=False, schema=schema)
    op.drop_column("civil_records", "rejected", schema=schema)
