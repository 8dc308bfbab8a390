"""the safety circle: people around the child in rings, every placement kept with its dates

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 01:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

RING = sa.Enum('inner', 'middle', 'outer', 'professional', name='ring', native_enum=False, length=24)


def upgrade():
    op.create_table('circle_person',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('relation', sa.String(length=80), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_circle_person_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_circle_person_membership_id_membership'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_person')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('circle_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_person_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_person_membership_id'), ['membership_id'], unique=False)

    op.create_table('circle_placement',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('ring', RING, nullable=False),
    sa.Column('placed_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('placed_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_circle_placement_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['circle_person.id'], name=op.f('fk_circle_placement_person_id_circle_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placed_by_id'], ['user.id'], name=op.f('fk_circle_placement_placed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_placement')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('circle_placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_placement_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_placement_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('circle_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_placement_person_id'))
        batch_op.drop_index(batch_op.f('ix_circle_placement_household_id'))
    op.drop_table('circle_placement')
    with op.batch_alter_table('circle_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_person_membership_id'))
        batch_op.drop_index(batch_op.f('ix_circle_person_household_id'))
    op.drop_table('circle_person')
