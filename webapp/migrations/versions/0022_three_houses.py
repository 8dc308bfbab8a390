"""the child's three houses: what the child put in the house of worries, of good things and of dreams

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 02:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('house_item',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('house', sa.Enum('worries', 'good', 'dreams', name='house', native_enum=False, length=24), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('pictogram', sa.String(length=24), nullable=True),
    sa.Column('drawing', sa.String(length=64), nullable=True),
    sa.Column('share_with', sa.Enum('helper', 'safety_people', 'network', name='sharewith', native_enum=False, length=24), nullable=False),
    sa.Column('helper_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_house_item_child_id_child'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['helper_id'], ['user.id'], name=op.f('fk_house_item_helper_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_house_item_household_id_household'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_house_item')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('house_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_house_item_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_house_item_household_id'), ['household_id'], unique=False)


def downgrade():
    with op.batch_alter_table('house_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_house_item_household_id'))
        batch_op.drop_index(batch_op.f('ix_house_item_child_id'))
    op.drop_table('house_item')
