"""a simple genogram: relatives around the child and how two of them stand

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('relative',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kin', sa.Enum('grandparent', 'parent', 'partner', 'aunt_uncle', 'child', name='kin', native_enum=False, length=24), nullable=False),
    sa.Column('shape', sa.Enum('square', 'circle', 'diamond', name='shape', native_enum=False, length=24), nullable=False),
    sa.Column('of_id', sa.Integer(), nullable=True),
    sa.Column('born', sa.Integer(), nullable=True),
    sa.Column('deceased', sa.Boolean(), nullable=False),
    sa.Column('in_household', sa.Boolean(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_relative_child_id_child'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_relative_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_relative_membership_id_membership'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['of_id'], ['relative.id'], name=op.f('fk_relative_of_id_relative'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relative')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relative_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relative_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relative_membership_id'), ['membership_id'], unique=False)

    op.create_table('relative_relationship',
    sa.Column('a_id', sa.Integer(), nullable=False),
    sa.Column('b_id', sa.Integer(), nullable=False),
    sa.Column('bond', sa.Enum('together', 'separated', 'no_contact', name='bond', native_enum=False, length=24), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['a_id'], ['relative.id'], name=op.f('fk_relative_relationship_a_id_relative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['b_id'], ['relative.id'], name=op.f('fk_relative_relationship_b_id_relative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_relative_relationship_household_id_household'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relative_relationship')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('relative_relationship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relative_relationship_a_id'), ['a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relative_relationship_b_id'), ['b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relative_relationship_household_id'), ['household_id'], unique=False)


def downgrade():
    with op.batch_alter_table('relative_relationship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relative_relationship_household_id'))
        batch_op.drop_index(batch_op.f('ix_relative_relationship_b_id'))
        batch_op.drop_index(batch_op.f('ix_relative_relationship_a_id'))
    op.drop_table('relative_relationship')
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relative_membership_id'))
        batch_op.drop_index(batch_op.f('ix_relative_household_id'))
        batch_op.drop_index(batch_op.f('ix_relative_child_id'))
    op.drop_table('relative')
