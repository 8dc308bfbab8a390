"""Scale-out, proven: two Kring "machines" (each a web server and a worker, as `python -m webapp.serve` starts them)
sharing one PostgreSQL database and one Redis, the way docs/operations.md lays out more machines.

Each machine has an instance folder of its own; like an operator, the script gives both the same SECRET_KEY in the
environment and copies the Web Push key from the first to the second. Both trust one reverse proxy
(KRING_TRUST_PROXY=1), and each simulated phone sends its own address in X-Forwarded-For, as the proxy would. A local RFC 8030 push service (tests/peers.py:
it checks VAPID and decrypts every message) stands in for the phones' push services. Then it checks, and prints:

1. sessions work on either machine: signed in on A, the same browser opens the household on B;
2. signals: with only machine A running, HOUSEHOLDS signals are raised at once and each device's pushes are
   counted (the baseline); then with A and B both running (two web servers, two workers on one Redis queue) the
   same again, raised half on A and half on B. Every device must get exactly as many pushes as in the baseline
   (one per signal), and `/health` must count two live workers on the shared queue;
3. the rate limit counts across machines: wrong passwords for one address, alternating between A and B, are
   refused after the sign-in limit (10 a minute) in all, not after 10 on each.

Needs PostgreSQL (--database-url, default postgresql://postgres@127.0.0.1:5432/test: a scratch database
kring_scale_out is made beside it and dropped at the end) and Redis (--redis-url, default redis://127.0.0.1:6379/14:
that one Redis database is emptied before and after). `make scale-out` installs the Redis client and runs it.
The last line reads `scale_out: ok` (exit 0) or `scale_out: FAILED` (exit 1).
"""
import argparse
import os
import re
import shutil
import signal as signals
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import FormValues, free_port  # noqa: E402  (the load test's form reader and port finder)

HOUSEHOLDS = 6
SAFETY_PERSONS = 2  # per household, each with two phones: 4 devices per household
PHONES = 2
PASSWORD = "een lange zin voor de proef"
SIGN_IN_LIMIT = 10  # per address a minute, webapp/auth/views.py


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    return parser.parse_args()


def scratch_database(url: str, name: str, make: bool) -> str:
    """(Re)make or drop the scratch database beside the given one; returns its URL."""
    import psycopg
    base = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if make:
            conn.execute(f'CREATE DATABASE "{name}"')
    return re.sub(r"/[^/?]+(\?|$)", f"/{name}\\1", base, count=1)


