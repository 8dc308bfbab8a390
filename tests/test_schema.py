"""The database keeps its own promises on SQLite as on PostgreSQL: foreign keys are enforced (ON DELETE CASCADE and
SET NULL really happen), ids are never handed out twice, and the migrated schema is exactly the models."""
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from tests.signals.conftest import NOW, add_device, raise_now
from webapp.extensions import db
from webapp.households.models import Child, Household, Membership, MembershipRole, Role
from webapp.notify.models import PushSubscription
from webapp.signals.models import Delivery, Signal


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _sqlite_tables() -> dict[str, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                      "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")).all())


def test_deleting_a_household_row_takes_everything_of_it_along(family):
    household_id = family.household.id
    signal_id = raise_now(family).id
    assert _count(Membership, Membership.household_id == household_id) == 5
    assert _count(Child, Child.household_id == household_id) == 1
    db.session.execute(delete(Household).where(Household.id == household_id))  # no hand-written order
    db.session.commit()
    assert _count(Membership, Membership.household_id == household_id) == 0
    assert _count(Child) == 0
    assert _count(MembershipRole) == 1  # the outsider's, in the other household
    assert _count(Signal, Signal.id == signal_id) == 0


def test_deleting_a_person_removes_their_devices_and_keeps_the_deliveries_as_former_member(family, push_service):
    ria = family.users["safety_person"]
    add_device(ria, push_service)
    signal = raise_now(family)
    [sent] = signal.deliveries
    db.session.execute(delete(Membership).where(Membership.user_id == ria.id))
    db.session.execute(delete(type(ria)).where(type(ria).id == ria.id))
    db.session.commit()
    db.session.expire_all()
    assert _count(PushSubscription) == 0
    sent = db.session.get(Delivery, sent.id)
    assert sent.user_id is None and sent.subscription_id is None


def test_a_reference_to_a_row_that_does_not_exist_is_refused(family):
    db.session.add(Membership(household_id=family.household.id, user_id=987654))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_removed_device_id_is_never_given_to_the_next_device(family, push_service):
    first = add_device(family.users["safety_person"], push_service)
    removed = add_device(family.users["safety_person"], push_service)
    removed_id = removed.id
    db.session.delete(removed)
    db.session.commit()
    newer = add_device(family.users["network_member"], push_service)
    assert newer.id > removed_id > first.id


def _on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def test_every_sqlite_table_with_its_own_id_is_autoincrement(app):
    if not _on_sqlite():
        pytest.skip("PostgreSQL sequences never hand out an id twice")
    tables = _sqlite_tables()
    surrogate = {t.name for t in db.metadata.sorted_tables
                 if len(t.primary_key.columns) == 1 and not list(t.primary_key.columns)[0].foreign_keys}
    assert surrogate and surrogate <= set(tables)
    assert [name for name in sorted(surrogate) if "AUTOINCREMENT" not in tables[name].upper()] == []


def test_the_migrated_schema_is_exactly_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_a_later_batch_migration_keeps_autoincrement_and_the_id_counter_on_sqlite(tmp_path):
    """SQLAlchemy does not read AUTOINCREMENT back from SQLite, and a copied table counts on from its highest id
    left: a batch migration would silently bring id reuse back. The migrations run inside `sqlite_migrations`,
    which keeps both."""
    from webapp.database import sqlite_migrations
    path = tmp_path / "batch.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    thing = Table("thing", MetaData(), Column("id", Integer, primary_key=True), sqlite_autoincrement=True)
    thing.create(engine)
    with engine.begin() as conn:
        conn.execute(thing.insert(), [{"id": 1}, {"id": 2}, {"id": 3}])
        conn.execute(thing.delete().where(thing.c.id == 3))  # the newest row is removed

    def add_column_by_copying(name):
        with engine.connect() as conn:
            with Operations.context(MigrationContext.configure(conn)) as op:
                with op.batch_alter_table("thing", recreate="always") as batch:
                    batch.add_column(Column(name, String(10)))
            conn.commit()

    def create_sql():
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT sql FROM sqlite_master WHERE name = 'thing'").fetchone()[0]

    def next_id():
        with engine.begin() as conn:
            new_id = conn.execute(text("INSERT INTO thing DEFAULT VALUES RETURNING id")).scalar()
            conn.execute(thing.delete().where(thing.c.id == new_id))
            return new_id

    with engine.connect() as conn, sqlite_migrations(conn):
        with Operations.context(MigrationContext.configure(conn)) as op:
            with op.batch_alter_table("thing", recreate="always") as batch:
                batch.add_column(Column("kept", String(10)))
        conn.commit()
    assert "AUTOINCREMENT" in create_sql()
    assert next_id() == 4
    add_column_by_copying("lost")  # what happens without it
    assert "AUTOINCREMENT" not in create_sql()
    engine.dispose()


