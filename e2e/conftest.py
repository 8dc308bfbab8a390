"""Browser tests: the real app (CSRF on, real security headers) on a live threaded Werkzeug server in this process, driven by
Debian's Chromium through Playwright's sync API, at phone size and in Dutch.

Quick exit points at a second tiny local server, so leaving Kring never leaves this machine.
"""
import hashlib
import itertools
import logging
import os
import re
import threading
import time
import weakref
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from werkzeug.serving import make_server

# _schema is a session fixture: importing it here lets the live server build the schema the way the
# unit tests do (through the real migrations).
from tests.conftest import PASSWORD, _empty_tables, _schema, database_url, make_user  # noqa: F401
from webapp import create_app
from webapp.extensions import db
from webapp.households.models import Household, Role
from webapp.households.services import add_member, create_household
from webapp.invitations.services import create_invitation

# Debian's Chromium, through a script that merges the --disable-features lists it is given (Chromium obeys only the
# last one). The omnibox's pop-up is a web page of its own in this Chromium, and a headless window preloads two of
# them: a renderer process and two pages per browser context, never shown. Switched off, the browser tests take about
# a quarter less processor time. Every browser the tests start is launched with these.
CHROMIUM = {"executable_path": str(Path(__file__).with_name("chromium.sh")), "headless": True,
            "args": ["--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup"]}
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "nl-NL", "is_mobile": True, "has_touch": True}
NEUTRAL_TITLE = "Weather"
# Contexts made with JavaScript off: axe (which needs timers) cannot run inside their pages.
_SCRIPTLESS: "weakref.WeakSet[BrowserContext]" = weakref.WeakSet()


# --- servers -------------------------------------------------------------------------------------

class _NeutralPage(BaseHTTPRequestHandler):
    """What quick exit leads to: a plain page that says nothing about Kring."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = (b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title></head>'
                b"<body><main><h1>Weather</h1><p>Sunny, 21 degrees.</p></main></body></html>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="neutral-page")
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()
    server.server_close()


@dataclass
class LiveServer:
    app: object
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_on(self, host: str) -> str:
        return f"http://{host}:{self.port}"

    def t(self, text: str, **variables) -> str:
        """`text` as the app shows it in Dutch: the Dutch translation once there is one, else the English.

        Lets tests match visible text without knowing whether the translation is finished yet.
        """
        with self.app.test_request_context(), force_locale("nl"):
            return gettext(text, **variables)


@pytest.fixture(scope="session")
def live_server(_schema, neutral_url):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "QUICK_EXIT_URL": neutral_url,
        # Devices may subscribe at the tests' local push service (tests.peers), on http://127.0.0.1.
        "PUSH_ALLOW_HTTP_LOOPBACK": True,
        "LIVE_REFRESH_SECONDS": 1,  # a signal's page asks for news every second, so tests wait less for it
    })
    _empty_tables(app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury failures
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="kring-live-server")
    thread.start()
    yield LiveServer(app, server.server_port)
    server.shutdown()


# --- browser -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(**CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server):
    """Make a fresh phone-sized Dutch browser context (a second person, or no JavaScript); closed after the test."""
    made: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(10_000)
        if options.get("java_script_enabled") is False:
            _SCRIPTLESS.add(context)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


# --- checks --------------------------------------------------------------------------------------

def menu_link(page: Page, selector: str):
    """A link of the main menu, opening "More" first when the link is under it (a person's four daily pages are in
    the row; the rest under "More")."""
    link = page.locator(f"nav.mainnav {selector}")
    if link.count() and not link.first.is_visible():
        page.locator("nav.mainnav summary").click()
    return link


# What axe found nothing on in this test process: the page's markup (but for its CSRF tokens, which change on every
# request) at its viewport size. axe reads only the markup, the style sheets and the size, so the same page shown
# again (the sign-in page in every test) need not be checked again; it takes about half a second each time.
_AXE_CLEAN: set[str] = set()
_CSRF_TOKENS = re.compile(r'"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}"')  # signed, so different on every request


# axe-core as axe-playwright-python ships it, run here so that only the violations come back: the whole result (every
# rule that passed or did not apply) is about 50 KB to carry from the page for each check. Put into a page once.
_AXE_RUN = """() => window.axe ? axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations) : null"""


def check_axe(page: Page, lang: str | None = "nl") -> None:
    """The page is in `lang` and axe finds no accessibility violations on it."""
    page.wait_for_load_state("load")  # all of the page, not just what had arrived when the URL changed
    if lang is not None:
        assert page.locator("html").get_attribute("lang") == lang, f"{page.url} is not in {lang!r}"
    if page.context in _SCRIPTLESS:
        _check_axe_on_copy(page)
        return
    markup = _CSRF_TOKENS.sub('""', page.content())
    seen = hashlib.sha256(f"{page.viewport_size} {markup}".encode()).hexdigest()
    if seen in _AXE_CLEAN:
        return
    violations = page.evaluate(_AXE_RUN)
    if violations is None:  # not in this page yet
        page.evaluate(AXE_SCRIPT)
        violations = page.evaluate(_AXE_RUN)
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"][:5]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {(node.get('failureSummary') or '').replace(chr(10), ' ')}")
        pytest.fail("\n".join(lines), pytrace=False)
    _AXE_CLEAN.add(seen)


def _check_axe_on_copy(page: Page) -> None:
    """Run axe on a page seen without JavaScript: the same HTML and CSS, loaded in a page where scripts
    are blocked but axe itself can run."""
    html, url = page.content(), page.url
    context = page.context.browser.new_context(**PHONE, service_workers="block")
    try:
        copy = context.new_page()

        def serve(route):
            if route.request.url == url and route.request.resource_type == "document":
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif route.request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        copy.route("**/*", serve)
        copy.goto(url)
        check_axe(copy, lang=copy.locator("html").get_attribute("lang"))
    finally:
        context.close()


def screenshot(page: Page, name: str) -> None:
    """A full-page picture of what the test sees, as `name` in the folder KRING_SCREENSHOTS names; nothing without it
    (a picture costs processor time, and a run should not leave files behind)."""
    folder = os.environ.get("KRING_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


# Installing the service worker fetches the app shell (a dozen files) from the live server; on a loaded machine, with
# a browser that has just started (its font cache being built on a fresh machine), that took longer than the ten
# seconds of the default timeout once.
SERVICE_WORKER_TIMEOUT = 30_000


def wait_for_service_worker(page: Page) -> None:
    """Until Kring's service worker controls the page. If it does not, say where its installation stands."""
    try:
        page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=SERVICE_WORKER_TIMEOUT)
    except PlaywrightTimeoutError:
        state = page.evaluate("""navigator.serviceWorker.getRegistration().then((r) => r ? JSON.stringify({
            installing: r.installing && r.installing.state, waiting: r.waiting && r.waiting.state,
            active: r.active && r.active.state}) : 'no registration')""")
        pytest.fail(f"no service worker controls {page.url} after {SERVICE_WORKER_TIMEOUT / 1000:.0f} s: {state}")


