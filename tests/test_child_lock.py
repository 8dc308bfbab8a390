"""The child lock: a grown-up hands the phone to the child with one confirming tap; from then on only the child's
pages stay open and every other page, download included, asks for the grown-up's password or passkey first, also
after the browser was closed or the server restarted. Nothing else locks the phone, and no child page shows the
grown-ups' notices."""
import pytest
from flask import url_for
from sqlalchemy import select

from tests.conftest import PASSWORD, make_app, sign_in_as
from tests.words_pictures.test_services import add
from webapp.auth.models import utcnow
from webapp.child_lock import REFRESH_HEADER, allowed, is_child_page
from webapp.extensions import db
from webapp.signals.models import Signal, SignalSource, SignalStatus
from webapp.signals.services import raise_signal

REFRESH = {REFRESH_HEADER: "1"}
LOCK_COOKIE = "kring_child_lock"
REMEMBER_COOKIE = "remember_token"
SESSION_COOKIE = "kring"


def give_phone_to_child(client, household_id: int, child_name: str = "Kim") -> None:
    """What a grown-up does: open the child view, answer "yes" to the question, and see the child view."""
    opened = client.get(f"/h/{household_id}/child")
    assert opened.status_code == 303
    step = opened.headers["Location"]
    assert step == f"/h/{household_id}/child/start?next=/h/{household_id}/child"
    question = client.get(step)
    assert question.status_code == 200
    assert f"Are you giving the phone to {child_name}?" in question.text
    assert "To come back, Kring asks for your password." in question.text
    confirmed = client.post(step, data={})
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == f"/h/{household_id}/child"
    assert client.get(f"/h/{household_id}/child").status_code == 200


@pytest.fixture
def locked(client, family):
    """The parent's phone, handed to the child."""
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    return client


def _child_urls(app, family) -> list[str]:
    add(app, family, "Oma helpt.")
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], "child-lock-signal",
                             SignalSource.child, "", utcnow(), 0)
    db.session.commit()
    home = f"/h/{family.household.id}"
    return [f"{home}/child", f"{home}/log/child", f"{home}/calendar/child", f"{home}/child/worried",
            f"{home}/child/books/plan/1", f"{home}/child/signals/{signal.id}", f"{home}/child/road",
            f"{home}/child/houses", f"{home}/child/houses/worries"]


# --- handing the phone over ---------------------------------------------------------------------------------------

def test_before_the_child_view_the_grown_up_pages_are_open(client, family):
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"/h/{family.household.id}").status_code == 200
    assert client.get("/unlock").status_code == 302  # nothing to unlock


def test_no_visit_of_a_child_page_locks_the_phone_only_the_grown_ups_yes_does(app, client, family):
    urls = _child_urls(app, family)
    sign_in_as(client, family.users["household_member"])
    home = f"/h/{family.household.id}"
    for url in urls:
        visit = client.get(url)
        assert visit.status_code == 303, url
        assert visit.headers["Location"] == f"{home}/child/start?next={url}", url
        assert client.get(home).status_code == 200, f"{url} locked the phone"
    question = client.get(f"{home}/child/start?next={home}/child/books/plan/1").text
    assert "Are you giving the phone to Kim?" in question and "Yes, open the child view" in question
    assert 'name="csrf_token"' in question and 'method="post"' in question
    assert client.get(f"{home}/child/start").status_code == 200  # asking again does not lock either
    assert client.get(home).status_code == 200
    yes = client.post(f"{home}/child/start?next={home}/child/books/plan/1", data={})
    assert yes.status_code == 303 and yes.headers["Location"] == f"{home}/child/books/plan/1"
    assert client.get(home).status_code == 303


def _add_noor(family):
    from webapp.households.models import Child
    noor = Child(household_id=family.household.id, first_name="Noor")
    db.session.add(noor)
    db.session.commit()
    return noor


