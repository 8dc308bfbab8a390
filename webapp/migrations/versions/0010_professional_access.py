"""professional access: grants with an end date, the audit of professionals' views, code apps as a second factor

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 03:10:00

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user.id'], name=op.f('fk_access_grant_ended_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_access_grant_granted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_access_grant_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_access_grant_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_grant'))
    )
    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_grant_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_grant_user_id'), ['user_id'], unique=False)

    op.create_table('professional_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('viewed_at', sa.DateTime(), nullable=False),
    sa.Column('page', sa.String(length=80), nullable=False),
    sa.Column('query', sa.String(length=300), nullable=False),
    sa.Column('period_start', sa.DateTime(), nullable=True),
    sa.Column('period_end', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_professional_view_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_professional_view_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professional_view'))
    )
    with op.batch_alter_table('professional_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professional_view_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_professional_view_user_id'), ['user_id'], unique=False)

    op.create_table('totp_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_encrypted', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_totp_credential_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_totp_credential')),
    sa.UniqueConstraint('user_id', name=op.f('uq_totp_credential_user_id'))
    )

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access_ends_at', sa.DateTime(), nullable=True))

    _grant_existing_professionals()


def _grant_existing_professionals():
    """Professionals who were already in a household keep their access for three months (without a grant the new
    access rule would shut them out at once); the household can end it on its new access page."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT DISTINCT m.household_id, m.user_id FROM membership m "
        "JOIN membership_role r ON r.membership_id = m.id WHERE r.role = 'professional'")).all()
    if not rows:
        return
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    grant = sa.table('access_grant', sa.column('household_id', sa.Integer), sa.column('user_id', sa.Integer),
                     sa.column('created_at', sa.DateTime), sa.column('ends_at', sa.DateTime))
    op.bulk_insert(grant, [{"household_id": h, "user_id": u, "created_at": now, "ends_at": now + timedelta(days=92)}
                           for h, u in rows])


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('access_ends_at')

    op.drop_table('totp_credential')
    with op.batch_alter_table('professional_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professional_view_user_id'))
        batch_op.drop_index(batch_op.f('ix_professional_view_household_id'))

    op.drop_table('professional_view')
    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_grant_user_id'))
        batch_op.drop_index(batch_op.f('ix_access_grant_household_id'))

    op.drop_table('access_grant')
