"""Signal fan-out: time from raising a signal to the last push the push service receives, 1 device vs 25.

Self-contained: a throwaway instance folder with a SQLite database, migrated with the real migrations; two
households made with the app's own models and services, one whose safety person has 1 phone and one whose
five safety persons have 5 phones each (25 devices). A local RFC 8030 push service (tests/peers.py: it
verifies VAPID and decrypts every message) answers each message after a realistic latency, and a real huey
consumer, started with the run command's own command line, does the sending. For each run a new signal is
raised (no undo window) through `raise_signal`, committed and dispatched as the raise view does; the clock
runs from just before `raise_signal` until the push service has accepted the last of the N messages. The
two sizes take turns, after a warm-up run each; the median of the runs counts.

Target: 25 devices take at most 3 x the time of 1. The last line reads `ratio: X.XX` (median 25 / median 1).
The worker is stopped and the folder removed at the end, also on an error, Ctrl+C or SIGTERM.
"""
import argparse
import contextlib
import io
import os
import shutil
import signal as signals
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (1, 25)
SAFETY_PERSONS = 5  # the 25 devices: five safety persons with five phones each


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="measured runs per size (default 11)")
    parser.add_argument("--latency", type=float, default=0.1,
                        help="seconds the push service takes to answer each message (default 0.1)")
    return parser.parse_args()


def isolate(instance: Path) -> None:
    """Point everything at the throwaway folder before webapp is imported: its config reads the environment."""
    os.environ["KRING_INSTANCE"] = str(instance)
    os.environ["DATABASE_URL"] = f"sqlite:///{instance / 'kring.sqlite3'}"
    os.environ["KRING_PUSH_ALLOW_HTTP_LOOPBACK"] = "1"  # the local push service is on http://127.0.0.1
    for name in ("REDIS_URL", "KRING_DEMO", "KRING_PUSH_PARALLEL", "KRING_DELIVERY_LEASE_SECONDS"):
        os.environ.pop(name, None)  # SQLite huey in the folder, and the shipped sending defaults


def seed(push_service) -> dict[int, object]:
    """Two households; returns {devices: household}. Needs an app context."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Household, Role
    from webapp.households.services import add_member
    from webapp.notify.models import PushSubscription

    def person(name: str, username: str) -> User:
        user = User(display_name=name, username=username, password_hash=None, locale="nl")
        db.session.add(user)
        db.session.flush()
        return user

    def phone(user: User, name: str) -> None:
        sub = push_service.new_subscription()
        db.session.add(PushSubscription(user=user, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                        auth=sub["keys"]["auth"], device_name=name))

    households = {}
    for size in SIZES:
        household = Household(name=f"Bench {size}")
        db.session.add(household)
        people = 1 if size == 1 else SAFETY_PERSONS
        for p in range(people):
            safety = person(f"Veilig {size}-{p}", f"veilig-{size}-{p}")
            add_member(db.session, household, safety, {Role.safety_person})
            for d in range(size // people):
                phone(safety, f"Telefoon {d}")
        households[size] = household
    db.session.commit()
    return households


def raiser_for(household, run: int):
    """A new household member per run: a second signal by the same person within two minutes would be
    taken as the same worry and not sent again."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Role
    from webapp.households.services import add_member
    user = User(display_name=f"Ouder {run}", username=f"ouder-{household.id}-{run}", password_hash=None)
    db.session.add(user)
    db.session.flush()
    add_member(db.session, household, user, {Role.household_member})
    db.session.commit()
    return user


def wait_until_recorded(signal_id: int, timeout: float = 15) -> None:
    """Let the worker finish (write the outcomes) before the next run starts."""
    from webapp.extensions import db
    from webapp.signals.models import Delivery, DeliveryStatus
    deadline = time.monotonic() + timeout
    while True:
        db.session.expire_all()
        pending = db.session.scalar(db.select(db.func.count()).select_from(Delivery).where(
            Delivery.signal_id == signal_id, Delivery.status != DeliveryStatus.sent))
        db.session.commit()
        if not pending:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"signal {signal_id}: {pending} deliveries not sent within {timeout} s")
        time.sleep(0.02)


