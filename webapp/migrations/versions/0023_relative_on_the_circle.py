"""a relative in the family tree can be someone on the safety circle

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 02:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circle_person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_relative_circle_person_id'), ['circle_person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_relative_circle_person_id_circle_person'), 'circle_person',
                                    ['circle_person_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('relative', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_relative_circle_person_id_circle_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_relative_circle_person_id'))
        batch_op.drop_column('circle_person_id')
