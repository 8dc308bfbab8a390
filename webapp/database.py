"""Database helpers for every capability: the shape of a household's record, saving once what a phone may send
twice, statements built once for the queries every page runs, the clock the rows are written
with (`utcnow`, here on the ground floor so that modules below `auth` have it too), and what SQLite needs to keep
the promises PostgreSQL keeps by itself: foreign keys enforced on every connection (so ON DELETE CASCADE and SET
NULL really happen), and migrations that copy tables without breaking references, losing AUTOINCREMENT or handing
out an id a second time."""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import TypeVar

from sqlalchemy import ForeignKey, Table, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

Row = TypeVar("Row")
Statement = TypeVar("Statement")


def prepared(build: Callable[[], Statement]) -> Callable[[], Statement]:
    """A query that pages run on every request, built once on first use with `bindparam()` where its values go
    (the caller passes them to `session.execute(statement, {...})`). Building a statement and working out its
    cache key costs SQLAlchemy about as much as running it; a statement built once keeps its key, so each run
    only binds the values (bench/page_cpu.py: a membership look-up 260 microseconds built anew, 115 built once).
    A builder may take arguments that choose the statement's shape (which filters it has), never values: one
    statement is kept for each shape."""
    return cache(build)


def utcnow() -> datetime:
    """The time as Kring stores it: UTC, without a zone (every column holds naive UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


class HouseholdScoped:
    """A record of one household: its own id, and the household it belongs to, with which it is erased. Views read
    it through `authz.in_household`, so a query that forgets the household is hard to write."""
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)


class ForeignKeyViolation(RuntimeError):
    """A migration left rows that point at rows that do not exist."""


def save_once(session: Session, row: Row, saved: Callable[[], Row | None]) -> tuple[Row, bool]:
    """Add `row` unless it was saved before: a phone sends what was written offline again until it hears back,
    with the id it made for it (unique per household), and it must be stored once. `saved` finds what an earlier
    send stored: the row with that id (or whatever else the caller counts as the same). Returns (row, True), or
    (the saved row, False) for a resend, also for one that raced the first send to the database: the unique
    constraint turns the second insert away, and `saved` then finds the first."""
    existing = saved()
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():  # a lost race rolls back this insert only, not the caller's transaction
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = saved()
        if existing is None:
            raise
        return existing, False
    return row, True


def is_sqlite(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "sqlite"


def set_up_sqlite_connections(engine: Engine) -> None:
    """SQLite ignores FOREIGN KEY clauses unless each connection asks for them, and a pooled connection keeps
    the setting: so every new connection of this engine turns them on. It also writes ahead (WAL): the web
    processes read while the worker writes, and a commit is one sync of the log instead of two or three of
    the database and its journal; synchronous=FULL keeps every commit on disk through a power cut."""
    if is_sqlite(engine) and not event.contains(engine, "connect", _sqlite_connection_settings):
        event.listen(engine, "connect", _sqlite_connection_settings)


def _sqlite_connection_settings(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; an in-memory database stays "memory"
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@contextmanager
def sqlite_migrations(connection: Connection) -> Iterator[None]:
    """Around the migrations on SQLite, on a connection outside a transaction (a pragma cannot change inside one).

    - Foreign keys off: a batch migration copies a table, drops the old one and renames the copy; with them on,
      the drop would delete (CASCADE) or clear (SET NULL) every row that points at the table. SQLite's own
      recipe for changing a table turns them off, and checks the references afterwards: so do we.
    - AUTOINCREMENT kept: SQLAlchemy does not read it back from SQLite, so a batch copy would lose it silently.
    - Ids never reused: the copy starts counting from the highest id left, not the highest ever handed out;
      each table's counter is put back to at least where it was.
    """
    if not is_sqlite(connection):
        yield
        return
    _set_foreign_keys(connection, "OFF")
    counters = _counters(connection)
    event.listen(Table, "column_reflect", _keep_autoincrement)
    try:
        yield
        for name, seq in counters.items():
            _raise_counter(connection, name, seq)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        connection.commit()
        if broken:
            raise ForeignKeyViolation("rows point at rows that do not exist (table, row, missing table): "
                                      + ", ".join(f"{row[0]} {row[1]} {row[2]}" for row in broken[:20]))
    finally:
        event.remove(Table, "column_reflect", _keep_autoincrement)
        if connection.in_transaction():
            connection.rollback()
        _set_foreign_keys(connection, "ON")  # the pool hands this connection to the app next


def _set_foreign_keys(connection: Connection, state: str) -> None:
    connection.exec_driver_sql(f"PRAGMA foreign_keys={state}")
    connection.commit()


def _counters(connection: Connection) -> dict[str, int]:
    if connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").first() is None:
        return {}
    counters = dict(connection.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all())
    connection.commit()
    return counters


def _raise_counter(connection: Connection, table: str, seq: int) -> None:
    """The next id of `table` is above `seq` (a copied table that is empty has no counter row at all)."""
    values = {"name": table, "seq": seq}
    connection.execute(text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :name AND seq < :seq"), values)
    connection.execute(text(
        "INSERT INTO sqlite_sequence (name, seq) SELECT :name, :seq WHERE NOT EXISTS "
        "(SELECT 1 FROM sqlite_sequence WHERE name = :name) AND EXISTS "
        "(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name AND upper(sql) LIKE '%AUTOINCREMENT%')"),
        values)


def _keep_autoincrement(inspector, table: Table, _column_info: dict) -> None:
    """While a table is read back for a batch copy: mark it AUTOINCREMENT when SQLite has it so."""
    if inspector.dialect.name != "sqlite" or table.dialect_options["sqlite"]["autoincrement"]:
        return
    sql = inspector.bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                                 {"name": table.name}).scalar()
    if sql and "AUTOINCREMENT" in sql.upper():
        table.dialect_kwargs["sqlite_autoincrement"] = True
