"""Load test: a baseline of 4 members, then 200 signed-in members, against the run command's real server.

Makes a throwaway instance folder (SQLite), migrates it with the real migrations and seeds households of 4
members with a sign-in each (household member, safety person, network member, chair) and a child, with log
entries, this week's resilience calendar and a danger statement with its scale, through the app's own services.
Then starts `python -m webapp.serve` exactly as `make run` does (gunicorn with its web processes and the worker;
HOST=127.0.0.1, a free PORT, KRING_INSTANCE set, and KRING_RATELIMIT=0 so that 200 sign-ins from one address are
not refused). It waits until the worker has finished starting and lets every web process answer each page a few
times (unmeasured: the baseline is a warm server's), and in one run measures twice:

1. baseline: the 4 members of one household use Kring (--baseline-seconds, default 20);
2. loaded: --members members (default 200, in households of 4) use it at once (--seconds, default 40).

Members sign in with the real form (CSRF token and all; four at a time, as each is an Argon2 check) and then,
with 1-3 s of think time: open the household home, read the timeline (sometimes the next page too), write a
safety-log entry with the composer, open the calendar week, score the household's safety scale. Every request
has a connection of its own, as a reverse proxy such as nginx opens by default (--keep-alive: phones talking
straight to the server). The members are threads of this script speaking HTTP through http.client, which costs
it well under a millisecond of processor time a request: this script shares the machine's cores with the server.

Prints for each phase the page p50/p95, requests per second, errors (any answer outside 2xx/3xx, a redirect to
the sign-in page or an exception) and how many CPU cores the server's processes kept busy; then the lines
`baseline_p50_ms: N`, `loaded_p95_ms: N`, `errors: N` (in the loaded phase) and last `ratio: X` =
loaded_p95_ms / baseline_p50_ms (target: at most 10, with 0 errors). The server is stopped and the folder
removed at the end, also on Ctrl+C.
"""
import argparse
import contextlib
import gzip
import html
import http.client
import io
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import time as clock, timedelta
from pathlib import Path
from urllib.parse import urlencode

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "kring-load-wachtwoord"
STATIC = "/static/css/kring.css"  # answers as soon as the server is up
# (username suffix, first name, roles) of the four members with a sign-in, per household.
MEMBERS = [
    ("ouder", "Sanne", ("household_member",)),
    ("veilig", "Ria", ("safety_person",)),
    ("netwerk", "Kees", ("network_member",)),
    ("voorzitter", "Fatima", ("chair", "network_member")),
]
ADULT_KINDS = ["went_well", "nearly_wrong", "went_wrong", "calm_moment", "child_wellbeing"]
HAPPENED = [
    "Na school samen boodschappen gedaan, het kind hielp met de lijst.",
    "Bij het avondeten werden de stemmen harder toen het over gisteren ging.",
    "Rustig voorgelezen voor het slapen, ze viel snel in slaap.",
    "Het ophalen bij de andere ouder ging zonder ruzie.",
    "De knuffel stond op de vensterbank toen ik langskwam.",
    "Samen naar het park gefietst en een uur buiten gespeeld.",
]
DONE = [
    "Ik heb even pauze genomen in de keuken en ben daarna rustig teruggegaan.",
    "De buurman is gebeld en kwam binnen tien minuten.",
    "We hebben de afspraak uit het plan gevolgd.",
    "",
]
# What a member does after each pause, with its weight.
ACTIONS = {"home": 25, "timeline": 30, "write": 15, "calendar": 20, "score": 10}
SEEN = ["Geen harde stemmen gehoord deze week.", "Sanne ging naar de keuken toen het te veel werd.",
        "Het ophalen ging rustig, iedereen was op tijd."]