def test_with_two_children_the_grown_up_picks_whose_view_and_a_passkey_for_who_has_no_password(app, client, family):
    noor = _add_noor(family)
    parent = family.users["household_member"]
    parent.password_hash = None  # signs in with a passkey only
    db.session.commit()
    sign_in_as(client, parent)
    home = f"/h/{family.household.id}"
    page = client.get(f"{home}/child/start").text
    assert "Who are you giving the phone to?" in page
    assert "Open the view of Kim" in page and "Open the view of Noor" in page
    assert "To come back, Kring asks for your passkey." in page
    assert client.post(f"{home}/child/start", data={}).status_code == 200  # no child chosen: nothing locks
    assert client.get(home).status_code == 200
    chosen = client.post(f"{home}/child/start", data={"child_id": str(noor.id)})
    assert chosen.status_code == 303 and chosen.headers["Location"] == f"{home}/child"
    assert "Hello Noor!" in client.get(f"{home}/child").text


def test_a_child_locked_to_their_own_view_cannot_switch_to_a_siblings(app, client, family):
    noor = _add_noor(family)
    sign_in_as(client, family.users["household_member"])
    home = f"/h/{family.household.id}"
    client.post(f"{home}/child/start", data={"child_id": str(family.child.id)})
    assert "Hello Kim!" in client.get(f"{home}/child").text
    # Asking again while locked changes nothing: the hand-over is the grown-up's, before the lock.
    again = client.post(f"{home}/child/start", data={"child_id": str(noor.id)})
    assert again.status_code == 303
    page = client.get(f"{home}/child").text
    assert "Hello Kim!" in page and "Noor" not in page
    client.post(f"{home}/log/child", data={"client_id": "kim-message-1", "child_id": str(noor.id), "pictogram": "happy"})
    client.post(f"{home}/calendar/child", data={"preset": "outside"})
    from webapp.resilience_calendar.models import CalendarActivity
    from webapp.safety_log.models import LogEntry
    assert db.session.scalar(db.select(LogEntry.child_id)) == family.child.id
    assert db.session.scalar(db.select(CalendarActivity.child_id)) == family.child.id


def test_a_household_without_a_child_is_asked_to_add_one_first(app, client, family):
    from webapp.households.models import Child
    db.session.execute(db.delete(Child))
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    home = f"/h/{family.household.id}"
    page = client.get(f"{home}/child/start").text
    assert "No child is added yet" in page and f"{home}/children/new" in page
    client.post(f"{home}/child/start", data={})
    assert client.get(home).status_code == 200  # nothing locked


def test_someone_who_may_not_open_the_child_view_is_refused_and_nothing_locks(client, family):
    sign_in_as(client, family.users["network_member"])
    home = f"/h/{family.household.id}"
    assert client.get(f"{home}/child").status_code == 403
    assert client.get(f"{home}/child/start").status_code == 403
    assert client.post(f"{home}/child/start", data={}).status_code == 403
    assert client.get(home).status_code == 200


def test_the_yes_needs_the_forms_csrf_token(family):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        sign_in_as(client, family.users["household_member"])
        home = f"/h/{family.household.id}"
        assert client.post(f"{home}/child/start", data={}).status_code == 400
        assert client.get(home).status_code == 200


def test_every_child_view_route_is_declared_a_child_page(app):
    """One mark makes a page a child page (lock, no grown-up notices); every route of the child view has it."""
    child_routes = {rule.endpoint for rule in app.url_map.iter_rules()
                    if rule.rule.endswith("/child") or "/child/" in rule.rule}
    with app.test_request_context():
        marked = {endpoint for endpoint in app.view_functions if is_child_page(endpoint)}
    assert child_routes - {"child_lock.confirm"} == marked
    assert marked == {"households.child", "safety_log.child_message", "resilience_calendar.child_add",
                      "signals.child_worried", "signals.child_status", "words_pictures.child_book",
                      "trajectory.child_road", "three_houses.child_houses", "three_houses.child_house"}


# --- while locked ---------------------------------------------------------------------------------------------------

