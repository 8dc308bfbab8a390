"""What the server does so that the service worker can keep the pages to write in for one person (sw.js): each
page names the signed-in person (opaquely) and the child lock; a fresh form token for the outbox; and a stale token
on an outbox send answered in JSON, so that the entry is sent again instead of lost."""
import re
import uuid

from sqlalchemy import event, func, select

from tests.conftest import make_app, sign_in_as
from tests.test_child_lock import give_phone_to_child
from webapp.extensions import db
from webapp.safety_log.models import LogEntry
from webapp.shell.views import CHILD_LOCK_HEADER, PERSON_HEADER

JSON = {"Accept": "application/json"}


def _entry(client_id: str) -> dict:
    return {"client_id": client_id, "kind": "went_well", "what_happened": "Opa las voor.", "occurred_at": "2026-01-10T08:15"}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(LogEntry))


def test_each_page_names_its_person_opaquely_and_the_same_person_alike(client, family):
    h = family.household.id
    assert PERSON_HEADER not in client.get("/sign-in").headers  # signed out: nobody's pages are kept

    sign_in_as(client, family.users["household_member"])
    composer, home = client.get(f"/h/{h}/log/new"), client.get(f"/h/{h}")
    person = composer.headers[PERSON_HEADER]
    assert home.headers[PERSON_HEADER] == person
    assert person != str(family.users["household_member"].id) and re.fullmatch(r"[0-9a-f]{32}", person)
    assert CHILD_LOCK_HEADER not in composer.headers

    sign_in_as(client, family.users["safety_person"])
    assert client.get(f"/h/{h}/log/new").headers[PERSON_HEADER] != person
    # Not on what is not a page (pictures, the outbox's JSON).
    assert PERSON_HEADER not in client.post(f"/h/{h}/log/new", data=_entry("hdr-1"), headers=JSON).headers


def test_a_saved_form_names_its_person_without_reading_their_row_again(client, family):
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    person = client.get(f"/h/{h}/log/new").headers[PERSON_HEADER]
    statements = []
    listener = lambda _c, _cur, sql, *_rest: statements.append(" ".join(sql.split()))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        saved = client.post(f"/h/{h}/log/new", data=_entry(str(uuid.uuid4())))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert saved.status_code == 302 and saved.headers[PERSON_HEADER] == person
    # The commit forgets what was loaded; naming the person for the service worker does not load them anew.
    after_commit = statements[max(i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO log_entry")):]
    assert not [sql for sql in after_commit if re.search(r'FROM "?user"? ', sql)], after_commit


def test_pages_say_the_phone_is_handed_to_the_child_of_which_household(client, family):
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, h)
    child_page = client.get(f"/h/{h}/log/child")
    assert child_page.status_code == 200 and child_page.headers[CHILD_LOCK_HEADER] == str(h)
    unlock = client.get(f"/h/{h}/log/new")
    assert unlock.status_code == 303  # the grown-up's page asks for the password first
    assert client.get(unlock.headers["Location"]).headers[CHILD_LOCK_HEADER] == str(h)


def test_an_outbox_send_with_a_stale_token_is_refused_in_json_and_a_fresh_token_saves_it(_schema, family):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        sign_in_as(client, family.users["household_member"])
        url = f"/h/{family.household.id}/log/new"
        client_id = str(uuid.uuid4())

        stale = client.post(url, data={**_entry(client_id), "csrf_token": "from-an-earlier-session"}, headers=JSON)
        assert stale.status_code == 400 and stale.json == {"error": "csrf"}
        assert _count() == 0

        token = client.get("/csrf-token")
        assert token.headers["Cache-Control"] == "no-store"
        fresh = token.json["csrf_token"]
        saved = client.post(url, data={**_entry(client_id), "csrf_token": fresh}, headers={**JSON, "X-CSRFToken": fresh})
        assert saved.status_code == 201 and _count() == 1

        # A form sent by a person (not the outbox) still gets the page that keeps what was typed.
        page = client.post(url, data={**_entry(str(uuid.uuid4())), "csrf_token": "stale"})
        assert page.status_code == 400 and "Opa las voor." in page.text


def test_the_fresh_token_is_there_while_the_phone_is_handed_to_the_child(client, family):
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    assert client.get("/csrf-token").status_code == 200


def test_a_childs_message_from_the_outbox_is_saved_once_and_answered_in_json(client, family):
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    url = f"/h/{family.household.id}/log/child"
    message = {"client_id": "child-offline-1", "pictogram": "happy",
               "words": "ik heb getekend"}
    first = client.post(url, data=message, headers=JSON)
    assert first.status_code == 201 and first.json["created"] is True
    again = client.post(url, data=message, headers=JSON)
    assert again.status_code == 200 and again.json == {"id": first.json["id"], "created": False}
    assert _count() == 1
    entry = db.session.get(LogEntry, first.json["id"])
    assert entry.child_id == family.child.id and entry.recorded_by_id == family.users["household_member"].id

    empty = client.post(url, data={"client_id": "child-offline-2", "words": " "}, headers=JSON)
    assert empty.status_code == 422
    assert empty.json["errors"]["words"] == ["Draw something, pick a picture or write a few words."]
    assert _count() == 1
