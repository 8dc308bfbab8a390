"""Server CPU per page: how much processor time Kring spends making each page of the demo household.

Builds a throwaway instance folder (SQLite) through the real migrations, seeds the demo household ("Familie
Demo", as `make run` shows it) and then, in this process, asks for each page through the Flask test client with
the headers a phone sends (Accept-Language nl, Accept-Encoding br, gzip: compressing is part of the work),
signed in as each demo role the way the sign-in form does it. For every page it warms up, then takes the CPU
time of this thread (not the wall clock, so another program on the machine does not count) over --requests
requests and prints the least, p50 and p95 with the number of SQL statements the page runs and the number of
Python function calls it makes (counted by cProfile over five more requests). On a shared machine the times
move by a third from one run to the next; the calls do not, so compare two versions of the code by those.

The five pages of `bench/load.py` (home, the log's timeline, the calendar week, the safety scales and the plan)
are the ones the target is about; the rest are printed for reference. The last lines read
`load_pages_max_p50_cpu_ms: N` (the slowest of those five, over every role that opens them) and, as a
reference measured in the same run, `floor_p50_cpu_ms: N` for the smallest signed-in page (the privacy page:
the menu and the frame of every page, no content of its own). Target: a load page at most 5 ms.
"""
import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROLES = ["ouder", "veiligheidspersoon", "netwerklid", "voorzitter"]
LOAD_PAGES = {  # bench/load.py's five pages
    "home": "/h/{id}",
    "timeline": "/h/{id}/log/",
    "calendar": "/h/{id}/calendar/",
    "scales": "/h/{id}/scales",
    "plan": "/h/{id}/plan/",
}
OTHER_PAGES = {
    "signals": "/h/{id}/signals",
    "meetings": "/h/{id}/meetings/",
    "circle": "/h/{id}/circle",
    "road": "/h/{id}/road",
    "composer": "/h/{id}/log/new",
    "score": "/h/{id}/scales/{scale}/score",  # bench/load.py's scorers open it
}
FLOOR = "/privacy"
PHONE = {"Accept-Language": "nl", "Accept-Encoding": "br, gzip",
         "User-Agent": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page and role")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--roles", default=",".join(ROLES), help="demo usernames, comma-separated")
    parser.add_argument("--profile", metavar="PAGE", help="print a cProfile of PAGE (for the first role) and stop")
    return parser.parse_args()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build(instance: str):
    os.environ["KRING_INSTANCE"] = instance
    os.environ["KRING_DEMO"] = "1"
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.demo import seed
    from webapp.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        log = io.StringIO()
        with contextlib.redirect_stderr(log):
            try:
                upgrade()
            except BaseException:
                sys.stderr.write(log.getvalue())
                raise
        seed(db.session, app.instance_path)
        db.session.commit()
    return app


@contextlib.contextmanager
def counting_statements(app):
    """Counts the SQL statements run inside it. Only around the request that counts: an engine with a listener
    takes SQLAlchemy's slower path for every statement (about 30 microseconds each, 2026-12-08), which a
    server without one does not pay, so the timed requests run without it."""
    from sqlalchemy import event

    from webapp.extensions import db

    counted = [0]

    def count(*_args, **_kw):
        counted[0] += 1
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def sign_in(app, username: str):
    """Through the real form, with its CSRF token; returns the client and the household's id."""
    client = app.test_client()
    form = client.get("/sign-in", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = client.post("/sign-in", data={"csrf_token": token, "login": username, "password": "kring-demo"},
                         headers={"Accept-Language": "nl"}, follow_redirects=True)
    found = re.search(r"/h/(\d+)", answer.request.path)
    if answer.status_code != 200 or not found:
        raise SystemExit(f"could not sign in as {username}: {answer.status_code} at {answer.request.path}")
    return client, int(found.group(1))


def page_url(app, name: str, household: int) -> str:
    """A page's address in this household (the score page scores the household's first safety scale)."""
    path = {**LOAD_PAGES, **OTHER_PAGES, "floor": FLOOR}[name]
    scale = None
    if "{scale}" in path:
        from sqlalchemy import select

        from webapp.extensions import db
        from webapp.safety_scales.models import SafetyScale
        with app.app_context():
            scale = db.session.scalar(select(SafetyScale.id).where(SafetyScale.household_id == household)
                                      .order_by(SafetyScale.id).limit(1))
    return path.format(id=household, scale=scale)


def measure(app, client, url: str, args) -> tuple[list[float], int, int] | None:
    first = client.get(url, headers=PHONE)
    if first.status_code != 200:
        return None  # not this role's page (the menu does not offer it)
    for _ in range(args.warmup):
        client.get(url, headers=PHONE)
    with counting_statements(app) as counted:
        client.get(url, headers=PHONE)
    queries = counted[0]
    cpu = []
    for _ in range(args.requests):
        started = time.thread_time()
        response = client.get(url, headers=PHONE)
        cpu.append((time.thread_time() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    profile = cProfile.Profile()
    profile.runcall(lambda: [client.get(url, headers=PHONE) for _ in range(5)])
    calls = pstats.Stats(profile).total_calls // 5
    return cpu, queries, calls


def main() -> None:
    args = parse_args()
    instance = tempfile.mkdtemp(prefix="kring-page-cpu-")
    try:
        run(args, instance)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def run(args, instance: str) -> None:
    app = build(instance)
    roles = args.roles.split(",")
    if args.profile:
        client, household = sign_in(app, roles[0])
        url = page_url(app, args.profile, household)
        measure(app, client, url, args)
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(url, headers=PHONE) for _ in range(args.requests)])
        profile.dump_stats(os.environ.get("KRING_PROFILE_FILE", "/tmp/page_cpu.prof"))
        pstats.Stats(profile).sort_stats("tottime").print_stats(45)
        return

    print(f"Server CPU per page (ms, this thread), {args.requests} requests each, demo household, SQLite")
    print(f"{'role':20} {'page':10} {'min':>6} {'p50':>6} {'p95':>6} {'SQL':>4} {'calls':>7}")
    load_p50s, floor_p50s = [], []
    for role in roles:
        client, household = sign_in(app, role)
        for name in ["floor", *LOAD_PAGES, *OTHER_PAGES]:
            measured = measure(app, client, page_url(app, name, household), args)
            if measured is None:
                continue
            cpu, queries, calls = measured
            p50 = statistics.median(cpu)
            print(f"{role:20} {name:10} {min(cpu):6.1f} {p50:6.1f} {percentile(cpu, 95):6.1f} {queries:4} {calls:7}")
            if name in LOAD_PAGES:
                load_p50s.append(p50)
            elif name == "floor":
                floor_p50s.append(p50)
    print(f"floor_p50_cpu_ms: {statistics.median(floor_p50s):.1f}")
    print(f"load_pages_max_p50_cpu_ms: {max(load_p50s):.1f}")


if __name__ == "__main__":
    main()
