"""a shared rate-limit store in the database for several web processes

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
