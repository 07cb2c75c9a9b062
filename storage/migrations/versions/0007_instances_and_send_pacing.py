"""instances with heartbeats, claims held by instances, shared send pacing

A running bot registers itself in ``instances`` and refreshes ``expires_at`` with a heartbeat;
a claim in ``dispatches`` (``claimed_by``) lasts as long as its instance does, so that a
restarted bot takes over the claims of a dead one within a minute instead of after a
ten-minute lease. The partial index finds the claims an instance still holds when it stops.
``send_pacing`` holds the send instants reserved per flood-limit scope, shared by every
instance.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 20:09:25.159602
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNSENT = sa.text('sent_at IS NULL')


def upgrade() -> None:
    op.create_table('instances',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_sweep_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('send_pacing',
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('times_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('scope')
    )
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.create_index(
            'ix_dispatches_unsent_claims',
            ['claimed_by'],
            unique=False,
            sqlite_where=UNSENT,
            postgresql_where=UNSENT,
        )


def downgrade() -> None:
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_index(
            'ix_dispatches_unsent_claims', sqlite_where=UNSENT, postgresql_where=UNSENT
        )
    op.drop_table('send_pacing')
    op.drop_table('instances')
