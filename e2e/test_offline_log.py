"""Writing in the safety log without a connection: the entry is kept on the phone, the page says how many
are waiting, and each is saved exactly once when the connection returns.

Background Sync may not fire in headless Chromium, so these tests rely on the page's own sending (on
page load and on the `online` event); the service worker's `sync` handler uses the same outbox code.
"""
import io
import re
import threading

import pytest
from flask import request, request_finished, request_started
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from e2e.conftest import check_axe, sign_in, wait_for_promise, wait_for_service_worker
from webapp.extensions import db
from webapp.households.models import Role
from webapp.safety_log.models import LogEntry

pytestmark = pytest.mark.e2e

SAVED_OFFLINE = "No connection: saved on this phone. Kring sends it as soon as there is a connection."


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _waiting(live_server, n: int) -> str:
    if n == 1:
        return live_server.t("1 entry is waiting to be sent.")
    return live_server.t("%(num)s entries are waiting to be sent.", num=str(n))


def _entries(live_server, household_id: int) -> list[LogEntry]:
    with live_server.app.app_context():
        entries = db.session.scalars(select(LogEntry).where(LogEntry.household_id == household_id)
                                     .order_by(LogEntry.id)).all()
        result = [(e.what_happened, e.client_id, len(e.attachments)) for e in entries]
        db.session.remove()
    return result


def _open_composer(live_server, page: Page, household_id: int) -> None:
    page.goto(f"{live_server.url}/h/{household_id}/log/new")
    expect(page.locator("h1")).to_have_text(live_server.t("Write in the safety log"))
    # The service worker (with the offline page) and the outbox script are on the phone.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => !!self.kringOutbox")


def _write(live_server, page: Page, text: str, kind: str | None = "Went well") -> None:
    if kind:
        page.locator("label.kind__label", has_text=live_server.t(kind)).click()
    page.fill("#what_happened", text)
    page.locator("form[data-log-form] button[type=submit]").click()


def test_entries_written_offline_are_kept_on_the_phone_and_sent_once_when_back_online(live_server, factory, page):
    family = factory.household("Familie de Vries", "Anja de Vries")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    check_axe(page)
    status = page.locator("[data-outbox]")
    expect(status).to_be_hidden()

    page.context.set_offline(True)
    _write(live_server, page, "Opa haalde Sam op van school, alles rustig.")
    expect(status).to_have_text(f"{live_server.t(SAVED_OFFLINE)} {_waiting(live_server, 1)}")
    expect(page.locator("#what_happened")).to_have_value("")  # ready for the next entry

    page.set_input_files("#photos", files=[{"name": "briefje.png", "mimeType": "image/png", "buffer": _png()}])
    _write(live_server, page, "Buurvrouw Ans belde om acht uur, Sam sliep al.", kind="Calm moment")
    expect(status).to_contain_text(live_server.t(SAVED_OFFLINE))
    expect(status).to_contain_text(_waiting(live_server, 2))
    check_axe(page)
    client_ids = page.evaluate("kringOutbox.all().then((all) => all.map((e) => e.client_id))")
    assert len(set(client_ids)) == 2, "each entry needs its own client id"
    assert _entries(live_server, family.id) == []

    # Still offline, a reload shows the composer again (the copy the service worker kept), with the count.
    page.reload()
    expect(page.locator("h1")).to_have_text(live_server.t("Write in the safety log"))
    expect(status).to_have_text(_waiting(live_server, 2))
    check_axe(page)

    # The connection returns: the page sends what is waiting.
    page.context.set_offline(False)
    expect(status).to_be_hidden()

    page.goto(f"{live_server.url}/h/{family.id}/log/")
    expect(page.locator("[data-outbox]")).to_be_hidden()
    for text in ("Opa haalde Sam op van school, alles rustig.", "Buurvrouw Ans belde om acht uur, Sam sliep al."):
        expect(page.locator(".entry__text", has_text=text)).to_have_count(1)
    expect(page.locator(".entry", has_text="Buurvrouw Ans").locator("img")).to_have_count(1)
    check_axe(page)

    saved = _entries(live_server, family.id)
    assert sorted((text, photos) for text, _, photos in saved) == [
        ("Buurvrouw Ans belde om acht uur, Sam sliep al.", 1),
        ("Opa haalde Sam op van school, alles rustig.", 0),
    ]
    assert sorted(client_id for _, client_id, _ in saved) == sorted(client_ids)
    assert page.evaluate("kringOutbox.all().then((all) => all.length)") == 0


