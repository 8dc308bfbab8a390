"""The run command's server: gunicorn with several web processes and the huey worker beside it, stopped together;
what must be one for all processes (rate-limit counts, sessions) holds whichever process answers."""
import gc
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.clock import needs_the_machines_clock

ROOT = Path(__file__).resolve().parent.parent

# The server runs on `make run`'s embedded defaults (SQLite, a fresh instance folder) whichever database the suite
# is testing, so the PostgreSQL run would repeat it unchanged; bench/scale_out.py starts servers on PostgreSQL.
pytestmark = pytest.mark.skipif(bool(os.environ.get("KRING_TEST_DATABASE_URL")),
                                reason="the same test as in the SQLite run: the server uses the embedded defaults")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


@pytest.fixture
def server(tmp_path):
    """`python -m webapp.serve` as `make run` starts it, on SQLite in a fresh instance folder, with the demo."""
    yield from _serve(tmp_path, demo=True)


@pytest.fixture
def web_only(tmp_path):
    """`python -m webapp.serve --web-only` as deploy/systemd/kring-web.service starts it on a web machine."""
    yield from _serve(tmp_path, "--web-only")


def _serve(tmp_path, *arguments: str, demo: bool = False):
    needs_the_machines_clock("the server's processes")
    port = _free_port()
    env = {**os.environ, "KRING_INSTANCE": str(tmp_path), "PORT": str(port), "KRING_DEMO": "1" if demo else "",
           "KRING_WEB_PROCESSES": "2", "KRING_WEB_THREADS": "1", "KRING_ACCESS_LOG": str(tmp_path / "access.log")}
    for name in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "KRING_RATELIMIT"):
        env.pop(name, None)
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    if demo:
        subprocess.run(flask + ["seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "webapp.serve", *arguments], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    process.url = f"http://127.0.0.1:{port}"
    process.log = tmp_path / "access.log"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(process.url + "/sign-in", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def _answers(log: Path, method: str) -> list[tuple[int, int]]:
    """(process id, status) of each request in the access log, in order."""
    found = re.findall(rf"pid=<?(\d+)>? {method} status=(\d+)", log.read_text())
    return [(int(pid), int(status)) for pid, status in found]


def _logged(log: Path, method: str, status: int, count: int) -> list[int]:
    """The process ids of the `count` requests with this status, once the log holds them: gunicorn writes the access
    line after the answer has gone out, so the client may be a moment ahead of the log."""
    for _ in range(100):
        pids = [pid for pid, code in _answers(log, method) if code == status]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    return pids


def test_server_starts_web_processes_and_the_worker_and_stops_them_all_on_sigterm(server):
    _started_and_stopped(server, workers=1)
    assert "Kring runs on" in server.stdout.read()


def test_a_web_machine_starts_the_same_web_processes_without_the_worker(web_only):
    """deploy/systemd/kring-web.service runs serve.py with --web-only: the web processes as `make run` starts them
    (the same settings, each setting aside what it made at start), its worker runs on a machine of its own."""
    _started_and_stopped(web_only, workers=0)
    said = web_only.stdout.read()
    assert "2 web processes of 1 thread each;" in said and "worker" not in said


def _started_and_stopped(server, workers: int) -> None:
    response = urllib.request.urlopen(server.url + "/sign-in", timeout=5)
    assert response.status == 200 and response.headers["Server"].startswith("gunicorn")  # not Werkzeug, not waitress
    children = _children(server.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_text() for pid in children]
    assert sum("huey_consumer" in c for c in commands) == workers
    assert sum("webapp.serve" in c for c in commands) == 2  # KRING_WEB_PROCESSES web processes
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    for _ in range(100):
        if all(_gone(pid) for pid in children):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("a web process or the worker outlived the server")


def _browser():
    """A phone: its own cookies, and a new connection for every request (so any process may answer it)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    return opener


def _post(opener, url: str, data: dict) -> int:
    try:
        return opener.open(url, urllib.parse.urlencode(data).encode(), timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def _csrf(opener, url: str) -> str:
    page = opener.open(url, timeout=30).read().decode()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     page).group(1) or ""


def test_rate_limit_and_sessions_hold_across_web_processes(server):
    sign_in = server.url + "/sign-in"
    # A parent signs in on whichever process answers, then opens the home page many times at once: both
    # processes answer, and every answer is the signed-in page (the session is good everywhere).
    parent = _browser()
    token = _csrf(parent, sign_in)
    assert _post(parent, sign_in, {"csrf_token": token, "login": "ouder", "password": "kring-demo"}) == 200
    home = parent.open(server.url + "/", timeout=30).geturl()
    assert re.search(r"/h/\d+$", home)
    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(lambda _: parent.open(home, timeout=30), range(16)))
    assert all(p.status == 200 and p.geturl() == home for p in pages)
    assert all("sign-out" in p.read().decode() for p in pages)
    served_home = set(_logged(server.log, "GET", 200, 18))
    assert len(served_home) == 2, "both web processes should have answered"

    # Someone guesses passwords, many at once: sign-in allows 10 a minute from one address, across processes.
    guesser = _browser()
    token = _csrf(guesser, sign_in)
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda n: _post(guesser, sign_in, {"csrf_token": token, "login": f"nobody{n}",
                                                                 "password": "wrong-wrong"}), range(14)))
    assert codes.count(401) == 9 and codes.count(429) == 5  # the parent's sign-in was the 10th
    refused = _logged(server.log, "POST", 401, 9)
    assert len(refused) == 9 and len(set(refused)) == 2, "both processes counted towards the same limit"


def test_a_web_process_sets_what_it_made_at_start_aside_from_the_garbage_collector(monkeypatch):
    """Each web process freezes what it made while starting (modules, the app) out of the collector's full passes,
    and collects its youngest generation less often: the collector's share of a page fell by half (serve.py)."""
    from webapp import serve

    made = object()
    monkeypatch.setattr(serve, "create_app", lambda: made)
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        assert serve.Server.load(object.__new__(serve.Server)) is made
        assert gc.get_freeze_count() > 1000  # this test process's modules, as a web process's would be
        assert gc.get_threshold() == (serve.YOUNG_GENERATION, *threshold[1:])
        assert gc.get_threshold()[0] > threshold[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_web_processes_are_one_per_core_and_one_more_of_two_threads_unless_set(monkeypatch):
    """Measured with bench/load.py's 400 members on 2 cores: 3 processes of 2 threads needed about a seventh less
    server CPU a request than 2 x cores + 1 of 4 threads, and kept the slowest pages several times shorter."""
    from webapp import serve

    monkeypatch.delenv("KRING_WEB_PROCESSES", raising=False)
    monkeypatch.delenv("KRING_WEB_THREADS", raising=False)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 2)
    options = serve.gunicorn_options("127.0.0.1", 5000)
    assert (options["workers"], options["threads"], options["worker_class"]) == (3, 2, "gthread")
    monkeypatch.setenv("KRING_WEB_PROCESSES", "5")
    monkeypatch.setenv("KRING_WEB_THREADS", "4")
    assert (serve.web_processes(), serve.web_threads()) == (5, 4)
