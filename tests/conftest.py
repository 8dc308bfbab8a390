"""Shared test fixtures: an app on a real database (SQLite, or PostgreSQL via KRING_TEST_DATABASE_URL),
a fresh set of rows per test, and a household with a member in every role."""
import atexit
import contextlib
import functools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient


def _memory_folder() -> str | None:
    """/dev/shm when the machine has one with room to spare (a container's may be only 64 MB), else None."""
    try:
        stat = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if stat.f_bavail * stat.f_frsize > 1024 ** 3 else None


# Each test process (one per core under pytest-xdist) has its own instance folder, in memory where the machine
# offers one: the SQLite file and the uploads are written thousands of times.
_instance = Path(tempfile.mkdtemp(prefix="kring-test-instance-", dir=_memory_folder()))
atexit.register(shutil.rmtree, _instance, ignore_errors=True)
os.environ["KRING_INSTANCE"] = str(_instance)  # never the developer's own instance (its queue, its keys)
os.environ.pop("KRING_DEMO", None)

from webapp import create_app  # noqa: E402  (the instance folder must be set first)
from webapp.config import normalise_database_url  # noqa: E402
from webapp.auth.models import User, utcnow  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from webapp.auth import services as auth_services  # noqa: E402
from webapp.auth.services import hash_password  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.households.models import Child, Household, Membership, Role  # noqa: E402
from webapp.households.services import add_member  # noqa: E402

# Argon2 at its production costs takes a third of a second per check, and the tests sign in hundreds of times.
# The tests check what Kring does with a hash, not Argon2 itself: the cheapest costs the library accepts.
auth_services._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
auth_services._DUMMY_HASH = auth_services._hasher.hash("kring-no-such-account")

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # Argon2 is slow on purpose: hash once for all test users


