"""Saving once what a phone sends twice (`save_once`): a resend, or two sends at the same moment, store one row."""
import pytest
from sqlalchemy import String, UniqueConstraint, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from webapp.database import save_once
from webapp.extensions import db


class _Base(DeclarativeBase):
    pass


class Sent(_Base):
    """Something written offline on a phone, with the id the phone made for it (a table of this test only)."""
    __tablename__ = "test_sent_once"
    __table_args__ = (UniqueConstraint("household_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int]
    client_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(100), default="")


@pytest.fixture
def sent_table(app):
    _Base.metadata.create_all(db.engine)
    try:
        yield
    finally:
        db.session.rollback()
        db.session.close()
        _Base.metadata.drop_all(db.engine)


@pytest.fixture
def inserts(sent_table):
    """The INSERT statements that reach the database for the table."""
    seen = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO TEST_SENT_ONCE"):
            seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def _saved(client_id: str, household_id: int = 1):
    return lambda: db.session.scalar(select(Sent).where(Sent.household_id == household_id,
                                                        Sent.client_id == client_id))


def _stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Sent))


def test_a_resend_gets_the_first_row_and_is_not_inserted_again(inserts):
    first, created = save_once(db.session, Sent(household_id=1, client_id="abc", text="first"), _saved("abc"))
    db.session.commit()
    resend = Sent(household_id=1, client_id="abc", text="again")
    again, created_again = save_once(db.session, resend, _saved("abc"))
    db.session.commit()
    assert created and (again, created_again) == (first, False)
    assert resend not in db.session
    assert len(inserts) == 1 and _stored() == 1 and first.text == "first"


def test_the_same_client_id_in_another_household_is_another_row(sent_table):
    save_once(db.session, Sent(household_id=1, client_id="abc"), _saved("abc", 1))
    other, created = save_once(db.session, Sent(household_id=2, client_id="abc"), _saved("abc", 2))
    db.session.commit()
    assert created and other.household_id == 2 and _stored() == 2


def test_a_resend_that_races_the_first_gets_the_first_row_and_the_callers_work_stays(sent_table):
    first, _ = save_once(db.session, Sent(household_id=1, client_id="abc", text="first"), _saved("abc"))
    db.session.commit()
    db.session.add(Sent(household_id=1, client_id="other", text="the caller's own work, not yet committed"))
    looks = []

    def saved_too_early():
        # The resend looks before the first send's row is there (two sends at the same moment), so it inserts:
        # the unique constraint refuses, and the second look finds the first row.
        looks.append(1)
        return None if len(looks) == 1 else _saved("abc")()

    racer, created = save_once(db.session, Sent(household_id=1, client_id="abc", text="racer"), saved_too_early)
    db.session.commit()
    assert (racer, created) == (first, False) and len(looks) == 2
    assert sorted(db.session.scalars(select(Sent.text))) == ["first", "the caller's own work, not yet committed"]


def test_an_insert_refused_for_another_reason_is_not_hidden(sent_table):
    with pytest.raises(IntegrityError):
        save_once(db.session, Sent(household_id=1, client_id=None), _saved("abc"))


@pytest.mark.parametrize("url, tested", [("postgresql+psycopg://kring@127.0.0.1:1/kring", True),
                                         ("sqlite:///{folder}/kring.sqlite3", False)])
def test_a_database_servers_connections_are_tested_before_use_and_a_sqlite_files_are_not(tmp_path, monkeypatch,
                                                                                        url, tested):
    """A server's connection may be gone when the pool hands it out (a restart): the pool tries it first. A SQLite
    file's cannot go, so its requests are spared that extra SELECT 1."""
    from webapp import create_app

    monkeypatch.setenv("KRING_INSTANCE", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.format(folder=tmp_path)})
    with app.app_context():
        assert db.engine.pool._pre_ping is tested
