"""Signal storm: 100 households raise a signal within the same ten seconds, each with ten phones on the local push
service. How much later does each signal's last phone get its push than when one signal is alone?

Self-contained like bench/signal_fanout.py (whose set-up it shares): a throwaway instance folder with SQLite, the
real migrations, a local RFC 8030 push service (tests/peers.py, it verifies VAPID and decrypts every message,
answering each after a realistic latency) and a real huey consumer started with the run command's own command line.

First the unloaded baseline, measured in the same run: one household's signal alone, several times (median of the
time from raising to the push service accepting its last message). Then the storm: 100 other households raise one
signal each, spread evenly over ten seconds, as the raise view does (raise, commit, dispatch). For each signal the
clock runs from just before it was raised until its own last phone's push was accepted.

Target: the storm's p95 at most 3 x the baseline. The last line reads `storm_ratio: X.XX`.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.signal_fanout import bench_app, start_worker, stop_worker, wait_until_recorded, worker_args  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100, help="households raising a signal (default 100)")
    parser.add_argument("--devices", type=int, default=10, help="phones per household (default 10)")
    parser.add_argument("--seconds", type=float, default=10, help="the storm's length (default 10)")
    parser.add_argument("--baseline-runs", type=int, default=5, help="runs of one signal alone (default 5)")
    parser.add_argument("--latency", type=float, default=0.1,
                        help="seconds the push service takes to answer each message (default 0.1)")
    return parser.parse_args()


def seed(push_service, households: int, devices: int):
    """`households` + 1 households (the last for the baseline), each with two safety persons sharing `devices`
    phones and a parent who raises; returns [(household, parent, {endpoint})]."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Household, Role
    from webapp.households.services import add_member
    from webapp.notify.models import PushSubscription

    made = []
    for h in range(households + 1):
        household = Household(name=f"Storm {h}")
        db.session.add(household)
        parent = User(display_name=f"Ouder {h}", username=f"ouder-{h}", password_hash=None, locale="nl")
        db.session.add(parent)
        db.session.flush()
        add_member(db.session, household, parent, {Role.household_member})
        endpoints = set()
        for p in range(2):
            safety = User(display_name=f"Veilig {h}-{p}", username=f"veilig-{h}-{p}", password_hash=None, locale="nl")
            db.session.add(safety)
            db.session.flush()
            add_member(db.session, household, safety, {Role.safety_person})
            for d in range(devices // 2 + (devices % 2 if p == 0 else 0)):
                sub = push_service.new_subscription()
                endpoints.add(sub["endpoint"])
                db.session.add(PushSubscription(user=safety, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                                                auth=sub["keys"]["auth"], device_name=f"Telefoon {d}"))
        made.append((household, parent, endpoints))
    db.session.commit()
    return made


def raise_now(household, parent, client_id: str):
    from webapp.auth.models import utcnow
    from webapp.extensions import db
    from webapp.signals import tasks
    from webapp.signals.models import SignalSource
    from webapp.signals.services import raise_signal
    signal, created = raise_signal(db.session, household, parent, client_id, SignalSource.safe_object, "", utcnow(), 0)
    db.session.commit()
    tasks.dispatch(signal)
    assert created
    return signal.id


def last_push(push_service, endpoints: set[str], since: int) -> float:
    """When the last of these phones got its push (messages accepted after index `since`)."""
    with push_service._changed:
        times = [m.received_at for m in push_service._received[since:] if m.endpoint in endpoints]
    assert len(times) == len(endpoints), f"{len(times)} of {len(endpoints)} phones got a push"
    return max(times)


def main() -> None:
    args = parse_args()
    worker = None
    with bench_app("kring-bench-storm-", args.latency) as (instance, push_service):
        try:
            made = seed(push_service, args.households, args.devices)
            alone, storm = made[-1], made[:-1]
            worker = start_worker(instance)
            baseline = _baseline(push_service, alone, args.baseline_runs)

            # The storm: every household raises once, evenly over the storm's seconds.
            push_service.clear()
            started, ids = [], []
            gap = args.seconds / len(storm)
            t0 = time.monotonic()
            for n, (household, parent, _endpoints) in enumerate(storm):
                time.sleep(max(0.0, t0 + n * gap - time.monotonic()))
                started.append(time.monotonic())
                ids.append(raise_now(household, parent, f"storm-{n}"))
            push_service.wait_for(sum(len(e) for _h, _p, e in storm), timeout=300)
            took = [last_push(push_service, endpoints, 0) - start
                    for (_h, _p, endpoints), start in zip(storm, started)]
            for signal_id in ids:
                wait_until_recorded(signal_id, timeout=120)
        finally:
            if worker is not None:
                stop_worker(worker)

    base = statistics.median(baseline)
    ordered = sorted(took)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    print(f"Signal storm: {len(storm)} households x {args.devices} phones within {args.seconds:.0f} s "
          f"(push service latency {args.latency * 1000:.0f} ms, worker {' '.join(worker_args())})")
    print(f"  one signal alone (baseline, {len(baseline)} runs): median {base * 1000:.0f} ms "
          f"(runs: {' '.join(f'{t * 1000:.0f}' for t in baseline)})")
    print(f"  in the storm, raise to the signal's last push: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {ordered[-1] * 1000:.0f} ms")
    print("target: storm p95 at most 3x one signal alone")
    print(f"storm_ratio: {p95 / base:.2f}")


def _baseline(push_service, alone, runs: int) -> list[float]:
    """One signal at a time to the household left out of the storm (the first run warms the worker up)."""
    household, _parent, endpoints = alone
    times = []
    for run in range(runs + 1):
        push_service.clear()
        raiser = _new_raiser(household, run)
        start = time.monotonic()
        signal_id = raise_now(household, raiser, f"alone-{run}")
        push_service.wait_for(len(endpoints), timeout=60)
        took = last_push(push_service, endpoints, 0) - start
        wait_until_recorded(signal_id, timeout=60)
        if run:
            times.append(took)
    return times


def _new_raiser(household, run: int):
    """A new parent per baseline run: a second signal by the same person within two minutes counts as the same
    worry and is not sent again."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Role
    from webapp.households.services import add_member
    user = User(display_name=f"Ouder alleen {run}", username=f"ouder-alleen-{run}", password_hash=None)
    db.session.add(user)
    db.session.flush()
    add_member(db.session, household, user, {Role.household_member})
    db.session.commit()
    return user


if __name__ == "__main__":
    main()