def one_run(push_service, household, size: int, run: int) -> float:
    """Raise a signal to `size` devices; seconds until the push service accepted the last message."""
    from webapp.auth.models import utcnow
    from webapp.extensions import db
    from webapp.signals import tasks
    from webapp.signals.models import SignalSource
    from webapp.signals.services import raise_signal

    raiser = raiser_for(household, run)
    push_service.clear()
    start = time.monotonic()
    signal, created = raise_signal(db.session, household, raiser, f"bench-{size}-{run}", SignalSource.safe_object,
                                   "", utcnow(), 0)
    db.session.commit()
    tasks.dispatch(signal)
    messages = push_service.wait_for(size, timeout=30)
    took = max(m.received_at for m in messages) - start
    assert created and len(messages) == size and len({m.endpoint for m in messages}) == size
    wait_until_recorded(signal.id)
    return took


@contextlib.contextmanager
def bench_app(prefix: str, latency: float):
    """A throwaway instance folder with a migrated SQLite database and a local push service answering after
    `latency` seconds; yields (instance, push_service) inside the app's context and removes the folder at the end,
    also on an error, Ctrl+C or SIGTERM."""
    signals.signal(signals.SIGTERM, lambda *_: sys.exit(143))  # a plain kill also cleans up
    instance = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        isolate(instance)
        from flask_migrate import upgrade

        from tests.peers import LocalPushService
        from webapp import create_app

        app = create_app()
        with LocalPushService(latency=latency) as push_service, app.app_context():
            log = io.StringIO()
            try:
                with contextlib.redirect_stderr(log):  # alembic's INFO lines
                    upgrade()
            except Exception:
                sys.stderr.write(log.getvalue())
                raise
            yield instance, push_service
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def start_worker(instance: Path) -> subprocess.Popen:
    from webapp.serve import worker_command
    worker = subprocess.Popen(worker_command(), env=os.environ.copy(), cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=open(instance / "worker.log", "wb"))
    time.sleep(0.3)
    if worker.poll() is not None:
        raise SystemExit(f"the worker did not start: {(instance / 'worker.log').read_text()[-2000:]}")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signals.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def main() -> None:
    args = parse_args()
    worker = None
    with bench_app("kring-bench-fanout-", args.latency) as (instance, push_service):
        try:
            households = seed(push_service)
            worker = start_worker(instance)
            times: dict[int, list[float]] = {size: [] for size in SIZES}
            for run in range(args.runs + 1):
                for size in SIZES:
                    took = one_run(push_service, households[size], size, run)
                    if run:  # the first is a warm-up: the worker builds its app and connections
                        times[size].append(took)
        finally:
            if worker is not None:
                stop_worker(worker)

    print(f"Signal fan-out, raise to last push received ({args.runs} runs each, push service latency "
          f"{args.latency * 1000:.0f} ms, worker {' '.join(worker_args())}):")
    medians = {}
    for size in SIZES:
        medians[size] = statistics.median(times[size])
        runs = " ".join(f"{t * 1000:.0f}" for t in times[size])
        label = "device" if size == 1 else "devices"
        print(f"  {size:>2} {label:<7}: median {medians[size] * 1000:6.0f} ms  "
              f"(min {min(times[size]) * 1000:.0f}, max {max(times[size]) * 1000:.0f}; runs: {runs})")
    print(f"target: {SIZES[1]} devices at most 3x the time of 1")
    print(f"ratio: {medians[SIZES[1]] / medians[SIZES[0]]:.2f}")


def worker_args() -> list[str]:
    from webapp.serve import worker_command
    command = worker_command()
    return command[command.index("--workers"):]


if __name__ == "__main__":
    main()