SECOND_PAGE = 0.3  # how often a timeline reader goes on to the previous week


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40, help="measured time with all members (default 40)")
    parser.add_argument("--baseline-seconds", type=float, default=20,
                        help="measured time with the 4 members of one household first (default 20)")
    parser.add_argument("--members", type=int, default=200,
                        help="signed-in members in the loaded phase, in households of 4 (default 200)")
    parser.add_argument("--entries", type=int, default=25,
                        help="log entries seeded per household over 30 days (default 25: the timeline has earlier weeks)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="think time between actions in seconds (default 1 3)")
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client keeps its connection open between requests, as a browser talking "
                             "straight to the server does (default: one connection per request, as nginx in "
                             "front of it does by default)")
    parser.add_argument("--sign-in-concurrency", type=int, default=4,
                        help="members signing in at the same moment before the measured time (default 4: each "
                             "sign-in is an Argon2 check of a few hundred milliseconds on the server)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.households = max(1, -(-args.members // len(MEMBERS)))
    return args


# --- set-up: instance folder, migrations, seed -------------------------------------------------------

@dataclass
class Member:
    username: str
    household_id: int
    scale_id: int


def clean_environment(instance: str) -> None:
    """This process and the server use the throwaway folder only: never a real database or queue."""
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "KRING_DEMO", "KRING_HTTPS", "KRING_TRUST_PROXY",
                 "RATELIMIT_STORAGE_URI", "FLASK_APP", "KRING_SMTP_HOST", "KRING_BASE_URL"):
        os.environ.pop(name, None)
    os.environ["KRING_INSTANCE"] = instance
    os.environ["KRING_RATELIMIT"] = "0"


def migrate_and_seed(households: int, entries: int, rng: random.Random) -> tuple[list[Member], int]:
    """Migrate the instance's SQLite database and seed it through the app's services.

    Returns the members with a sign-in, and how many log entries were written."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.auth.models import utcnow
    from webapp.auth.services import create_user, hash_password
    from webapp.extensions import db
    from webapp.households.models import Phase, Role
    from webapp.households.services import add_member, create_household
    from webapp.resilience_calendar import services as calendar
    from webapp.safety_scales import services as scales
    from webapp.resilience_calendar.models import ResilienceElement
    from webapp.safety_log import services as log
    from webapp.safety_log.models import EntryKind

    app = create_app()
    members, written = [], 0
    with app.app_context():
        output = io.StringIO()
        with contextlib.redirect_stderr(output), contextlib.redirect_stdout(output):  # Alembic's INFO lines
            try:
                upgrade()
            except BaseException:
                sys.stderr.write(output.getvalue())
                raise
        # Argon2 is slow on purpose: hash once and give every member the same hash.
        password_hash = hash_password(PASSWORD)
        now = utcnow().replace(second=0, microsecond=0)
        monday = calendar.monday_of(now.date())
        elements = list(ResilienceElement)
        for number in range(1, households + 1):
            users = []
            for suffix, first_name, _roles in MEMBERS:
                user = create_user(db.session, f"{first_name} Huis{number:02d}", f"h{number:02d}-{suffix}", locale="nl")
                user.password_hash = password_hash
                users.append(user)
            household = create_household(db.session, f"Familie Huis{number:02d}", users[0], {Role(MEMBERS[0][2][0])})
            household.phase = Phase.direct_safety
            for user, (_suffix, _name, roles) in zip(users[1:], MEMBERS[1:]):
                add_member(db.session, household, user, {Role(r) for r in roles})
            child = create_user(db.session, f"Kind Huis{number:02d}", None, None, locale="nl")
            add_member(db.session, household, child, {Role.child})
            for n in range(entries):
                new = log.NewEntry(kind=EntryKind(rng.choice(ADULT_KINDS)),
                                   occurred_at=now - timedelta(hours=rng.uniform(1, 24 * 30)),
                                   what_happened=rng.choice(HAPPENED), what_was_done=rng.choice(DONE),
                                   child_mood=rng.choice([None, 2, 3, 4, 5]))
                log.write_entry(db.session, app.instance_path, household, rng.choice(users), f"seed-{number}-{n}", new)
                written += 1
            for day in range(7):  # this week: breakfast every day, and something outside on most days
                calendar.add_activity(db.session, household, users[0], calendar.ActivityInput(
                    monday + timedelta(days=day), "Samen ontbijten", {elements[0], elements[1]},
                    start_time=clock(7, 30)))
                if day % 3:
                    calendar.add_activity(db.session, household, rng.choice(users), calendar.ActivityInput(
                        monday + timedelta(days=day), "Buiten spelen", {rng.choice(elements)},
                        start_time=clock(16, 0), with_whom="met de buurkinderen"))
            statement = scales.add_statement(db.session, household, users[0], scales.StatementInput(
                "De juf en oma", "Ruzie waar het kind bij is", "Het kind wordt bang", "Rustig praten",
                "Rust thuis"), now)
            members += [Member(u.username, household.id, statement.scale.id) for u in users]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return members, written


# --- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: str, port: int) -> subprocess.Popen:
    """`python -m webapp.serve` as `make run` starts it; its output goes to a file in the instance folder."""
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "KRING_INSTANCE": instance, "KRING_RATELIMIT": "0"}
    with open(Path(instance) / "server.log", "w") as out:
        # A session of its own: Ctrl+C reaches this script only, which then stops the server with SIGTERM.
        return subprocess.Popen([sys.executable, "-m", "webapp.serve"], env=env, cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_ready(server: subprocess.Popen, base: str, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at once (exit code {server.returncode})")
        try:
            if Browser(base, 1, keep_alive=False).request("GET", STATIC).status_code == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {limit:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # serve.py stops the web processes and the worker on SIGTERM
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # its own process group: the server and its worker
            server.wait(timeout=5)


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by a process (Linux /proc), or None where that cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def tree_cpu_seconds(pid: int) -> dict[str, float] | None:
    """CPU time of the server and every process under it, by kind: "web" (gunicorn's web processes and their
    master) and "worker" (the huey consumer). The processes are started before the measured time, so a sum before
    and after holds the same processes."""
    kinds, todo = Counter(), [pid]
    while todo:
        current = todo.pop()
        used = cpu_seconds(current)
        if used is None and current == pid:
            return None
        try:
            command = Path(f"/proc/{current}/cmdline").read_bytes()
        except OSError:
            command = b""
        kinds["worker" if b"huey_consumer" in command else "web"] += used or 0.0
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
    return kinds


def server_log_tail(instance: str, lines: int = 25) -> str:
    path = Path(instance) / "server.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


# --- the simulated members -------------------------------------------------------------------------

INPUT = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


class FormValues:
    """The values of a page's text and hidden inputs (csrf_token, client_id, ...), first one wins. Read with two
    regular expressions, not an HTML parser: Kring's inputs are written by Jinja and WTForms with every attribute
    quoted, and html.parser took several milliseconds of this script's processor time for a composer page."""

    def __init__(self, page: str):
        self.values: dict[str, str] = {}
        for tag in INPUT.finditer(page):
            a = dict(ATTRIBUTE.findall(tag.group(1)))
            if a.get("name") and a.get("type") not in ("radio", "checkbox", "file", "submit"):
                self.values.setdefault(a["name"], html.unescape(a.get("value", "")))


