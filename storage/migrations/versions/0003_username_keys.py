"""case-insensitive @username lookups; drop the unused groups.language

Every @username lookup compares lower-case, which no index on ``username`` served: users and
owners get a ``username_lower`` column (filled here) with an index, replacing the old one.
A group's language lives in ``settings_json``; ``groups.language`` was never read.

``groups`` is dropped a column in place (ALTER TABLE … DROP COLUMN, SQLite 3.35+): batch
mode's table copy would drop ``groups`` itself, which foreign keys forbid once items exist.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYED_TABLES = ('users', 'owners')


def upgrade() -> None:
    for table in KEYED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('username_lower', sqlmodel.sql.sqltypes.AutoString(), nullable=True)
            )
            batch_op.drop_index(f'ix_{table}_username')
            batch_op.create_index(f'ix_{table}_username_lower', ['username_lower'], unique=False)
        # Telegram usernames are ASCII, where SQL lower() and Python's str.lower() agree.
        op.execute(
            f'UPDATE {table} SET username_lower = lower(username) WHERE username IS NOT NULL'
        )
    with op.batch_alter_table('groups', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('language')


def downgrade() -> None:
    with op.batch_alter_table('groups', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column(
                'language', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''
            )
        )
    for table in KEYED_TABLES:
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_index(f'ix_{table}_username_lower')
            batch_op.create_index(f'ix_{table}_username', ['username'], unique=False)
            batch_op.drop_column('username_lower')
