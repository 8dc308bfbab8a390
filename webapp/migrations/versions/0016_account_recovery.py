"""account recovery: recovery codes, e-mail reset links, a manager's recovery with a waiting period

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
