"""Migration 0015: a child that was a person without a sign-in becomes a child record of the household, and
everything that pointed at that person points at the child; nothing is lost. On SQLite and on PostgreSQL."""
import contextlib
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from tests.conftest import database_url, make_app
from webapp.extensions import db

NOW = datetime(2026, 11, 20, 20, 0)


@contextlib.contextmanager
def _scratch_database(tmp_path):
    """An empty database of the same kind the suite runs on: a file for SQLite, a new database on PostgreSQL."""
    url = make_url(database_url())
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"kring_migration_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def _row(conn, table, **values):
    return conn.execute(table.insert().values(**values)).inserted_primary_key[0]


def _old_household(conn, t, name: str, child_name: str) -> dict:
    """A household as Kring kept it before 0015: Sanne, and her daughter as a person without a sign-in."""
    home = _row(conn, t["household"], name=name, phase="direct_safety", created_at=NOW)
    suffix = uuid.uuid4().hex[:6]
    sanne = _row(conn, t["user"], display_name="Sanne de Vries", username=f"sanne-{suffix}", discreet=False,
                 session_epoch=0, created_at=NOW)
    child = _row(conn, t["user"], display_name=child_name, username=None, discreet=False, session_epoch=0,
                 created_at=NOW)
    for user, role in ((sanne, "household_member"), (child, "child")):
        membership = _row(conn, t["membership"], household_id=home, user_id=user, created_at=NOW)
        _row(conn, t["membership_role"], membership_id=membership, role=role)
    entry = dict(household_id=home, kind="child_message", occurred_at=NOW, created_at=NOW, what_happened="",
                 what_was_done="", version=1)
    message = _row(conn, t["log_entry"], client_id=f"c-{suffix}", author_id=child, recorded_by_id=sanne,
                   pictogram="happy", **{**entry, "what_happened": "Ik heb een sticker!"})
    adults = _row(conn, t["log_entry"], client_id=f"a-{suffix}", author_id=sanne,
                  **{**entry, "kind": "went_well", "what_happened": "Rustige ochtend"})
    sticker = _row(conn, t["calendar_activity"], household_id=home, day=date(2026, 11, 20), description="Fruit",
                   with_whom="", by_child=True, created_by_id=sanne, created_at=NOW)
    planned = _row(conn, t["calendar_activity"], household_id=home, day=date(2026, 11, 20), description="Ontbijt",
                   with_whom="", by_child=False, created_by_id=sanne, created_at=NOW)
    worried = _row(conn, t["signal"], household_id=home, client_id=f"s-{suffix}", source="child", raised_by_id=sanne,
                   note="", created_at=NOW, send_at=NOW, status="closed", level=1, emailed=False, outcome="")
    return dict(home=home, sanne=sanne, child_user=child, message=message, adults=adults, sticker=sticker,
                planned=planned, worried=worried)


def test_upgrading_turns_each_child_person_into_a_child_of_their_household_without_loss(tmp_path):
    with _scratch_database(tmp_path) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0014")
            meta = sa.MetaData()
            names = ("household", "user", "membership", "membership_role", "log_entry", "calendar_activity", "signal")
            t = {n: sa.Table(n, meta, autoload_with=db.engine) for n in names}
            with db.engine.begin() as conn:
                demo = _old_household(conn, t, "Familie Demo", "Mila de Vries")
                other = _old_household(conn, t, "Familie Jansen", "Noor")
            upgrade()

            with db.engine.connect() as conn:
                children = conn.execute(sa.text(
                    "SELECT id, household_id, first_name, removed_at FROM child ORDER BY id")).all()
                assert [(c.household_id, c.first_name, c.removed_at) for c in children] == [
                    (demo["home"], "Mila", None), (other["home"], "Noor", None)]
                mila = children[0].id
                users = {row.display_name for row in conn.execute(sa.text('SELECT display_name FROM "user"'))}
                assert users == {"Sanne de Vries"}  # the child people are gone, the grown-ups stay
                roles = {row.role for row in conn.execute(sa.text("SELECT role FROM membership_role"))}
                assert roles == {"household_member"}

                entry = lambda i: conn.execute(sa.text(  # noqa: E731
                    "SELECT author_id, recorded_by_id, child_id, what_happened, pictogram FROM log_entry WHERE id = :i"),
                    {"i": i}).one()
                # The child's message keeps its words; it is the child's, written on Sanne's phone.
                assert tuple(entry(demo["message"])) == (demo["sanne"], demo["sanne"], mila, "Ik heb een sticker!",
                                                         "happy")
                assert tuple(entry(demo["adults"]))[:3] == (demo["sanne"], None, None)
                assert entry(other["message"]).child_id == children[1].id

                sticker = lambda i: conn.execute(sa.text(  # noqa: E731
                    "SELECT child_id FROM calendar_activity WHERE id = :i"), {"i": i}).scalar()
                assert sticker(demo["sticker"]) == mila and sticker(demo["planned"]) is None
                assert conn.execute(sa.text("SELECT child_id FROM signal WHERE id = :i"),
                                    {"i": demo["worried"]}).scalar() == mila
            db.session.remove()
            db.engine.dispose()


def test_upgrading_gives_a_households_books_to_its_first_child_and_keeps_a_childless_households_books(tmp_path):
    """Migration 0018: books become per child. The first child still in the household takes them (a removed child
    added earlier does not); a household without a child keeps its books, with their pages, for its first child."""
    with _scratch_database(tmp_path) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0017")
            meta = sa.MetaData()
            t = {n: sa.Table(n, meta, autoload_with=db.engine)
                 for n in ("household", "child", "words_pictures", "words_pictures_page")}
            with db.engine.begin() as conn:
                homes = [_row(conn, t["household"], name=name, phase="direct_safety", created_at=NOW)
                         for name in ("Familie Demo", "Familie Bakker")]
                child = dict(household_id=homes[0], age_band="age_7_9", colour="blue")
                gone = _row(conn, t["child"], first_name="Eerder", created_at=datetime(2026, 1, 1),
                            removed_at=NOW, **child)
                mila = _row(conn, t["child"], first_name="Mila", created_at=datetime(2026, 2, 1), **child)
                _row(conn, t["child"], first_name="Sam", created_at=datetime(2026, 3, 1), **child)
                books = {}
                for home in homes:
                    for kind in ("story", "plan"):
                        books[home, kind] = _row(conn, t["words_pictures"], household_id=home, kind=kind, title="",
                                                 updated_at=NOW)
                        _row(conn, t["words_pictures_page"], household_id=home, book_id=books[home, kind], position=1,
                             picture_kind="pictogram", pictogram="home", text=f"{kind} van {home}.", updated_at=NOW)
            upgrade()

            with db.engine.connect() as conn:
                owner = {row.id: row.child_id for row in conn.execute(sa.text("SELECT id, child_id FROM words_pictures"))}
                assert owner == {books[homes[0], "story"]: mila, books[homes[0], "plan"]: mila,
                                 books[homes[1], "story"]: None, books[homes[1], "plan"]: None}
                assert gone != mila
                assert conn.execute(sa.text("SELECT count(*) FROM words_pictures_page")).scalar() == 4
            db.session.remove()
            db.engine.dispose()
