"""Words & Pictures books per child: each child has their own story and picture plan

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 08:40:00

A household's two books become its first child's books (the child added first and not removed, else the first
child at all). A household that has books and no child keeps them without a child; its first child takes them
over when their book is written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('words_pictures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_words_pictures_household_id', type_='unique')
        batch_op.create_index(batch_op.f('ix_words_pictures_child_id'), ['child_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_words_pictures_child_id_child'), 'child', ['child_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_words_pictures_child_id'), ['child_id', 'kind'])

    bind = op.get_bind()
    metadata = sa.MetaData()
    books = sa.Table('words_pictures', metadata, autoload_with=bind)
    child = sa.Table('child', metadata, autoload_with=bind)
    for household_id in bind.scalars(sa.select(books.c.household_id).distinct()).all():
        first = bind.scalar(sa.select(child.c.id).where(child.c.household_id == household_id)
                            .order_by(child.c.removed_at.is_not(None), child.c.created_at, child.c.id).limit(1))
        if first is not None:
            bind.execute(books.update().where(books.c.household_id == household_id).values(child_id=first))


def downgrade():
    bind = op.get_bind()
    metadata = sa.MetaData()
    books = sa.Table('words_pictures', metadata, autoload_with=bind)
    # One book of each kind per household again: the first child's (or the child-less one) stays.
    keep = {}
    for book_id, household_id, kind in bind.execute(
            sa.select(books.c.id, books.c.household_id, books.c.kind).order_by(books.c.child_id.is_(None).desc(),
                                                                              books.c.child_id, books.c.id)):
        keep.setdefault((household_id, kind), book_id)
    extra = [i for i in bind.scalars(sa.select(books.c.id)) if i not in set(keep.values())]
    if extra:
        bind.execute(books.delete().where(books.c.id.in_(extra)))
    with op.batch_alter_table('words_pictures', schema=None) as batch_op:
        batch_op.drop_constraint('uq_words_pictures_child_id', type_='unique')
        batch_op.drop_constraint('fk_words_pictures_child_id_child', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_words_pictures_child_id'))
        batch_op.drop_column('child_id')
        batch_op.create_unique_constraint('uq_words_pictures_household_id', ['household_id', 'kind'])
