"""indexes for the reminder sweep

The sweep reads, per group, only the open items due by a date and the pending items
(group_id, status, due_date), and the extension requests still waiting (status).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(
            'ix_items_group_status_due', ['group_id', 'status', 'due_date'], unique=False
        )
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.create_index('ix_extensions_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.drop_index('ix_extensions_status')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_group_status_due')
