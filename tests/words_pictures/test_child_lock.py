"""The child lock: once the child view is open on a grown-up's phone, only the child's pages stay open; every
other page asks for the grown-up's password first."""
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_app, sign_in_as
from tests.words_pictures.test_services import add
from webapp.child_lock import allowed
from webapp.extensions import db
from webapp.signals.models import Signal, SignalStatus


@pytest.fixture
def locked(client, family):
    """The parent's phone with the child view open."""
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"/h/{family.household.id}/child").status_code == 200
    return client


def test_before_the_child_view_the_grown_up_pages_are_open(client, family):
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"/h/{family.household.id}").status_code == 200
    assert client.get("/unlock").status_code == 302  # nothing to unlock


def test_after_the_child_view_a_grown_up_page_asks_for_the_password(locked, family):
    home = f"/h/{family.household.id}"
    for url in (home, f"{home}/log/", f"{home}/signals", "/settings", "/", f"{home}/books/plan", f"{home}/calendar/"):
        response = locked.get(url)
        assert response.status_code == 303, url
        assert response.headers["Location"].startswith("/unlock"), url
    assert locked.get(home).headers["Location"] == f"/unlock?next=/h/{family.household.id}"
    page = locked.get(f"/unlock?next={home}").text
    assert "Are you a grown-up?" in page and "Parent Pat" in page and 'name="password"' in page


def test_posting_to_a_grown_up_page_is_refused_too(locked, family):
    response = locked.post(f"/h/{family.household.id}/log/new", data={"what_happened": "x"})
    assert response.status_code == 303 and response.headers["Location"] == "/unlock"
    answer = locked.post("/settings/devices", json={}, headers={"Accept": "application/json"})
    assert answer.status_code == 403 and answer.get_json()["error"] == "child_lock"


def test_the_childs_own_pages_stay_open(locked, app, family):
    add(app, family, "Oma helpt.")
    db.session.commit()
    home = f"/h/{family.household.id}"
    for url in (f"{home}/child", f"{home}/log/child", f"{home}/calendar/child", f"{home}/child/worried",
                f"{home}/child/books/plan/1", "/sw.js", "/manifest.webmanifest", "/static/css/kring.css",
                "/plain-language/nl.json"):
        assert locked.get(url).status_code == 200, url


def test_the_child_can_take_back_a_signal_but_not_from_the_grown_up_page(locked, app, family):
    app.config["SIGNAL_UNDO_SECONDS"] = 30
    home = f"/h/{family.household.id}"
    page = locked.get(f"{home}/child/worried").text
    client_id = page.split('name="client_id" type="hidden" value="')[1].split('"')[0]
    status_url = locked.post(f"{home}/child/worried", data={"client_id": client_id}).headers["Location"]
    assert locked.get(status_url).status_code == 200
    signal = db.session.scalar(select(Signal))
    assert locked.post(f"{home}/signals/{signal.id}/undo", data={}).status_code == 303  # not from the child page
    assert locked.post(f"{home}/signals/{signal.id}/undo", data={"from": "child"}).status_code == 302
    db.session.refresh(signal)
    assert signal.status == SignalStatus.cancelled


def test_the_wrong_password_is_refused_and_the_right_one_opens_the_lock(locked, family):
    home = f"/h/{family.household.id}"
    wrong = locked.post(f"/unlock?next={home}", data={"password": "not it"})
    assert wrong.status_code == 401 and "This password is not right." in wrong.text
    assert locked.get(home).status_code == 303
    right = locked.post(f"/unlock?next={home}", data={"password": PASSWORD})
    assert right.status_code == 302 and right.headers["Location"] == home
    assert locked.get(home).status_code == 200
    assert locked.get("/unlock?next=https://elsewhere.example/").headers["Location"] == "/"  # only within Kring


def test_signing_out_and_in_again_opens_the_lock(locked, family):
    home = f"/h/{family.household.id}"
    assert locked.post("/sign-out", data={}).status_code == 302
    response = locked.post("/sign-in", data={"login": "household-member", "password": PASSWORD})
    assert response.status_code == 302
    assert locked.get(home).status_code == 200


def test_the_child_pages_of_another_household_are_locked_too(client, family):
    from webapp.households.services import add_member
    from webapp.households.models import Role
    add_member(db.session, family.other_household, family.users["household_member"], {Role.household_member})
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    client.get(f"/h/{family.household.id}/child")
    assert client.get(f"/h/{family.other_household.id}/child").status_code == 303


def test_a_page_that_fails_does_not_lock(client, family):
    sign_in_as(client, family.users["network_member"])
    assert client.get(f"/h/{family.household.id}/child").status_code == 403
    assert client.get(f"/h/{family.household.id}").status_code == 200


def test_allowed_lists_the_child_endpoints_for_the_locked_household_only(app, family):
    with app.test_request_context():
        from flask import session
        session["child_lock"] = 5
        assert allowed("households.child", {"household_id": 5}, {})
        assert allowed("words_pictures.picture", {"household_id": 5}, {})
        assert not allowed("words_pictures.picture", {"household_id": 6}, {})
        assert not allowed("households.home", {"household_id": 5}, {})
        assert not allowed("words_pictures.edit_page", {"household_id": 5, "page_id": 1}, {})
        assert allowed("signals.undo", {"household_id": 5}, {"from": "child"})
        assert not allowed("signals.undo", {"household_id": 5}, {})
        assert allowed("static", {"filename": "css/kring.css"}, {}) and allowed(None, None, {})
        assert allowed("auth.sign_out", {}, {}) and not allowed("auth.settings", {}, {})


def test_guessing_the_password_is_rate_limited(family):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        sign_in_as(client, family.users["household_member"])
        client.get(f"/h/{family.household.id}/child")
        statuses = [client.post("/unlock", data={"password": f"guess {n}"}).status_code for n in range(11)]
        assert statuses[:10] == [401] * 10 and statuses[10] == 429
