"""ids never reused and references kept on SQLite: every table with its own id becomes AUTOINCREMENT, its counter
starts above every id it ever handed out that is still mentioned anywhere, and rows that point at removed rows get
what ON DELETE would have done, now that foreign keys are enforced

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00

PostgreSQL enforced its foreign keys and its sequences never reuse an id: nothing to do there.
Runs with foreign keys off (migrations/env.py), as SQLite's recipe for copying a table asks.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    tables = [name for name in sa.inspect(bind).get_table_names() if name != "alembic_version"]
    references = {name: _references(bind, name) for name in tables}
    own_id = [name for name in tables if _has_own_id(bind, name)]
    # Taken before the repair below clears references: a removed phone's id that a waiting delivery still
    # names must never go to the next phone.
    high = {name: _highest_id(bind, name, references) for name in own_id}
    _repair_references(bind, references)
    for name in own_id:
        with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
    for name, seq in high.items():
        if seq:
            bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": name})
            bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                         {"name": name, "seq": seq})


def downgrade():
    # Revision 0011 works as well with AUTOINCREMENT tables and without the rows that pointed nowhere.
    pass


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _references(bind, table: str) -> list[dict]:
    """The foreign keys of `table`: (id, column, parent table, parent column, on delete)."""
    rows = bind.exec_driver_sql(f"PRAGMA foreign_key_list({_quote(table)})").mappings().all()
    return [{"id": r["id"], "column": r["from"], "parent": r["table"], "parent_column": r["to"] or "id",
             "on_delete": r["on_delete"].upper()} for r in rows]


def _has_own_id(bind, table: str) -> bool:
    """A single INTEGER primary key that points at no other table: the only kind AUTOINCREMENT applies to."""
    pk = sa.inspect(bind).get_pk_constraint(table)["constrained_columns"]
    if len(pk) != 1:
        return False
    columns = {c["name"]: c for c in sa.inspect(bind).get_columns(table)}
    return (isinstance(columns[pk[0]]["type"], sa.Integer)
            and not any(fk["column"] == pk[0] for fk in _references(bind, table)))


def _highest_id(bind, table: str, references: dict[str, list[dict]]) -> int:
    highest = bind.exec_driver_sql(f"SELECT max(id) FROM {_quote(table)}").scalar() or 0
    for child, keys in references.items():
        for key in keys:
            if key["parent"] == table:
                mentioned = bind.exec_driver_sql(f"SELECT max({_quote(key['column'])}) FROM {_quote(child)}").scalar()
                highest = max(highest, mentioned or 0)
    return highest


def _repair_references(bind, references: dict[str, list[dict]]) -> None:
    """Rows that point at a row that is gone get what ON DELETE would have done when it went. Until nothing is
    left: a row deleted here may leave rows pointing at it."""
    while broken := bind.exec_driver_sql("PRAGMA foreign_key_check").all():
        for table, rowid, parent, key_id in broken:
            key = next(k for k in references[table] if k["id"] == key_id)
            if key["on_delete"] == "CASCADE":
                bind.exec_driver_sql(f"DELETE FROM {_quote(table)} WHERE rowid = ?", (rowid,))
            elif key["on_delete"] == "SET NULL":
                bind.exec_driver_sql(f"UPDATE {_quote(table)} SET {_quote(key['column'])} = NULL WHERE rowid = ?",
                                     (rowid,))
            else:
                raise RuntimeError(f"{table} row {rowid} points at a missing row of {parent}, and its foreign key "
                                   f"says neither CASCADE nor SET NULL: repair it by hand before upgrading")