def seed(push_service) -> list[dict]:
    """HOUSEHOLDS households, each with SAFETY_PERSONS safety persons with PHONES phones, and one household member
    per signal to raise (a second signal by the same person within minutes counts as the same worry)."""
    from webapp.auth.services import hash_password
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Household, Role
    from webapp.households.services import add_member
    from webapp.notify.models import PushSubscription

    password_hash = hash_password(PASSWORD)
    made = []
    for h in range(HOUSEHOLDS):
        household = Household(name=f"Schaal {h}")
        db.session.add(household)
        raisers = []
        for r in range(2):  # one for the baseline, one for the run on two machines
            user = User(display_name=f"Ouder {h}-{r}", username=f"ouder-{h}-{r}", password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            add_member(db.session, household, user, {Role.household_member})
            raisers.append(user.username)
        endpoints = []
        for p in range(SAFETY_PERSONS):
            safety = User(display_name=f"Veilig {h}-{p}", username=f"veilig-{h}-{p}", password_hash=None)
            db.session.add(safety)
            db.session.flush()
            add_member(db.session, household, safety, {Role.safety_person})
            for d in range(PHONES):
                sub = push_service.new_subscription()
                db.session.add(PushSubscription(user=safety, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                                auth=sub["keys"]["auth"], device_name=f"Telefoon {d}"))
                endpoints.append(sub["endpoint"])
        made.append({"id": household.id, "raisers": raisers, "endpoints": endpoints})
    db.session.commit()
    return made


class Machine:
    """One machine: `python -m webapp.serve` (gunicorn and a huey consumer) with its own instance folder."""

    def __init__(self, name: str, instance: Path, env: dict):
        self.name, self.instance, self.port = name, instance, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "KRING_INSTANCE": str(instance), "HOST": "127.0.0.1", "PORT": str(self.port),
                    "KRING_WEB_PROCESSES": "2", "KRING_WEB_THREADS": "4"}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import requests
        with open(self.instance / "server.log", "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "webapp.serve"], env=self.env, cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"machine {self.name} stopped: {(self.instance / 'server.log').read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/sign-in", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"machine {self.name} did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signals.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signals.SIGKILL)
                self.process.wait()


def browser(address: str):
    """A phone, with the address the reverse proxy would pass on for it."""
    import requests
    session = requests.Session()
    session.headers.update({"Accept-Language": "nl", "X-Forwarded-For": address, "X-Forwarded-Proto": "http"})
    return session


def sign_in(session, machine: Machine, username: str) -> int:
    page = session.get(machine.url + "/sign-in")
    token = FormValues(page.text).values.get("csrf_token", "")
    done = session.post(machine.url + "/sign-in", data={"csrf_token": token, "login": username,
                                                         "password": PASSWORD}, allow_redirects=False)
    return done.status_code


def raise_signal(machine: Machine, household: dict, username: str, address: str) -> None:
    session = browser(address)
    assert sign_in(session, machine, username) == 302, f"{username} could not sign in on {machine.name}"
    page = session.get(f"{machine.url}/h/{household['id']}/signals/new")
    values = FormValues(page.text).values
    sent = session.post(f"{machine.url}/h/{household['id']}/signals/new", allow_redirects=False,
                        data={"csrf_token": values["csrf_token"], "client_id": values["client_id"], "note": ""})
    assert sent.status_code == 302, f"raising a signal on {machine.name}: HTTP {sent.status_code}"


def signal_round(push_service, households: list[dict], machines: list[Machine], raiser: int) -> Counter:
    """Raise one signal per household at once, spread over the machines; pushes counted per device after
    every device got one and a quiet spell in which a duplicate would show."""
    push_service.clear()
    with ThreadPoolExecutor(max_workers=len(households)) as pool:
        for future in [pool.submit(raise_signal, machines[i % len(machines)], h, h["raisers"][raiser],
                                   f"10.1.{raiser}.{i + 1}") for i, h in enumerate(households)]:
            future.result()
    expected = sum(len(h["endpoints"]) for h in households)
    push_service.wait_for(expected, timeout=60)
    time.sleep(5)  # a retry, a second worker or a sweep that sends again would show up here
    return Counter(m.endpoint for m in push_service.received)


def main() -> int:
    args = parse_args()
    signals.signal(signals.SIGTERM, lambda *_: sys.exit(143))
    import redis

    folder = Path(tempfile.mkdtemp(prefix="kring-scale-out-"))
    database_url = scratch_database(args.database_url, "kring_scale_out", make=True)
    store = redis.Redis.from_url(args.redis_url)
    store.flushdb()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": args.redis_url,
           "SECRET_KEY": os.urandom(32).hex(), "KRING_PUSH_ALLOW_HTTP_LOOPBACK": "1",
           "KRING_SIGNAL_UNDO_SECONDS": "0", "KRING_LOG_LEVEL": "error", "KRING_TRUST_PROXY": "1",
           "KRING_HEALTH_TOKEN": "scale-out"}
    for name in ("KRING_DEMO", "KRING_RATELIMIT", "RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "KRING_PUSH_ALLOW_HTTP_LOOPBACK")})
    os.environ["KRING_INSTANCE"] = str(folder / "a")
    machines = [Machine("A", folder / "a", env), Machine("B", folder / "b", env)]
    failures: list[str] = []
    try:
        import contextlib
        import io

        from flask_migrate import upgrade

        from tests.peers import LocalPushService
        from webapp import create_app

        (folder / "b").mkdir(parents=True)
        app = create_app()  # makes machine A's instance folder and its Web Push key
        shutil.copy(folder / "a" / "vapid_private.pem", folder / "b" / "vapid_private.pem")  # shared, as documented
        with LocalPushService(latency=0.05) as push_service, app.app_context():
            with contextlib.redirect_stderr(io.StringIO()):
                upgrade()
            households = seed(push_service)
            devices = sum(len(h["endpoints"]) for h in households)

            print(f"Scale-out on PostgreSQL ({database_url.rsplit('@', 1)[-1]}) and Redis ({args.redis_url}): "
                  f"{HOUSEHOLDS} households, {devices} devices")
            machines[0].start()
            baseline = signal_round(push_service, households, machines[:1], raiser=0)
            print(f"  one machine: {sum(baseline.values())} pushes to {len(baseline)} devices "
                  f"(each device {sorted(set(baseline.values()))})")

            machines[1].start()
            both = signal_round(push_service, households, machines, raiser=1)
            print(f"  two machines: {sum(both.values())} pushes to {len(both)} devices "
                  f"(each device {sorted(set(both.values()))})")
            import requests
            health = requests.get(machines[1].url + "/health", headers={"Authorization": "Bearer scale-out"}).json()
            consumers = health.get("worker", {}).get("consumers")
            print(f"  live workers on the shared queue (/health): {consumers}")
            if consumers != 2:
                failures.append(f"/health counts {consumers} live workers, not 2")
            every = [e for h in households for e in h["endpoints"]]
            if any(baseline[e] != 1 for e in every):
                failures.append("with one machine, a device did not get exactly one push")
            if any(both[e] != baseline[e] for e in every):
                failures.append("with two machines, a device got a different number of pushes than with one")

            # Sessions: signed in on A, the same browser reads the household on B (the shared SECRET_KEY).
            reader = browser("10.2.0.1")
            sign_in(reader, machines[0], households[0]["raisers"][0])
            on_b = reader.get(f"{machines[1].url}/h/{households[0]['id']}", allow_redirects=False)
            print(f"  signed in on A, household page on B: HTTP {on_b.status_code}")
            if on_b.status_code != 200:
                failures.append(f"a session made on A does not work on B (HTTP {on_b.status_code})")

            # Rate limit across machines: one stranger's address, wrong passwords, alternating A and B.
            stranger = browser("10.3.0.1")
            statuses = [sign_in(stranger, machines[i % 2], "ouder-0-0-onbekend") for i in range(SIGN_IN_LIMIT + 2)]
            refused_from = next((i + 1 for i, s in enumerate(statuses) if s == 429), None)
            print(f"  wrong sign-ins alternating A and B: first refused at try {refused_from} "
                  f"(limit {SIGN_IN_LIMIT} a minute per address, in all)")
            if refused_from != SIGN_IN_LIMIT + 1:
                failures.append(f"the sign-in limit was not counted across machines (refused at try {refused_from})")
    finally:
        for machine in machines:
            machine.stop()
        store.flushdb()
        scratch_database(args.database_url, "kring_scale_out", make=False)
        shutil.rmtree(folder, ignore_errors=True)

    for failure in failures:
        print(f"  FAILED: {failure}")
    print(f"scale_out: {'ok' if not failures else 'FAILED'}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
