"""safety promises: log entries that come from a signal are marked (hidden from a member hidden from signals);
a former member's removal request counts them apart; calendar activities are removed with a trace that can be undone

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_signal', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Entries written when a signal was closed: linked from the signal, or made with the signal's client id.
    op.execute("UPDATE log_entry SET from_signal = TRUE WHERE client_id LIKE 'signal-%' "
               "OR id IN (SELECT log_entry_id FROM signal WHERE log_entry_id IS NOT NULL)")

    with op.batch_alter_table('removal_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signal_entry_count', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE removal_request SET signal_entry_count = (SELECT COUNT(*) FROM removal_request_entry r "
               "JOIN log_entry e ON e.id = r.entry_id WHERE r.request_id = removal_request.id AND e.from_signal)")

    with op.batch_alter_table('calendar_activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_calendar_activity_removed_by_id_user'), 'user', ['removed_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('calendar_activity', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calendar_activity_removed_by_id_user'), type_='foreignkey')
        batch_op.drop_column('removed_by_id')
        batch_op.drop_column('removed_at')

    with op.batch_alter_table('removal_request', schema=None) as batch_op:
        batch_op.drop_column('signal_entry_count')

    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.drop_column('from_signal')
