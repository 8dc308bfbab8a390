"""removal requests: a former member asks the household to remove what they wrote

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('removal_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('former_member_name', sa.String(length=80), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.Enum('removed', 'kept', name='removaldecision', native_enum=False, length=24), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_removal_request_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_removal_request_household_id_household'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_removal_request'))
    )
    with op.batch_alter_table('removal_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_removal_request_household_id'), ['household_id'], unique=False)

    op.create_table('removal_request_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['log_entry.id'], name=op.f('fk_removal_request_entry_entry_id_log_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['removal_request.id'], name=op.f('fk_removal_request_entry_request_id_removal_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_removal_request_entry')),
    sa.UniqueConstraint('request_id', 'entry_id', name=op.f('uq_removal_request_entry_request_id'))
    )
    with op.batch_alter_table('removal_request_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_removal_request_entry_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_removal_request_entry_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('removal_request_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_removal_request_entry_request_id'))
        batch_op.drop_index(batch_op.f('ix_removal_request_entry_entry_id'))

    op.drop_table('removal_request_entry')
    with op.batch_alter_table('removal_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_removal_request_household_id'))

    op.drop_table('removal_request')
