"""children as household records: child, per-child books, stickers, messages, signals and safety persons

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 18:45:00

Until now a child was a person without a sign-in holding the child role. Each such membership becomes a `child`
row (first name from the display name), the child's messages point at it (`log_entry.child_id`, the grown-up whose
phone it was stays recorded_by and becomes the author), the household's child stickers and child signals point
at its first child, and then the child's membership and person are removed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

AGE_BANDS = ('age_0_3', 'age_4_6', 'age_7_9', 'age_10_12', 'age_13_up')
COLOURS = ('blue', 'green', 'purple', 'orange', 'red', 'teal')


def upgrade():
    op.create_table('child',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=40), nullable=False),
    sa.Column('age_band', sa.Enum(*AGE_BANDS, name='ageband', native_enum=False, length=24), nullable=False),
    sa.Column('colour', sa.Enum(*COLOURS, name='childcolour', native_enum=False, length=24), nullable=False),
    sa.Column('picture', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_child_household_id_household'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_child_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['user.id'], name=op.f('fk_child_edited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['user.id'], name=op.f('fk_child_removed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_removed_at'), ['removed_at'], unique=False)

    op.create_table('child_safety_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_child_safety_person_child_id_child'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], name=op.f('fk_child_safety_person_membership_id_membership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_safety_person')),
    sa.UniqueConstraint('child_id', 'membership_id', name=op.f('uq_child_safety_person_child_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('child_safety_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_safety_person_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_safety_person_membership_id'), ['membership_id'], unique=False)

    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_log_entry_child_id'), ['child_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_log_entry_child_id_child'), 'child', ['child_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_signal_child_id_child'), 'child', ['child_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('calendar_activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_calendar_activity_child_id_child'), 'child', ['child_id'], ['id'], ondelete='SET NULL')

    _move_child_people(op.get_bind())


def _move_child_people(bind) -> None:
    t = _tables(bind, 'membership', 'membership_role', 'user', 'child', 'log_entry', 'signal', 'calendar_activity')
    rows = bind.execute(
        sa.select(t['membership'].c.id, t['membership'].c.household_id, t['membership'].c.user_id,
                  t['membership'].c.created_at, t['user'].c.display_name)
        .join(t['membership_role'], t['membership_role'].c.membership_id == t['membership'].c.id)
        .join(t['user'], t['user'].c.id == t['membership'].c.user_id)
        .where(t['membership_role'].c.role == 'child', t['user'].c.username.is_(None))
        .order_by(t['membership'].c.household_id, t['membership'].c.id)).all()
    first_child: dict[int, int] = {}
    child_users: set[int] = set()
    for membership_id, household_id, user_id, created_at, display_name in rows:
        first_name = ((display_name or '').strip().split(' ')[0] or '?')[:40]
        child_id = bind.execute(t['child'].insert().values(
            household_id=household_id, first_name=first_name, age_band='age_7_9', colour='blue',
            created_at=created_at)).inserted_primary_key[0]
        first_child.setdefault(household_id, child_id)
        child_users.add(user_id)
        entries = t['log_entry']
        bind.execute(entries.update().where(entries.c.household_id == household_id, entries.c.author_id == user_id)
                     .values(child_id=child_id, author_id=entries.c.recorded_by_id))
        _delete(bind, 'membership', [membership_id])
    for household_id, child_id in first_child.items():
        bind.execute(t['calendar_activity'].update().where(
            t['calendar_activity'].c.household_id == household_id, t['calendar_activity'].c.by_child.is_(True))
            .values(child_id=child_id))
        bind.execute(t['signal'].update().where(t['signal'].c.household_id == household_id,
                                                t['signal'].c.source == 'child').values(child_id=child_id))
    left = set(bind.scalars(sa.select(t['membership'].c.user_id).where(
        t['membership'].c.user_id.in_(child_users)))) if child_users else set()
    _delete(bind, 'user', sorted(child_users - left))


def _tables(bind, *names):
    metadata = sa.MetaData()
    return {name: sa.Table(name, metadata, autoload_with=bind) for name in names}


def _delete(bind, table_name: str, ids: list[int]) -> None:
    """Delete rows as ON DELETE would: SQLite migrations run with foreign keys off, so it is done by hand here
    (on PostgreSQL the same statements leave the database nothing to do)."""
    if not ids:
        return
    inspector = sa.inspect(bind)
    metadata = sa.MetaData()
    for other in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(other):
            if fk['referred_table'] != table_name or other == 'alembic_version':
                continue
            table = sa.Table(other, metadata, autoload_with=bind) if other not in metadata.tables else metadata.tables[other]
            column = table.c[fk['constrained_columns'][0]]
            rule = (fk.get('options') or {}).get('ondelete', '').upper()
            if rule == 'CASCADE':
                if 'id' in table.c:
                    _delete(bind, other, list(bind.scalars(sa.select(table.c.id).where(column.in_(ids)))))
                else:
                    bind.execute(table.delete().where(column.in_(ids)))
            elif rule == 'SET NULL':
                bind.execute(table.update().where(column.in_(ids)).values({column.name: None}))
    target = sa.Table(table_name, metadata, autoload_with=bind) if table_name not in metadata.tables else metadata.tables[table_name]
    bind.execute(target.delete().where(target.c.id.in_(ids)))


def downgrade():
    with op.batch_alter_table('calendar_activity', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_calendar_activity_child_id_child'), type_='foreignkey')
        batch_op.drop_column('child_id')
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_signal_child_id_child'), type_='foreignkey')
        batch_op.drop_column('child_id')
    with op.batch_alter_table('log_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_log_entry_child_id_child'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_log_entry_child_id'))
        batch_op.drop_column('child_id')
    op.drop_table('child_safety_person')
    op.drop_table('child')