def test_sqlite_connections_enforce_foreign_keys(app):
    if not _on_sqlite():
        pytest.skip("PostgreSQL always enforces them")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_sqlite_writes_ahead_and_keeps_every_commit_through_a_power_cut(app):
    """Pages are read while the worker writes the outcome of each push, and a commit costs one sync."""
    if not _on_sqlite():
        pytest.skip("PostgreSQL has its own write-ahead log")
    with db.engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA database_list").all()[0][2] == "":
            pytest.skip("an in-memory database has no log")
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_upgrading_an_old_sqlite_database_repairs_references_and_never_reuses_an_id_still_mentioned(tmp_path):
    """A database from before foreign keys were enforced: Ria removed her newest phone (id 6) while an alert
    waited for it, and a household was deleted without its members. After the upgrade the waiting alert points
    nowhere, the members are gone as ON DELETE CASCADE would have done, and the next phone gets id 7."""
    from flask_migrate import upgrade

    from tests.conftest import make_app
    from webapp.auth.models import User
    from webapp.notify.models import Channel
    from webapp.signals.models import SignalSource

    path = tmp_path / "old.sqlite3"
    old = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with old.app_context():
        upgrade(revision="0011")
        ria, kees = User(display_name="Oma Ria", username="ria"), User(display_name="Buurman Kees", username="kees")
        home, gone = Household(name="Familie Demo"), Household(name="Closed long ago")
        db.session.add_all([ria, kees, home, gone])
        db.session.flush()
        for household in (home, gone):
            db.session.add(Membership(household_id=household.id, user_id=ria.id, role_rows=[
                MembershipRole(role=Role.safety_person)]))
        phones = [PushSubscription(user_id=ria.id, endpoint=f"https://fcm.googleapis.com/fcm/send/{n}", p256dh="k",
                                   auth="a", device_name=f"Phone {n}") for n in range(1, 7)]
        db.session.add_all(phones)
        # Written as rows of that revision: later revisions add columns to the models (0014: SMS, 0015: children).
        signal_id = db.session.execute(insert(Signal.__table__).values(
            household_id=home.id, client_id="old-1", source=SignalSource.safe_object, raised_by_id=kees.id,
            send_at=NOW, created_at=NOW, note="", status="open", level=1, emailed=False, outcome="")
        ).inserted_primary_key[0]
        waiting_id = db.session.execute(insert(Delivery.__table__).values(
            signal_id=signal_id, dedup_key=f"{signal_id}:alert:push:d6", user_id=ria.id, ring=1,
            channel=Channel.push, subscription_id=phones[-1].id, purpose="alert", device_name="", status="queued",
            attempts=0, created_at=NOW)).inserted_primary_key[0]
        db.session.commit()
        assert phones[-1].id == 6
        ids = {"waiting": waiting_id, "gone": gone.id, "home": home.id}
        db.session.remove()
        db.engine.dispose()
    with sqlite3.connect(path) as conn:  # as Kring did before: SQLite without foreign keys
        conn.execute("DELETE FROM push_subscription WHERE id = 6")
        conn.execute("DELETE FROM household WHERE id = ?", (ids["gone"],))

    with old.app_context():
        upgrade()
        assert db.session.get(Delivery, ids["waiting"]).subscription_id is None
        assert [m.household_id for m in db.session.scalars(select(Membership))] == [ids["home"]]
        assert _count(MembershipRole) == 1 and _count(PushSubscription) == 5
        kees_phone = PushSubscription(user_id=db.session.scalar(select(User.id).where(User.username == "kees")),
                                      endpoint="https://fcm.googleapis.com/fcm/send/kees", p256dh="k", auth="a",
                                      device_name="Kees")
        db.session.add(kees_phone)
        db.session.commit()
        assert kees_phone.id == 7
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            tables = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
        assert "AUTOINCREMENT" in tables["push_subscription"] and "AUTOINCREMENT" in tables["delivery"]
        db.session.remove()
        db.engine.dispose()