def test_an_entry_whose_answer_was_lost_is_sent_again_and_saved_once(live_server, factory, new_context):
    # Without the service worker, so that the test sees (and can cut) the page's own requests.
    page = new_context(service_workers="block").new_page()
    family = factory.household("Familie Bakker", "Kees Bakker")
    sign_in(page, live_server.url, family.people["creator"].username)
    page.goto(f"{live_server.url}/h/{family.id}/log/new")
    page.wait_for_function("() => !!self.kringOutbox")
    status = page.locator("[data-outbox]")

    page.context.set_offline(True)
    _write(live_server, page, "Sam at zijn bord leeg en lachte.")
    expect(status).to_contain_text(_waiting(live_server, 1))

    # The server saves the entry, but its answer never reaches the phone.
    posts = []

    def lose_the_answer(route):
        posts.append(route.request.post_data_buffer)
        route.fetch()
        route.abort("connectionreset")

    page.route("**/log/new", lambda route: lose_the_answer(route) if route.request.method == "POST" else route.fallback())
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)
    assert len(posts) == 1
    expect(status).to_contain_text(_waiting(live_server, 1))  # not known to be saved: still waiting
    assert len(_entries(live_server, family.id)) == 1

    # The next page load sends it again; the server knows the client id and saves nothing new.
    page.unroute("**/log/new")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/log/new")) as resend:
        page.reload()
    assert resend.value.status == 200  # "saved before": not 201
    expect(status).to_be_hidden()
    check_axe(page)

    saved = _entries(live_server, family.id)
    assert [text for text, _, _ in saved] == ["Sam at zijn bord leeg en lachte."]
    page.goto(f"{live_server.url}/h/{family.id}/log/")
    expect(page.locator(".entry__text", has_text="Sam at zijn bord leeg")).to_have_count(1)


def test_a_form_sent_on_a_failing_connection_is_kept_by_the_service_worker(live_server, factory, page):
    # The phone believes it is online (so the form posts normally), but the request never arrives.
    family = factory.household("Familie Smit", "Mila Smit")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    wait_for_service_worker(page)

    page.context.route(re.compile(r".*/log/new$"),
                       lambda route: route.abort("internetdisconnected") if route.request.method == "POST" else route.fallback())
    _write(live_server, page, "Mama bleef rustig toen Sam boos werd.")
    page.wait_for_url(re.compile(r"/log/new$"))
    expect(page.locator("[data-outbox]")).to_contain_text(_waiting(live_server, 1))
    check_axe(page)
    assert _entries(live_server, family.id) == []

    # With a working connection, the next page sends it and the timeline shows it.
    page.context.unroute(re.compile(r".*/log/new$"))
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/log/new")) as sent:
        page.goto(f"{live_server.url}/h/{family.id}/log/")
    assert sent.value.status == 201
    # The timeline reloads itself once the entry has arrived, so it shows without the person reloading.
    expect(page.locator(".entry__text", has_text="Mama bleef rustig")).to_have_count(1)
    page.wait_for_load_state()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    check_axe(page)
    assert [text for text, _, _ in _entries(live_server, family.id)] == ["Mama bleef rustig toen Sam boos werd."]


