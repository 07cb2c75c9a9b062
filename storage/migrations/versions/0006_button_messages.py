"""the messages that carry an extension request's and an import preview's buttons

Closing or deleting an item withdraws its waiting 延期申请, and a newer /import replaces a
waiting preview: the buttons of the message that asked must then go, so the message id of
that message is kept with the request and with the preview (NULL for older rows).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('extensions', 'import_previews')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('message_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('message_id')