def database_url() -> str:
    """The database of this test process: a file in its own instance folder, or on PostgreSQL a database of its own
    beside the one named (`test_gw0`, `test_gw1`, … under pytest-xdist), created when missing."""
    url = os.environ.get("KRING_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{_instance / 'test.sqlite3'}"
    url = normalise_database_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _own_database(url, worker) if worker else url


@functools.cache
def _own_database(url: str, worker: str) -> str:
    from sqlalchemy import create_engine, make_url, text
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{own.database}"')
            # A throwaway database need not survive a power cut: its commits do not wait for the disk. What a commit
            # makes visible, and when, stays the same; the PostgreSQL run waits a few percent less.
            conn.exec_driver_sql(f'ALTER DATABASE "{own.database}" SET synchronous_commit = off')
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (so its own `g` and database session), as on a real
    server, even though the test holds an app context open to use `db.session` directly."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test sees what the request committed
        return response


def make_app(**overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def _schema():
    """Build the schema once per run through the real migrations."""
    from flask_migrate import upgrade
    app = make_app()
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
    return True


@functools.cache
def _tables() -> list:
    """Every table, parents first. SQLAlchemy sorts them again each time it is asked, which costs a millisecond and
    the tests ask thousands of times."""
    return db.metadata.sorted_tables


@functools.cache
def _probe():
    """One query that names the tables holding rows (built once: building it costs more than running it)."""
    from sqlalchemy import exists, literal, select, union_all
    return union_all(*(select(literal(i)).where(exists(select(literal(1)).select_from(t)))
                       for i, t in enumerate(_tables())))


def _filled(conn) -> list:
    """The tables that hold rows, in the order they can be filled (parents first)."""
    tables = _tables()
    return [tables[i] for i in sorted(row[0] for row in conn.execute(_probe()))]


def _empty_tables(app) -> None:
    """Delete every row a test left, children first. One query asks which tables hold rows, so most tests delete from
    a handful of tables instead of all of them."""
    with app.app_context():
        with db.engine.begin() as conn:
            filled = _filled(conn)
            if filled and conn.dialect.name == "postgresql":
                # One round trip to the server for all of them instead of one per table: the route matrix takes a
                # sixth less time on PostgreSQL. (Several statements in one go need the driver's own cursor.)
                with conn.connection.dbapi_connection.cursor() as cursor:
                    cursor.execute("; ".join(f'DELETE FROM "{table.name}"' for table in reversed(filled)))
                return
            for table in reversed(filled):
                conn.execute(table.delete())


_shared: dict = {}


def _shared_app():
    """One app for the whole run: building one costs a fifth of a second, for thousands of tests. A test that
    changes its configuration gets it back afterwards."""
    if "app" not in _shared:
        _shared["app"] = make_app()
        _shared["config"] = dict(_shared["app"].config)
    return _shared["app"]


@pytest.fixture
def app(_schema):
    app = _shared_app()
    _empty_tables(app)
    try:
        with app.app_context():
            yield app
            db.session.remove()
    finally:
        app.config.clear()
        app.config.update(_shared["config"])


@pytest.fixture
def empty_database(_schema):
    """No rows left by an earlier test, for a test that makes apps of its own (the `app` fixture empties the tables
    for the tests that use it; under pytest-xdist any test may run after any other)."""
    _empty_tables(_shared_app())


@pytest.fixture
def client(app):
    return app.test_client()


def make_user(name: str, username: str | None, locale: str = "en") -> User:
    user = User(display_name=name, username=username, password_hash=_PASSWORD_HASH if username else None, locale=locale)
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class TestHousehold:
    __test__ = False  # a fixture's shape, not a test class

    household: Household
    users: dict[str, User]
    other_household: Household
    child: Child | None = None  # the household's child: a record, not a person with a sign-in

    def membership(self, key: str) -> Membership:
        return db.session.scalar(db.select(Membership).filter_by(household_id=self.household.id, user_id=self.users[key].id))


ROLE_USERS = {
    "household_member": ("Parent Pat", {Role.household_member}),
    "safety_person": ("Grandma Gwen", {Role.safety_person}),
    "network_member": ("Neighbour Ned", {Role.network_member}),
    "chair": ("Aunt Chris", {Role.chair, Role.network_member}),
    "professional": ("Pro Paula", {Role.professional}),
}


@pytest.fixture
def family(app) -> TestHousehold:
    """A household with one person in every role, its child Kim, and an outsider who is in another household.

    Made through the app's services the first time in each test process; after that its rows are put back as they
    were made (with every moment moved on by the time since), which takes a few milliseconds instead of 80 on SQLite
    and 180 on PostgreSQL, for well over a thousand tests. Only into an empty database: a test whose other fixtures
    wrote rows first gets its family made through the services again."""
    with db.engine.connect() as conn:
        empty = not _filled(conn)
    if empty and "family" in _shared:
        return _put_back_family(*_shared["family"])
    made = _make_family()
    if empty:
        ids = (made.household.id, {key: user.id for key, user in made.users.items()}, made.other_household.id,
               made.child.id)
        _shared["family"] = (_family_rows(), ids, utcnow())
    return made


def _make_family() -> TestHousehold:
    household = Household(name="Family Test")
    other = Household(name="Other Family")
    db.session.add_all([household, other])
    users = {}
    for key, (name, roles) in ROLE_USERS.items():
        users[key] = make_user(name, key.replace("_", "-"))
        add_member(db.session, household, users[key], roles)
    users["outsider"] = make_user("Outsider Otto", "outsider")
    add_member(db.session, other, users["outsider"], {Role.household_member})
    # A professional counts as a member only while the household's grant is active.
    from datetime import timedelta
    from webapp.grants.services import start_grant
    start_grant(db.session, household, users["professional"], users["household_member"].id,
                utcnow() + timedelta(days=90), utcnow())
    child = Child(household_id=household.id, first_name="Kim", created_by=users["household_member"])
    db.session.add(child)
    db.session.commit()
    return TestHousehold(household, users, other, child)


def _family_rows() -> list[tuple]:
    """(table, its rows) for every table the family filled, parents first."""
    with db.engine.connect() as conn:
        return [(table, [dict(row._mapping) for row in conn.execute(table.select())]) for table in _filled(conn)]


def insert_rows(conn, table_rows) -> None:
    """Put rows back, table by table (parents first). On PostgreSQL in one pipeline: the server gets every table's
    rows at once instead of answering each table before the next is sent (the route matrix takes a quarter less
    time); an error still surfaces, when the pipeline ends."""
    pipeline = conn.connection.dbapi_connection.pipeline if conn.dialect.name == "postgresql" else contextlib.nullcontext
    with pipeline():
        for table, rows in table_rows:
            if rows:
                conn.execute(table.insert(), rows)


def _put_back_family(rows: list[tuple], ids: tuple, taken) -> TestHousehold:
    from datetime import datetime
    later = utcnow() - taken
    with db.engine.begin() as conn:
        insert_rows(conn, [(table, [{k: v + later if isinstance(v, datetime) else v for k, v in row.items()}
                                    for row in table_rows]) for table, table_rows in rows])
    household, users, other, child = ids
    households = {h.id: h for h in db.session.scalars(db.select(Household).where(Household.id.in_([household, other])))}
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(users.values())))}
    return TestHousehold(households[household], {key: people[user] for key, user in users.items()}, households[other],
                         db.session.get(Child, child))


def sign_in_as(client, user: User, second_factor: bool = True) -> None:
    """Put the user in the test client's session, as a successful sign-in does (by default one with a second
    factor, which a professional needs to see a household)."""
    from webapp.auth.two_step import SECOND_FACTOR_KEY
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        if second_factor:
            session[SECOND_FACTOR_KEY] = user.get_id()
        else:
            session.pop(SECOND_FACTOR_KEY, None)
from tests.peers import push_service, sms_provider, smtp_server  # noqa: E402,F401
