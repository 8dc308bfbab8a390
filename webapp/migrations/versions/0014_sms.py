"""sms: confirmed mobile numbers, per-household SMS choices, and SMS deliveries (number, provider id, cost units)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_expires_at', sa.DateTime(), nullable=True),
    sa.Column('code_attempts', sa.Integer(), nullable=False),
    sa.Column('codes_sent', sa.Integer(), nullable=False),
    sa.Column('first_code_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sms_number_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_number')),
    sa.UniqueConstraint('user_id', name=op.f('uq_sms_number_user_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('sms_number', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_number_number'), ['number'], unique=False)

    op.create_table('sms_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('always', 'fallback', name='smschoice', native_enum=False, length=24), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_sms_preference_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_preference')),
    sa.UniqueConstraint('membership_id', name=op.f('uq_sms_preference_membership_id')),
    sqlite_autoincrement=True,
    )

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('provider_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('cost_units', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_delivery_phone'), ['phone'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_phone'))
        batch_op.drop_column('cost_units')
        batch_op.drop_column('provider_id')
        batch_op.drop_column('phone')
    op.drop_table('sms_preference')
    with op.batch_alter_table('sms_number', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_number_number'))
    op.drop_table('sms_number')
