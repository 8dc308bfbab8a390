"""worker heartbeat: each background worker writes when it last ran, so a dead worker is never silent;
and when the operator was last told

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('beat_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker_heartbeat')),
    sa.UniqueConstraint('name', name=op.f('uq_worker_heartbeat_name')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeat_beat_at'), ['beat_at'], unique=False)
    # When the web side last e-mailed the operator, so that several web processes send it at most once an hour.
    op.create_table('operator_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator_notice')),
    sa.UniqueConstraint('kind', name=op.f('uq_operator_notice_kind')),
    sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table('operator_notice')
    with op.batch_alter_table('worker_heartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeat_beat_at'))
    op.drop_table('worker_heartbeat')