OLDER_LINK = re.compile(r'rel="prev" href="([^"]*)"')  # the log's pager: the previous week with entries


class Recorder:
    """Every request: (group, label, start, milliseconds, error or None)."""

    def __init__(self):
        self.samples: list[tuple[str, str, float, float, str | None]] = []
        self.lock = threading.Lock()

    def add(self, group, label, start, ms, error):
        with self.lock:
            self.samples.append((group, label, start, ms, error))


class Answer:
    """A whole answer: its status, headers and body as sent (compressed or not)."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status_code, self.headers, self.body = status, headers, body

    @property
    def is_redirect(self) -> bool:
        return self.status_code in (301, 302, 303, 307, 308) and "Location" in self.headers

    @property
    def text(self) -> str:
        """The page as text, decompressed only when the script reads it (most answers it only times)."""
        encoding = self.headers.get("Content-Encoding", "")
        body = brotli.decompress(self.body) if encoding == "br" else gzip.decompress(self.body) if encoding == "gzip" \
            else self.body
        return body.decode("utf-8")


class Browser:
    """The part of a phone's browser the load needs, on http.client: cookies kept and sent back, forms posted as a
    browser posts them, every answer read to its last byte, compressed as a phone asks for it. The requests library
    cost this script about 2-3.5 ms of processor time a request, taken from the server on a two-core machine."""

    HEADERS = {"User-Agent": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
               "Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "nl",
               "Accept-Encoding": "br, gzip"}

    def __init__(self, base: str, timeout: float, keep_alive: bool):
        address = base.removeprefix("http://")
        self.host, _, port = address.partition(":")
        self.port, self.timeout, self.keep_alive = int(port or 80), timeout, keep_alive
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        headers = dict(self.HEADERS)
        if not self.keep_alive:
            headers["Connection"] = "close"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        reused = self.connection is not None
        try:
            answer = self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.close()
            if not reused:
                raise
            answer = self._send(method, path, body, headers)  # the server closed an idle kept connection: once more
        self._keep_cookies(answer.headers)
        return answer

    def _send(self, method, path, body, headers) -> Answer:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except BaseException:
            self.close()
            raise
        if not self.keep_alive or response.will_close:
            self.close()
        return answer

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for cookie in headers.get_all("Set-Cookie") or ():
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name, None)  # Flask's delete_cookie
            else:
                self.cookies[name] = value

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Client:
    def __init__(self, base: str, group: str, recorder: Recorder, args, stop: threading.Event):
        self.base, self.group, self.recorder, self.timeout, self.stop = base, group, recorder, args.timeout, stop
        self.http = Browser(base, args.timeout, args.keep_alive)
        self.end = float("inf")

    def time_left(self) -> bool:
        return not self.stop.is_set() and time.perf_counter() < self.end

    def request(self, label: str, method: str, path: str, data: dict | None = None) -> Answer | None:
        """One timed request; None (and an error recorded) unless it answered 2xx/3xx and did not sign us out."""
        group, start = self.group, time.perf_counter()
        error, response = None, None
        try:
            response = self.http.request(method, path, data)
        except (OSError, http.client.HTTPException) as exc:
            error = f"{method} {label}: {type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - start) * 1000
        if response is not None:
            if not 200 <= response.status_code < 400:
                error = f"{method} {label}: HTTP {response.status_code}"
            elif response.is_redirect and "/sign-in" in response.headers.get("Location", ""):
                error = f"{method} {label}: sent to the sign-in page (signed out)"
        if not self.stop.is_set():
            self.recorder.add(group, label, start, ms, error)
        return None if error else response


class MemberClient(Client):
    def __init__(self, member: Member, *args):
        super().__init__(*args)
        self.member = member
        self.signed_in = False
        self.home = f"/h/{member.household_id}"

    def sign_in(self) -> bool:
        page = self.request("sign-in page", "GET", "/sign-in")
        if page is None:
            return False
        form = {"csrf_token": FormValues(page.text).values.get("csrf_token", ""), "login": self.member.username,
                "password": PASSWORD, "remember": "y"}
        done = self.request("sign in", "POST", "/sign-in", data=form)
        if done is None:
            return False
        if done.status_code != 302:
            self.recorder.add(self.group, "sign in", time.perf_counter(), 0,
                              f"POST sign in: HTTP {done.status_code} instead of a redirect (wrong password?)")
            return False
        return self.request("household home", "GET", self.home) is not None

    def open_home(self, rng):
        self.request("household home", "GET", self.home)

    def read_timeline(self, rng):
        page = self.request("timeline", "GET", self.home + "/log/")
        if page is not None and rng.random() < SECOND_PAGE and self.time_left():
            older = OLDER_LINK.search(page.text)
            if older:
                self.request("timeline, previous week", "GET", html.unescape(older.group(1)))

    def write_entry(self, rng):
        page = self.request("composer", "GET", self.home + "/log/new")
        if page is None or not self.time_left():
            return
        values = FormValues(page.text).values
        form = {name: values.get(name, "") for name in ("csrf_token", "client_id", "author_check", "occurred_at")}
        form.update(kind=rng.choice(ADULT_KINDS), what_happened=rng.choice(HAPPENED), what_was_done=rng.choice(DONE))
        if rng.random() < 0.5:
            form["child_mood"] = str(rng.randint(1, 5))
        saved = self.request("write entry (POST)", "POST", self.home + "/log/new", data=form)
        if saved is not None and saved.status_code != 302:
            self.recorder.add(self.group, "write entry (POST)", time.perf_counter(), 0,
                              f"POST write entry: HTTP {saved.status_code} instead of a redirect (form refused)")
        elif saved is not None and self.time_left():
            self.request("timeline", "GET", saved.headers["Location"])  # the browser follows the redirect

    def open_calendar(self, rng):
        self.request("calendar week", "GET", self.home + "/calendar/")

    def score(self, rng):
        url = f"{self.home}/scales/{self.member.scale_id}/score"
        page = self.request("score page", "GET", url)
        if page is None or not self.time_left():
            return
        form = {"csrf_token": FormValues(page.text).values.get("csrf_token", ""), "score": str(rng.randint(4, 9)),
                "behaviour": rng.choice(SEEN)}
        saved = self.request("score (POST)", "POST", url, data=form)
        if saved is not None and saved.status_code != 302:
            self.recorder.add(self.group, "score (POST)", time.perf_counter(), 0,
                              f"POST score: HTTP {saved.status_code} instead of a redirect (form refused)")


def member_thread(client: MemberClient, slots: threading.Semaphore, signed_in: threading.Barrier, go: threading.Event,
                  args, seed: int):
    rng = random.Random(seed)
    with slots:
        ok = client.signed_in = client.sign_in()
    with contextlib.suppress(threading.BrokenBarrierError):
        signed_in.wait()
    go.wait()
    if not ok:
        return
    actions = {"home": client.open_home, "timeline": client.read_timeline, "write": client.write_entry,
               "calendar": client.open_calendar, "score": client.score}
    names, weights = list(ACTIONS), list(ACTIONS.values())
    pause = rng.uniform(0, args.think[1])  # spread the first clicks over the first seconds
    while not client.stop.wait(pause) and client.time_left():
        actions[rng.choices(names, weights)[0]](rng)
        pause = rng.uniform(*args.think)


# --- figures -----------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def line(name: str, samples, seconds: float) -> str:
    ms = [s[3] for s in samples]
    errors = sum(1 for s in samples if s[4])
    return (f"{name}: {len(ms)} requests, {len(ms) / seconds:.1f} req/s, p50 {percentile(ms, 50):.1f} ms, "
            f"p95 {percentile(ms, 95):.1f} ms, errors {errors}")


# --- main --------------------------------------------------------------------------------------------

def _interrupted(*_):
    raise KeyboardInterrupt


def main() -> None:
    args = parse_args()
    # A SIGTERM to this script cleans up like Ctrl+C does.
    signal.signal(signal.SIGTERM, _interrupted)
    instance = tempfile.mkdtemp(prefix="kring-load-")
    servers: list[subprocess.Popen] = []  # the server, once run() has started it
    stop = threading.Event()
    try:
        clean_environment(instance)
        run(args, instance, stop, servers)
    except KeyboardInterrupt:
        print("\nstopped; cleaning up", file=sys.stderr)
        raise SystemExit(130)
    finally:
        stop.set()
        for server in servers:
            stop_server(server)
        shutil.rmtree(instance, ignore_errors=True)


def run(args, instance: str, stop: threading.Event, started_servers: list) -> None:
    rng = random.Random(args.seed)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    members, entries = migrate_and_seed(args.households, args.entries, rng)
    members = members[:args.members]
    seeded = time.perf_counter() - started

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = start_server(instance, port)
    started_servers.append(server)
    try:
        wait_until_ready(server, base)
    except RuntimeError as problem:
        print(server_log_tail(instance), file=sys.stderr)
        raise SystemExit(f"load: {problem}") from None
    ready = time.perf_counter() - started
    connection = "keep-alive connections" if args.keep_alive else "one connection per request"
    print(f"Kring load test: {len(MEMBERS)} members ({args.baseline_seconds:.0f} s), then {len(members)} members in "
          f"{args.households} households ({args.seconds:.0f} s); think time {args.think[0]:g}-{args.think[1]:g} s, "
          f"{connection} (home, timeline, writing, calendar, scoring); {os.cpu_count()} cores, load average before "
          f"the run {load_before:.2f}", flush=True)
    print(f"set-up: migrated and seeded {len(members)} members and {entries} log entries in {seeded:.1f} s; "
          f"server ready in {ready:.1f} s", flush=True)

    settled, warmed = warm_up(members[0], base, server, args)
    print(f"warm-up: the worker settled {settled:.1f} s after the server answered; {warmed} requests warmed every web "
          "process (not measured)", flush=True)

    baseline = phase("baseline", members[:len(MEMBERS)], args.baseline_seconds, base, server, args, stop, rng)
    loaded = phase("loaded", members, args.seconds, base, server, args, stop, rng)
    stop.set()

    errors = Counter(s[4] for s in baseline + loaded if s[4])
    if errors:
        print(f"errors ({sum(errors.values())} in all; the first distinct ones):")
        for message, count in list(errors.items())[:5]:
            print(f"  {count} x {message}")
        tail = server_log_tail(instance, 15)
        if "Traceback" in tail or "Error" in tail:
            print("server log (last lines):\n" + tail)
    baseline_p50 = percentile([s[3] for s in baseline if s[0] == "page"], 50)
    loaded_p95 = percentile([s[3] for s in loaded if s[0] == "page"], 95)
    ratio = loaded_p95 / baseline_p50 if baseline_p50 > 0 else float("inf")
    loaded_errors = sum(1 for s in loaded if s[4])
    print(f"target: loaded p95 at most 10 x baseline p50, with 0 errors "
          f"({'met' if ratio <= 10 and not loaded_errors else 'NOT met'})")
    print(f"baseline_p50_ms: {baseline_p50:.1f}")
    print(f"loaded_p95_ms: {loaded_p95:.1f}")
    print(f"errors: {loaded_errors}")
    print(f"ratio: {ratio:.2f}")


def warm_up(member: Member, base: str, server: subprocess.Popen, args) -> tuple[float, int]:
    """Make the baseline a warm server's: wait until the worker has finished starting (its processor time stops
    growing: it makes the app, which took about a core for six seconds when nothing was compiled) and let every web
    process answer each page of the load a few times (each process makes its app, compiles its templates and fills
    its caches on its first requests). Measured without this, the baseline took those cold starts into its p50,
    which made the ratio look better than the warm server deserved. Returns seconds waited and requests sent."""
    from webapp.serve import web_processes

    started = time.perf_counter()
    previous = None
    while time.perf_counter() - started < 60:
        used = (tree_cpu_seconds(server.pid) or {}).get("worker", 0.0)
        if previous is not None and used - previous < 0.02:
            break
        previous = used
        time.sleep(0.5)
    settled = time.perf_counter() - started
    recorder = Recorder()
    client = MemberClient(member, base, "warm-up", recorder, args, threading.Event())
    if not client.sign_in():
        raise SystemExit("load: the warm-up member could not sign in")
    pages = [client.home, client.home + "/log/", client.home + "/log/new", client.home + "/calendar/",
             f"{client.home}/scales/{member.scale_id}/score"]
    sent = 0
    for _ in range(3 * web_processes()):  # one connection per request: gunicorn spreads them over its processes
        for page in pages:
            client.http.close()
            client.request("warm-up", "GET", page)
            sent += 1
    failed = [s[4] for s in recorder.samples if s[4]]
    if failed:
        raise SystemExit(f"load: {len(failed)} warm-up requests failed, the first: {failed[0]}")
    return settled, sent


def phase(name: str, members: list[Member], seconds: float, base: str, server: subprocess.Popen, args,
          stop: threading.Event, rng: random.Random) -> list:
    """Sign the members in, let them use Kring for the given time; print and return what was measured."""
    recorder = Recorder()
    slots = threading.BoundedSemaphore(args.sign_in_concurrency)
    signed_in = threading.Barrier(len(members) + 1)
    go = threading.Event()
    clients = [MemberClient(m, base, "signin", recorder, args, stop) for m in members]
    threads = [threading.Thread(target=member_thread, args=(c, slots, signed_in, go, args, rng.random()), daemon=True)
               for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        signed_in.wait(timeout=120)
    except threading.BrokenBarrierError:
        print("not every member signed in within 120 s; measuring with those who did", flush=True)
    sign_ins = time.perf_counter() - started
    cpu_before, own_before = tree_cpu_seconds(server.pid), time.process_time()
    end = time.perf_counter() + seconds
    for client in clients:
        client.group = "page"
        client.end = end
    go.set()
    time.sleep(max(0.0, end - time.perf_counter()))
    cpu_after, own = tree_cpu_seconds(server.pid), time.process_time() - own_before
    while any(t.is_alive() for t in threads) and time.perf_counter() < end + args.timeout + 5:
        time.sleep(0.2)

    sign_in_samples = [s for s in recorder.samples if s[0] == "signin"]
    signed = sum(1 for c in clients if c.signed_in)
    print(f"{name}: {signed} of {len(members)} members signed in ({len(sign_in_samples)} requests in {sign_ins:.1f} s, "
          f"errors {sum(1 for s in sign_in_samples if s[4])})")
    pages = [s for s in recorder.samples if s[0] == "page"]
    print("  " + line("pages", pages, seconds))
    by_label = defaultdict(list)
    for s in pages:
        by_label[s[1]].append(s)
    for label in sorted(by_label, key=lambda k: -len(by_label[k])):
        print("    " + line(label, by_label[label], seconds))
    if cpu_before is not None and cpu_after is not None:
        web, worker = (cpu_after[k] - cpu_before[k] for k in ("web", "worker"))
        per_page = f", {(web + worker) / len(pages) * 1000:.1f} ms of CPU a request" if pages else ""
        print(f"  server: {(web + worker) / seconds:.2f} CPU cores busy on average (all its processes: web "
              f"{web / seconds:.2f}, worker {worker / seconds:.2f}){per_page}; this script {own / seconds:.2f}")
    return recorder.samples


if __name__ == "__main__":
    main()