def test_an_entry_the_server_refuses_comes_back_in_the_form_with_the_reason(live_server, factory, page):
    family = factory.household("Familie Visser", "Noor Visser")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    status = page.locator("[data-outbox]")
    # Counted where they arrive: the page or its service worker (background sync) may be the one that sends.
    posts = []

    def arrived(sender, **extra) -> None:
        if request.method == "POST" and request.path.endswith("/log/new"):
            posts.append(request.path)
    request_started.connect(arrived, live_server.app)

    page.context.set_offline(True)
    _write(live_server, page, "Sam was verdrietig na het bellen.", kind=None)  # no kind chosen
    expect(status).to_contain_text(_waiting(live_server, 1))

    # Sent when the connection returns and refused: at once back in the form with the server's reason, no longer
    # counted as waiting, and not sent again.
    page.context.set_offline(False)
    expect(status).to_have_text(live_server.t("Choose what kind of moment it was."))
    expect(page.locator("#what_happened")).to_have_value("Sam was verdrietig na het bellen.")
    check_axe(page)
    assert _entries(live_server, family.id) == []

    # So it is after a reload too: the outbox keeps it until it is saved.
    page.reload()
    expect(page.locator("#what_happened")).to_have_value("Sam was verdrietig na het bellen.")
    expect(status).to_have_text(live_server.t("Choose what kind of moment it was."))
    request_started.disconnect(arrived, live_server.app)
    assert len(posts) == 1

    page.locator("label.kind__label", has_text=live_server.t("How the child is doing")).click()
    with page.expect_navigation():
        page.locator("form[data-log-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/log/$"))
    expect(page.locator(".entry__text", has_text="Sam was verdrietig")).to_have_count(1)
    assert page.evaluate("kringOutbox.all().then((all) => all.length)") == 0
    assert [text for text, _, _ in _entries(live_server, family.id)] == ["Sam was verdrietig na het bellen."]


def test_a_refused_entry_waits_while_the_next_is_being_written_and_then_comes_back(live_server, factory, page):
    family = factory.household("Familie Visser", "Noor Visser")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    status = page.locator("[data-outbox]")
    page.context.set_offline(True)
    _write(live_server, page, "Sam was verdrietig na het bellen.", kind=None)  # no kind chosen
    expect(status).to_contain_text(_waiting(live_server, 1))
    page.fill("#what_happened", "Oma kwam langs.")  # the next one, being written

    # Refused when the connection returns: what is being typed stays; the page says the other comes back.
    page.context.set_offline(False)
    expect(status).to_have_text(live_server.t(
        "An entry written without a connection was not saved. When this form is empty, it comes back here with the "
        "reason."))
    expect(page.locator("#what_happened")).to_have_value("Oma kwam langs.")
    check_axe(page)

    page.locator("label.kind__label", has_text=live_server.t("Went well")).click()
    with page.expect_navigation():
        page.locator("form[data-log-form] button[type=submit]").click()
    _open_composer(live_server, page, family.id)
    expect(page.locator("#what_happened")).to_have_value("Sam was verdrietig na het bellen.")
    expect(status).to_have_text(live_server.t("Choose what kind of moment it was."))
    assert [text for text, _, _ in _entries(live_server, family.id)] == ["Oma kwam langs."]


# --- after a reload without a connection: the page the service worker kept for this person -------------------------

PAGES = "kring-pages-v1"


def _kept(page: Page, path: str) -> None:
    """Wait until the service worker keeps `path` for writing offline."""
    wait_for_service_worker(page)
    wait_for_promise(page, f"async () => !!(await (await caches.open('{PAGES}')).match('{path}'))")