def wait_for_promise(page: Page, predicate: str, timeout: float = 10_000) -> None:
    """Until the page's async `predicate` resolves to something truthy. Playwright's wait_for_function does not await
    a promise: an async predicate passes at once, whatever it would resolve to."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            pytest.fail(f"still not true after {timeout / 1000:.0f} s: {predicate}")
        page.wait_for_timeout(200)


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person does; ends on the page Kring sends them to."""
    page.goto(f"{base_url}/sign-in")
    check_axe(page)
    page.fill("#login", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/sign-in" not in page.url, f"sign-in failed for {username}"


# --- data ----------------------------------------------------------------------------------------

@dataclass
class Person:
    id: int
    name: str
    username: str | None


@dataclass
class FamilyHousehold:
    id: int
    name: str
    people: dict[str, Person] = field(default_factory=dict)


class Factory:
    """Makes people, households and invitations straight in the database, through the app's services."""

    _numbers = itertools.count(1)

    def __init__(self, app):
        self.app = app

    def username(self, stem: str) -> str:
        return f"{stem}{next(self._numbers)}"

    def household(self, name: str = "Familie Jansen", creator: str = "Petra Jansen",
                  role: Role = Role.household_member) -> FamilyHousehold:
        with self.app.app_context():
            username = self.username(creator.split()[0].lower())
            user = make_user(creator, username, locale="nl")
            household = create_household(db.session, name, user, {role})
            db.session.commit()
            result = FamilyHousehold(household.id, household.name, {"creator": Person(user.id, creator, username)})
            db.session.remove()
        return result

    def demo(self) -> FamilyHousehold:
        """The run command's demo household "Familie Demo"; its creator is the `ouder` account."""
        from webapp.auth.models import User
        from webapp.demo import HOUSEHOLD_NAME, seed
        with self.app.app_context():
            seed(db.session)
            db.session.commit()
            household = db.session.scalar(db.select(Household).filter_by(name=HOUSEHOLD_NAME))
            ouder = db.session.scalar(db.select(User).filter_by(username="ouder"))
            result = FamilyHousehold(household.id, household.name,
                                     {"creator": Person(ouder.id, ouder.display_name, "ouder")})
            db.session.remove()
        return result

    def member(self, household: FamilyHousehold, key: str, name: str, roles: set[Role]) -> Person:
        with self.app.app_context():
            username = self.username(name.split()[0].lower())
            user = make_user(name, username, locale="nl")
            add_member(db.session, db.session.get(Household, household.id), user, roles)
            db.session.commit()
            person = household.people[key] = Person(user.id, name, username)
            db.session.remove()
        return person

    def invitation(self, household: FamilyHousehold, invitee: str, role: Role = Role.network_member) -> str:
        """A fresh invitation link's token, made by the household's creator."""
        from webapp.auth.models import User
        with self.app.app_context():
            new = create_invitation(db.session, db.session.get(Household, household.id),
                                    db.session.get(User, household.people["creator"].id), invitee, role, 7)
            db.session.commit()
            token = new.token
            db.session.remove()
        return token


@pytest.fixture
def factory(live_server) -> Factory:
    _empty_tables(live_server.app)
    return Factory(live_server.app)
