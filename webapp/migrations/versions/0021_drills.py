"""practice drills: a drill's signal goes through the real alert path, marked as practice; the drills planned

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 02:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('drill', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('drill',
    sa.Column('kind', sa.Enum('signal', 'scenario', name='drillkind', native_enum=False, length=24), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('planned_at', sa.DateTime(), nullable=False),
    sa.Column('planned_by_id', sa.Integer(), nullable=True),
    sa.Column('signal_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('learned', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_drill_agreement_id_agreement'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_drill_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['planned_by_id'], ['user.id'], name=op.f('fk_drill_planned_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signal_id'], ['signal.id'], name=op.f('fk_drill_signal_id_signal'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drill_household_id'), ['household_id'], unique=False)

    op.create_table('drill_participant',
    sa.Column('drill_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['drill_id'], ['drill.id'], name=op.f('fk_drill_participant_drill_id_drill'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_drill_participant_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('drill_id', 'membership_id', name=op.f('pk_drill_participant')),
    )


def downgrade():
    op.drop_table('drill_participant')
    with op.batch_alter_table('drill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drill_household_id'))
    op.drop_table('drill')
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('drill')