def test_the_composer_opens_after_an_offline_reload_and_each_entry_is_saved_once(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    path = f"/h/{family.id}/log/new"
    _kept(page, path)
    kept_client_id = page.input_value("input[name=client_id]")

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text(live_server.t("Write in the safety log"))
    expect(page.locator("html")).to_have_attribute("data-offline-copy", "")
    page.wait_for_function("() => !!self.kringOutbox")
    expect(page.locator("[data-offline-note]")).to_be_visible()
    expect(page.locator("[data-offline-note]")).to_contain_text(live_server.t(
        "No connection right now. You can still write: Kring keeps it on this phone and sends it as soon as there is "
        "a connection."))
    check_axe(page)
    first_id = page.input_value("input[name=client_id]")
    assert first_id != kept_client_id  # else the server would take it for an entry it may have already
    written_at = page.input_value("#occurred_at")
    # The time the composer opened, in the phone's own zone: now, or the minute before if one turned since.
    assert written_at in page.evaluate("""[0, 1].map((back) => { const d = new Date();
        d.setMinutes(d.getMinutes() - d.getTimezoneOffset() - back); return d.toISOString().slice(0, 16); })""")

    status = page.locator("[data-outbox]")
    _write(live_server, page, "Oma bracht Noor naar bed, alles rustig.")
    expect(status).to_have_text(f"{live_server.t(SAVED_OFFLINE)} {_waiting(live_server, 1)}")
    _write(live_server, page, "Petra bleef kalm bij het avondeten.", kind="Calm moment")
    expect(status).to_contain_text(_waiting(live_server, 2))
    check_axe(page)
    client_ids = page.evaluate("kringOutbox.all().then((all) => all.map((e) => e.client_id))")
    assert len(set(client_ids)) == 2 and first_id in client_ids
    assert _entries(live_server, family.id) == []

    page.context.set_offline(False)
    expect(status).to_be_hidden()
    expect(page.locator("[data-offline-note]")).to_be_hidden()
    saved = _entries(live_server, family.id)
    assert sorted(text for text, _, _ in saved) == ["Oma bracht Noor naar bed, alles rustig.",
                                                   "Petra bleef kalm bij het avondeten."]
    assert sorted(client_id for _, client_id, _ in saved) == sorted(client_ids)

    page.goto(f"{live_server.url}/h/{family.id}/log/")
    for text in ("Oma bracht Noor naar bed", "Petra bleef kalm bij het avondeten."):
        expect(page.locator(".entry__text", has_text=text)).to_have_count(1)
    assert len(_entries(live_server, family.id)) == 2  # the timeline's own sending sent nothing again
    assert page.evaluate("kringOutbox.all().then((all) => all.length)") == 0


def test_an_entry_kept_with_a_stale_token_is_sent_with_a_fresh_one(live_server, factory, page):
    family = factory.household("Familie Smit", "Ans Smit")
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    status = page.locator("[data-outbox]")

    # The browser forgets its session (closed, restarted); "keep me signed in" brings the person back with a new
    # session, in which the token on this page is no longer valid.
    assert {c["name"] for c in page.context.cookies()} >= {"kring", "remember_token"}
    page.context.clear_cookies(name="kring")
    page.context.set_offline(True)
    _write(live_server, page, "Ans belde oma toen ze boos werd.")
    expect(status).to_contain_text(_waiting(live_server, 1))

    page.context.set_offline(False)  # sent with the stale token, refused, sent again with a fresh one
    expect(status).to_be_hidden()
    assert [text for text, _, _ in _entries(live_server, family.id)] == ["Ans belde oma toen ze boos werd."]


def test_the_childs_message_opens_after_an_offline_reload_and_no_grown_up_page_does(live_server, factory, page):
    from e2e.test_child_message import add_child, give_phone_to_child

    family = factory.household("Familie Jansen", "Petra Jansen")
    child_id = add_child(live_server, family, "Noor Jansen")
    parent = family.people["creator"]
    sign_in(page, live_server.url, parent.username)
    _open_composer(live_server, page, family.id)
    _kept(page, f"/h/{family.id}/log/new")  # the grown-up's page is on the phone too

    give_phone_to_child(page, live_server, family.id)
    child_path = f"/h/{family.id}/log/child"
    page.goto(f"{live_server.url}{child_path}")
    expect(page.locator("h1")).to_have_text(live_server.t("Tell us something"))
    _kept(page, child_path)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text(live_server.t("Tell us something"))
    expect(page.locator("html")).to_have_attribute("data-offline-copy", "")
    expect(page.locator("[data-offline-note]")).to_be_visible()
    check_axe(page)
    page.locator(".pictogram__label", has_text=live_server.t("Happy")).click()
    page.fill("#words", "ik heb met opa gespeeld")
    page.locator("main form button[type=submit]").click()
    status = page.locator("[data-outbox]")
    expect(status).to_contain_text(live_server.t(
        "Saved on this phone! It goes to the grown-ups as soon as there is internet."))
    expect(page.locator("#words")).to_have_value("")
    check_axe(page)

    # The child lock holds offline: the grown-up's kept composer does not open while the phone is handed over.
    page.goto(f"{live_server.url}/h/{family.id}/log/new")
    expect(page.locator("h1")).to_have_text(live_server.t("No connection"))
    expect(page.locator("form[data-log-form]")).to_have_count(0)
    page.goto(f"{live_server.url}{child_path}")
    expect(page.locator("h1")).to_have_text(live_server.t("Tell us something"))
    assert _entries(live_server, family.id) == []
    # Before the connection returns, the page has counted what waits (its status is hidden until then too).
    expect(status).to_have_text(live_server.t("1 message is waiting to be sent."))

    page.context.set_offline(False)
    expect(status).to_be_hidden()
    with live_server.app.app_context():
        [entry] = db.session.scalars(select(LogEntry).where(LogEntry.household_id == family.id)).all()
        # The child has no account: the message names the child, the grown-up whose phone it was wrote it down.
        assert (entry.child_id, entry.author_id, entry.recorded_by_id, entry.pictogram, entry.what_happened) == (
            child_id, parent.id, parent.id, "happy", "ik heb met opa gespeeld")
        db.session.remove()


def test_a_kept_composer_is_never_opened_for_someone_else_on_the_same_phone(live_server, factory, page):
    family = factory.household("Familie Jansen", "Petra Jansen")
    opa = factory.member(family, "opa", "Opa Henk", {Role.network_member})
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    path = f"/h/{family.id}/log/new"
    _kept(page, path)
    assert page.input_value("input[name=author_check]") == str(family.people["creator"].id)

    # Petra signs out: what was kept for her goes with her.
    with page.expect_navigation():
        page.get_by_role("button", name=live_server.t("Sign out")).click()
    assert page.evaluate(f"caches.open('{PAGES}').then((c) => c.keys()).then((k) => k.length)") == 0

    # Opa signs in on the same phone and is offline: only his own page opens, never hers.
    sign_in(page, live_server.url, opa.username)
    _kept(page, path)  # his home asks for his own composer to be kept
    page.context.set_offline(True)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("data-offline-copy", "")
    assert page.input_value("input[name=author_check]") == str(opa.id)


def test_a_page_asked_for_before_signing_out_is_not_kept_after_someone_else_signs_in(live_server, factory, page):
    """The service worker may still be waiting for a page it asked for in Petra's name when she signs out and Opa
    signs in. That late answer, from her session, must not touch what is kept for Opa."""
    family = factory.household("Familie Jansen", "Petra Jansen")
    opa = factory.member(family, "opa", "Opa Henk", {Role.network_member})
    sign_in(page, live_server.url, family.people["creator"].username)
    _open_composer(live_server, page, family.id)
    wait_for_service_worker(page)

    # The worker asks for the child's page in her name (to keep it); the server sends her to "hand the phone over"
    # and holds that answer, made while she was signed in, until Opa's own composer is kept.
    held, release, answered = threading.Event(), threading.Event(), threading.Event()

    def hold(sender, response, **extra) -> None:
        if request.endpoint == "child_lock.confirm" and not held.is_set():
            held.set()
            release.wait(30)
            answered.set()

    request_finished.connect(hold, live_server.app)
    try:
        page.evaluate(f"navigator.serviceWorker.controller.postMessage({{ keep: '/h/{family.id}/log/child' }})")
        assert held.wait(10)
        with page.expect_navigation():
            page.get_by_role("button", name=live_server.t("Sign out")).click()
        sign_in(page, live_server.url, opa.username)
        path = f"/h/{family.id}/log/new"
        _kept(page, path)
    finally:
        release.set()
        request_finished.disconnect(hold, live_server.app)
    assert answered.wait(10)
    page.wait_for_timeout(1500)  # a late answer is taken in within milliseconds of arriving

    page.context.set_offline(True)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("html")).to_have_attribute("data-offline-copy", "")
    assert page.input_value("input[name=author_check]") == str(opa.id)
