"""the committee tree: link codes, dispatched items (交办), events of a group itself

``link_codes`` holds the one-time codes of /link; ``items.parent_item_id`` points a branch's
copy at the committee item it was dispatched from; an event with no item (``item_id`` NULL)
is the group's own (linked under a parent, a branch unlinked); ``groups.parent_id`` (there
since 0001) gets an index for reading a committee's branches.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 20:03:01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parent_group_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('used_by_group_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_group_id'], ['groups.id'], ),
    sa.ForeignKeyConstraint(['used_by_group_id'], ['groups.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_codes_parent_group_id'), ['parent_group_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_parent_id'), ['parent_id'], unique=False)

    # Added in place (ALTER TABLE … ADD COLUMN): copying ``items`` on SQLite would trip the
    # foreign keys that point at it.
    op.add_column('items', sa.Column('parent_item_id', sa.Integer(), nullable=True))
    op.create_index('ix_items_parent_item_id', 'items', ['parent_item_id'], unique=False)



def downgrade() -> None:
    op.drop_index('ix_items_parent_item_id', table_name='items')
    op.drop_column('items', 'parent_item_id')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_parent_id'))

    op.execute('DELETE FROM events WHERE item_id IS NULL')  # a group's own events
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('item_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_codes_parent_group_id'))

    op.drop_table('link_codes')
