"""network meetings

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 03:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('network_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('video_link', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'cancelled', name='meetingstatus', native_enum=False, length=24), nullable=False),
    sa.Column('planned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('chair_kind', sa.Enum('professional', 'network', name='chairkind', native_enum=False, length=24), nullable=True),
    sa.Column('worries', sa.Text(), nullable=False),
    sa.Column('going_well', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('minutes_shared_at', sa.DateTime(), nullable=True),
    sa.Column('next_meeting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['user.id'], name=op.f('fk_network_meeting_chair_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_network_meeting_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['next_meeting_id'], ['network_meeting.id'], name=op.f('fk_network_meeting_next_meeting_id_network_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['planned_by_id'], ['user.id'], name=op.f('fk_network_meeting_planned_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_network_meeting_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meeting'))
    )
    with op.batch_alter_table('network_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_meeting_household_id'), ['household_id'], unique=False)

    op.create_table('network_meeting_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reply', sa.Enum('coming', 'not_coming', name='reply', native_enum=False, length=24), nullable=True),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_network_meeting_invite_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['network_meeting.id'], name=op.f('fk_network_meeting_invite_meeting_id_network_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_network_meeting_invite_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meeting_invite')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_network_meeting_invite_meeting_id'))
    )
    with op.batch_alter_table('network_meeting_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_meeting_invite_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_invite_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_invite_user_id'), ['user_id'], unique=False)

    op.create_table('network_meeting_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_network_meeting_question_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_network_meeting_question_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['network_meeting.id'], name=op.f('fk_network_meeting_question_meeting_id_network_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meeting_question'))
    )
    with op.batch_alter_table('network_meeting_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_meeting_question_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_question_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('network_meeting_topic',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['network_meeting.id'], name=op.f('fk_network_meeting_topic_meeting_id_network_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['danger_statement.id'], name=op.f('fk_network_meeting_topic_statement_id_danger_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'statement_id', name=op.f('pk_network_meeting_topic'))
    )
    op.create_table('network_meeting_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('change', sa.Enum('none', 'add', 'change', 'remove', name='planchange', native_enum=False, length=24), nullable=False),
    sa.Column('agreement_lineage_id', sa.Integer(), nullable=True),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_network_meeting_decision_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['network_meeting.id'], name=op.f('fk_network_meeting_decision_meeting_id_network_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_network_meeting_decision_version_id_plan_version'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_meeting_decision'))
    )
    with op.batch_alter_table('network_meeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_meeting_decision_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_meeting_decision_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('network_meeting_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_meeting_decision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_network_meeting_decision_household_id'))

    op.drop_table('network_meeting_decision')
    op.drop_table('network_meeting_topic')
    with op.batch_alter_table('network_meeting_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_meeting_question_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_network_meeting_question_household_id'))

    op.drop_table('network_meeting_question')
    with op.batch_alter_table('network_meeting_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_meeting_invite_user_id'))
        batch_op.drop_index(batch_op.f('ix_network_meeting_invite_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_network_meeting_invite_household_id'))

    op.drop_table('network_meeting_invite')
    with op.batch_alter_table('network_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_meeting_household_id'))

    op.drop_table('network_meeting')