def test_after_the_child_view_a_grown_up_page_asks_for_the_password(locked, family):
    home = f"/h/{family.household.id}"
    for url in (home, f"{home}/log/", f"{home}/signals", "/settings", "/", f"{home}/books/plan", f"{home}/calendar/",
                f"{home}/export", "/settings/export"):
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
    urls = _child_urls(app, family)
    for url in urls + ["/sw.js", "/manifest.webmanifest", "/static/css/kring.css", "/plain-language/nl.json"]:
        assert locked.get(url).status_code == 200, url
    # The hand-over page, reached again with Back, goes on to the child view.
    assert locked.get(f"/h/{family.household.id}/child/start").headers["Location"] == f"/h/{family.household.id}/child"


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


def test_the_child_pages_of_another_household_are_locked_too(client, family):
    from webapp.households.services import add_member
    from webapp.households.models import Role
    add_member(db.session, family.other_household, family.users["household_member"], {Role.household_member})
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    give_phone_to_child(client, family.household.id)
    for url in (f"/h/{family.other_household.id}/child", f"/h/{family.other_household.id}/child/start"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["Location"].startswith("/unlock"), url


def test_allowed_lists_the_child_endpoints_for_the_locked_household_only(app, family):
    with app.test_request_context():
        assert allowed("households.child", {"household_id": 5}, {}, 5)
        assert not allowed("households.child", {"household_id": 6}, {}, 5)
        assert allowed("words_pictures.picture", {"household_id": 5}, {}, 5)
        assert not allowed("words_pictures.picture", {"household_id": 6}, {}, 5)
        assert not allowed("households.home", {"household_id": 5}, {}, 5)
        assert not allowed("words_pictures.edit_page", {"household_id": 5, "page_id": 1}, {}, 5)
        assert not allowed("words_pictures.preview", {"household_id": 5, "kind": "plan", "page_number": 1}, {}, 5)
        assert allowed("signals.undo", {"household_id": 5}, {"from": "child"}, 5)
        assert not allowed("signals.undo", {"household_id": 5}, {}, 5)
        assert allowed("static", {"filename": "css/kring.css"}, {}, 5) and allowed(None, None, {}, 5)
        assert allowed("auth.sign_out", {}, {}, 5) and not allowed("auth.settings", {}, {}, 5)


# --- opening the lock -----------------------------------------------------------------------------------------------

def test_the_wrong_password_is_refused_and_the_right_one_opens_the_lock(locked, family):
    home = f"/h/{family.household.id}"
    wrong = locked.post(f"/unlock?next={home}", data={"password": "not it"})
    assert wrong.status_code == 401 and "This password is not right." in wrong.text
    assert locked.get(home).status_code == 303
    right = locked.post(f"/unlock?next={home}", data={"password": PASSWORD})
    assert right.status_code == 302 and right.headers["Location"] == home
    assert locked.get_cookie(LOCK_COOKIE) is None
    assert locked.get(home).status_code == 200
    assert locked.get("/unlock?next=https://elsewhere.example/").headers["Location"] == "/"  # only within Kring


def test_a_passkey_opens_the_lock(locked, family, monkeypatch):
    from webapp.auth import passkeys
    home = f"/h/{family.household.id}"
    assert "data-passkey-button" not in locked.get(f"/unlock?next={home}").text  # Pat has no passkey yet
    from webapp.auth.models import Passkey
    db.session.add(Passkey(user=family.users["household_member"], credential_id=b"p" * 16, public_key=b"k",
                           name="phone"))
    db.session.commit()
    page = locked.get(f"/unlock?next={home}").text
    assert "data-passkey-button" in page and f'data-finish-url="/sign-in/passkey?next={home}"' in page
    monkeypatch.setattr(passkeys, "authenticate", lambda *args: family.users["household_member"])
    assert locked.post("/sign-in/passkey/options").status_code == 200  # open while locked
    answer = locked.post(f"/sign-in/passkey?next={home}", data="{}")
    assert answer.status_code == 200 and answer.json["redirect"] == home
    assert locked.get_cookie(LOCK_COOKIE) is None
    assert locked.get(home).status_code == 200


def test_signing_out_and_in_again_opens_the_lock(locked, family):
    home = f"/h/{family.household.id}"
    assert locked.post("/sign-out", data={}).status_code == 302
    response = locked.post("/sign-in", data={"login": "household-member", "password": PASSWORD})
    assert response.status_code == 302
    assert locked.get_cookie(LOCK_COOKIE) is None
    assert locked.get(home).status_code == 200


def test_a_lock_locks_only_the_person_who_handed_over_the_phone(locked, family):
    """Pat signs out; Gwen signs in on the same browser with her password: she proved who she is, the child did not."""
    home = f"/h/{family.household.id}"
    locked.post("/sign-out", data={})
    locked.post("/sign-in", data={"login": "safety-person", "password": PASSWORD})
    assert locked.get(home).status_code == 200
    # And a lock that names Pat never locks anyone else, however they came to be signed in.
    sign_in_as(locked, family.users["household_member"])
    give_phone_to_child(locked, family.household.id)
    sign_in_as(locked, family.users["safety_person"])
    assert locked.get_cookie(LOCK_COOKIE) is not None
    assert locked.get(home).status_code == 200
    sign_in_as(locked, family.users["household_member"])
    assert locked.get(home).status_code == 303


# --- the lock survives closing the browser --------------------------------------------------------------------------

def _signed_in_with_keep_me_signed_in(client) -> None:
    response = client.post("/sign-in", data={"login": "household-member", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302 and client.get_cookie(REMEMBER_COOKIE) is not None


def test_the_lock_survives_closing_the_browser_and_a_restart(client, family):
    home = f"/h/{family.household.id}"
    _signed_in_with_keep_me_signed_in(client)
    give_phone_to_child(client, family.household.id)

    # The browser closes (its session cookie is gone) and the server restarts (a new app, the same secret key).
    restarted = make_app()
    with restarted.app_context():
        phone = restarted.test_client()
        for name in (REMEMBER_COOKIE, LOCK_COOKIE):
            phone.set_cookie(name, client.get_cookie(name).value)
        assert phone.get_cookie(SESSION_COOKIE) is None
        for url in (home, f"{home}/export", f"{home}/log/", "/settings/export"):
            response = phone.get(url)
            assert response.status_code == 303 and response.headers["Location"] == f"/unlock?next={url}", url
        assert phone.get(f"{home}/child").status_code == 200  # the child's pages stay open
        assert phone.post(f"/unlock?next={home}/export", data={"password": PASSWORD}).status_code == 302
        download = phone.get(f"{home}/export")
        assert download.status_code == 200 and download.mimetype == "application/zip"
        assert phone.get(home).status_code == 200


def test_the_lock_cookie_lasts_as_long_as_keep_me_signed_in_and_scripts_cannot_read_it(client, family):
    sign_in_as(client, family.users["household_member"])
    client.get(f"/h/{family.household.id}/child")
    answer = client.post(f"/h/{family.household.id}/child/start", data={})
    [cookie] = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith(f"{LOCK_COOKIE}=")]
    days = client.application.config["REMEMBER_COOKIE_DURATION"].days
    assert f"Max-Age={days * 24 * 3600}" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie


def test_over_https_the_lock_cookie_is_secure_and_host_only(family):
    app = make_app(HTTPS=True, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-kring")
    with app.app_context():
        client = app.test_client()
        sign_in_as(client, family.users["household_member"])
        answer = client.post(f"https://localhost/h/{family.household.id}/child/start", data={})
        [cookie] = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("__Host-kring-child-lock=")]
        assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie


def test_a_lost_lock_cookie_comes_back_from_the_session_and_a_forged_one_is_ignored(locked, client, family):
    home = f"/h/{family.household.id}"
    locked.delete_cookie(LOCK_COOKIE)
    assert locked.get(home).status_code == 303
    value = locked.get_cookie(LOCK_COOKIE).value
    locked.delete_cookie(SESSION_COOKIE)
    sign_in_as(locked, family.users["household_member"])  # a new session, as the remember cookie makes one
    assert locked.get(home).status_code == 303
    # A lock cookie that Kring did not sign does nothing.
    locked.post(f"/unlock?next={home}", data={"password": PASSWORD})
    locked.set_cookie(LOCK_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert locked.get(home).status_code == 200


def test_a_phone_locked_before_the_lock_named_its_person_stays_locked(client, family):
    sign_in_as(client, family.users["household_member"])
    with client.session_transaction() as session:
        session["child_lock"] = family.household.id  # how a session held the lock before
    assert client.get(f"/h/{family.household.id}").status_code == 303
    assert client.get_cookie(LOCK_COOKIE) is not None  # and from now on it outlives the browser too


# --- a shared phone: refreshing never changes the lock --------------------------------------------------------------

def test_a_child_page_refreshing_itself_never_locks_the_phone_again(locked, app, family):
    """The child's status page polls; the mother unlocked in another tab to follow the signal. Her page keeps
    updating and the phone stays unlocked."""
    home = f"/h/{family.household.id}"
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], "shared-phone",
                             SignalSource.child, "", utcnow(), 0)
    db.session.commit()
    locked.post(f"/unlock?next={home}/signals/{signal.id}", data={"password": PASSWORD})
    for _ in range(3):
        child_refresh = locked.get(f"{home}/child/signals/{signal.id}?part=1", headers=REFRESH)
        assert child_refresh.status_code == 200 and "data-live" in child_refresh.text
        mother_refresh = locked.get(f"{home}/signals/{signal.id}?part=1", headers=REFRESH)
        assert mother_refresh.status_code == 200 and "data-live" in mother_refresh.text
    assert locked.get(home).status_code == 200


def test_a_grown_up_page_refreshing_itself_while_locked_is_told_why_in_json(locked, family):
    signal, _ = raise_signal(db.session, family.household, family.users["household_member"], "locked-refresh",
                             SignalSource.safe_object, "", utcnow(), 0)
    db.session.commit()
    refused = locked.get(f"/h/{family.household.id}/signals/{signal.id}?part=1", headers=REFRESH)
    assert refused.status_code == 403 and refused.get_json() == {"error": "child_lock", "unlock": "/unlock"}


# --- the child never sees the grown-ups' notices ----------------------------------------------------------------------

def _household_opened_before(client, family) -> None:
    """The grown-up had the household's home open before handing the phone over (the menu remembers it)."""
    with client.session_transaction() as session:
        session["household_id"] = family.household.id


def test_no_child_page_shows_an_open_signal_and_every_grown_up_page_does(locked, app, family):
    urls = _child_urls(app, family)  # raises an open signal
    home = f"/h/{family.household.id}"
    _household_opened_before(locked, family)
    for url in urls:
        page = locked.get(url).text
        assert "Open signal:" not in page and "See who is on it" not in page, url
        assert "child-view" in page.split("<body", 1)[1].split(">", 1)[0], url
    sent = locked.post(f"{home}/log/child", data={"client_id": "c-1", "pictogram": "happy"})
    added = locked.post(f"{home}/calendar/child", data={"preset": "outside"})
    for answer in (sent, added):
        assert answer.status_code == 200 and "Open signal:" not in answer.text
    # Whoever taps their way out while the phone is locked meets the unlock page: nothing for grown-ups there either.
    assert "Open signal:" not in locked.get(f"/unlock?next={home}").text
    assert "Open signal:" not in locked.get(f"{home}/child/signals/999999").text  # not found, still the child's
    locked.post(f"/unlock?next={home}", data={"password": PASSWORD})
    assert "Open signal:" in locked.get(home).text
    assert "Open signal:" in locked.get(f"{home}/books/plan/preview/1").text  # the grown-ups' preview of the book


def test_no_child_page_shows_that_the_household_is_closing(locked, app, family):
    from datetime import timedelta
    family.household.erase_at = utcnow() + timedelta(days=14)
    db.session.commit()
    _household_opened_before(locked, family)
    for url in (f"/h/{family.household.id}/child", f"/unlock?next=/h/{family.household.id}"):
        assert "will be erased" not in locked.get(url).text, url
