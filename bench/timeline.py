"""Timeline speed: server time of the safety log's week page for a household with a year of entries.

Builds a throwaway database (SQLite in a temporary instance folder, or a fresh schema of the PostgreSQL
database given with --database-url, dropped afterwards) through the real migrations, with a household that
wrote about five entries a day for a year, one that only started this week (the same entries this week), and
a third, unrelated one of 20,000 entries (so the log table is big and the queries must stay within their
household). Then asks for GET /h/<id>/log/ (the newest week) through the Flask test client, signed in as a
member, and prints `timeline_p50_ms: N` and `timeline_p95_ms: N`; as a baseline, the same for every entry on
one page (`all_entries_p50_ms`, `all_entries_p95_ms`, the print view without a period, which shows them all).
The last line reads `ratio: X.XX`: the year's week page against the new household's (target: at most 2).
"""
import argparse
import contextlib
import io
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DAYS, PER_DAY = 365, 5  # a year of entries, about five a day
SMALL_DAYS = 7  # the household that only started this week
OTHER = 20_000
OTHER_MARKER = "ANDER-HUISHOUDEN"  # only in the unrelated household's texts: must never show up

KINDS = ["went_well"] * 30 + ["calm_moment"] * 20 + ["child_wellbeing"] * 20 + ["nearly_wrong"] * 12 + \
        ["went_wrong"] * 8 + ["child_message"] * 10
HAPPENED = [
    "Na school samen boodschappen gedaan, Mila hielp met de lijst.",
    "Bij het avondeten ging het over de ruzie van gisteren; de stemmen werden harder.",
    "Rustig voorgelezen voor het slapen, Mila viel snel in slaap.",
    "Papa kwam onverwacht langs en wilde Mila meenemen.",
    "Mila was stil bij het ophalen en wilde niet vertellen hoe het op school was.",
    "We hebben samen gefietst naar het park en een uur buiten gespeeld.",
    "Er was gedoe over de telefoon; Sanne werd boos en liep weg.",
    "Oma Ria heeft Mila van zwemles gehaald en ze hebben pannenkoeken gegeten.",
    "De knuffel stond op de vensterbank toen ik langskwam.",
    "Mila heeft haar huiswerk zelf gemaakt en was er trots op.",
]
DONE = [
    "Ik heb even pauze genomen in de keuken en ben daarna rustig teruggegaan.",
    "Buurman Kees is gebeld en kwam binnen tien minuten.",
    "We hebben de afspraak uit het plan gevolgd: Mila ging naar oma.",
    "Ik heb gezegd wat ik zag en gevraagd of ze even wilde praten.",
    "Tante Fatima heeft het op de lijst voor het netwerkberaad gezet.",
    "",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to use; the benchmark works in a fresh "
                                               "schema of its own and drops it afterwards (default: SQLite)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first (default 5)")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def configure(args) -> tuple[dict, str | None]:
    """App configuration for a throwaway database; also the PostgreSQL schema made for it, if any."""
    instance = tempfile.mkdtemp(prefix="kring-bench-timeline-")
    os.environ["KRING_INSTANCE"] = instance
    os.environ.pop("KRING_DEMO", None)
    config = {"TESTING": False, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "SERVER_NAME": None}
    if not args.database_url:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance}/bench.sqlite3"
        return config, None
    from sqlalchemy import create_engine, text

    from webapp.config import normalise_database_url
    url = normalise_database_url(args.database_url)
    schema = f"kring_bench_{secrets.token_hex(4)}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    config["SQLALCHEMY_DATABASE_URI"] = url
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True,
                                           "connect_args": {"options": f"-csearch_path={schema}"}}
    return config, schema


def drop_schema(args, schema: str) -> None:
    from sqlalchemy import create_engine, text

    from webapp.config import normalise_database_url
    engine = create_engine(normalise_database_url(args.database_url))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def make_household(name: str, people: list[tuple[str, str]]):
    """A household and its members, through the app's services. Returns (household, [users])."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.households.models import Household, Role
    from webapp.households.services import add_member
    household = Household(name=name)
    db.session.add(household)
    users = []
    roles = [{Role.household_member}, {Role.child}, {Role.safety_person}, {Role.network_member},
             {Role.chair, Role.network_member}]
    for (display_name, username), role in zip(people, roles):
        user = User(display_name=display_name, username=username, locale="nl")
        db.session.add(user)
        db.session.flush()
        add_member(db.session, household, user, role)
        users.append(user)
    db.session.flush()
    return household, users


def fill_log(rng: random.Random, household_id: int, user_ids: list[int], days: int, per_day: int, now: datetime,
             marker: str = "") -> None:
    """`per_day` entries (on average) on each of the last `days` days, mixed kinds and authors, inserted in bulk
    (executemany), with a few highlights, corrections and photo rows as in real use."""
    from webapp.extensions import db
    from webapp.safety_log.models import LogAttachment, LogEntry, LogHighlight
    adults, child = [u for i, u in enumerate(user_ids) if i != 1], user_ids[1]
    rows = []
    moments = sorted((now - timedelta(days=day, hours=rng.uniform(0, 24))).replace(second=0, microsecond=0)
                     for day in range(days) for _ in range(rng.randint(per_day - 2, per_day + 2)))
    count = len(moments)
    for n, occurred in enumerate(moments):
        kind = rng.choice(KINDS)
        rows.append({
            "household_id": household_id, "client_id": f"bench-{household_id}-{n}",
            "author_id": child if kind == "child_message" else rng.choice(adults),
            "recorded_by_id": user_ids[0] if kind == "child_message" else None,
            "kind": kind, "occurred_at": occurred, "created_at": occurred + timedelta(minutes=rng.randint(1, 600)),
            "what_happened": " ".join(rng.sample(HAPPENED, rng.randint(1, 3))) + (f" {marker}" if marker else ""),
            "what_was_done": "" if kind in ("child_message", "child_wellbeing") else " ".join(rng.sample(DONE, rng.randint(1, 2))).strip(),
            "child_mood": rng.randint(1, 5) if kind == "child_wellbeing" or rng.random() < 0.2 else None,
            "pictogram": rng.choice(["happy", "sad", "home", "play"]) if kind == "child_message" else None,
            "agreement_id": None, "version": 2 if rng.random() < 0.03 else 1,
            "updated_at": None, "withdrawn_at": None, "withdrawn_by_id": None,
        })
    conn = db.session.connection()
    for start in range(0, len(rows), 5000):
        conn.execute(LogEntry.__table__.insert(), rows[start:start + 5000])
    ids = list(db.session.scalars(db.select(LogEntry.id).where(LogEntry.household_id == household_id)))
    highlights = [{"entry_id": i, "user_id": rng.choice(adults), "created_at": now} for i in rng.sample(ids, max(1, count // 50))]
    conn.execute(LogHighlight.__table__.insert(), highlights)
    photos = [{"entry_id": i, "household_id": household_id, "kind": "photo", "filename": f"{secrets.token_urlsafe(24)}.jpg",
               "mimetype": "image/jpeg", "width": 1200, "height": 900, "size": 150_000, "created_at": now}
              for i in rng.sample(ids, max(1, count // 30))]
    conn.execute(LogAttachment.__table__.insert(), photos)


def build(seed: int) -> dict[str, tuple[int, int, str]]:
    """The three households; returns {label: (household id, parent's user id, parent's session id)}."""
    from webapp.auth.models import utcnow
    from webapp.extensions import db
    now = utcnow()
    made = {}
    for label, days, per_day, marker in (("small", SMALL_DAYS, PER_DAY, ""), ("year", DAYS, PER_DAY, ""),
                                         ("other", 730, OTHER // 730, OTHER_MARKER)):
        people = [(f"{first} {label.title()}", f"{first.lower()}-{label}")
                  for first in ("Sanne", "Mila", "Ria", "Kees", "Fatima")]
        household, users = make_household(f"Familie {label.title()}", people)
        # The same seed for the year and the new household: their newest days are alike, entry for entry.
        fill_log(random.Random(seed + (label == "other")), household.id, [u.id for u in users], days, per_day, now, marker)
        made[label] = (household.id, users[0].id, users[0].get_id())
    db.session.commit()
    return made


def signed_in_client(app, session_id: str):
    """A test client signed in the way tests/conftest.py's sign_in_as does it."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed


def check_page(client, url: str, expected: int) -> None:
    """The page really is that household's week: its cards, nothing from elsewhere."""
    html = client.get(url).get_data(as_text=True)
    cards = html.count('<article class="entry')
    if cards != expected or OTHER_MARKER in html:
        raise SystemExit(f"{url}: unexpected page ({cards} entries, expected {expected}, marker {OTHER_MARKER in html})")


def week_facts(app, household_id: int) -> tuple[int, str]:
    """How many cards the household's newest week shows, and the ?week= of a week half a year back."""
    from datetime import timedelta as weeks_delta
    from zoneinfo import ZoneInfo

    from webapp.auth.models import utcnow
    from webapp.extensions import db
    from webapp.households.models import Household
    from webapp.safety_log import services
    with app.app_context():
        tz = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])
        household = db.session.get(Household, household_id)
        monday = services.newest_week(db.session, household, services.TimelineFilter(), utcnow(), tz)
        shown = services.week(db.session, household, services.TimelineFilter(), monday, tz)
        return len(shown.entries), (monday - weeks_delta(weeks=26)).isoformat()


def query_plans(app, household_id: int) -> dict[str, list[str]]:
    """How the database runs the week's entries and the look-up of the nearest older week with entries (the
    statements services.week() sends)."""
    from sqlalchemy import select, text

    from webapp.auth.models import utcnow
    from webapp.extensions import db
    from webapp.households.models import Household
    from webapp.safety_log.models import LogEntry
    from webapp.safety_log.services import PAGE_SIZE, TimelineFilter, _filtered, _matching
    with app.app_context():
        household = db.session.get(Household, household_id)
        now = utcnow()
        in_week = TimelineFilter(start=now - timedelta(days=7), end=now)
        queries = {
            "week's entries": _filtered(household, in_week).order_by(LogEntry.occurred_at.desc(), LogEntry.id.desc())
            .limit(PAGE_SIZE + 1),
            "nearest older week": _matching(select(LogEntry.occurred_at), household, TimelineFilter())
            .where(LogEntry.occurred_at < now - timedelta(days=7)).order_by(LogEntry.occurred_at.desc()).limit(1),
        }
        explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
        plans = {}
        for label, query in queries.items():
            compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
            plans[label] = [" | ".join(str(v) for v in row) for row in db.session.execute(text(explain + str(compiled)))]
        return plans


def count_queries(app, client, url: str) -> int:
    from sqlalchemy import event

    from webapp.extensions import db
    seen = []
    with app.app_context():
        engine = db.engine

    def before(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", before)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    config, schema = configure(args)
    try:
        run(args, config)
    finally:
        if schema:
            drop_schema(args, schema)


def run(args, config) -> None:
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.safety_log.models import LogEntry

    app = create_app(config)
    with app.app_context():
        log = io.StringIO()
        with contextlib.redirect_stderr(log):  # Alembic's INFO lines; shown only when the migration fails
            try:
                upgrade()
            except BaseException:
                sys.stderr.write(log.getvalue())
                raise
        started = time.perf_counter()
        made = build(args.seed)
        total = db.session.scalar(db.select(db.func.count()).select_from(LogEntry))
        year_total = db.session.scalar(db.select(db.func.count()).where(LogEntry.household_id == made["year"][0]))
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; {total} log entries in all, "
          f"{year_total} in the household's year, made in {time.perf_counter() - started:.1f} s")

    def measure(client, url: str, requests: int | None = None) -> list[float]:
        for _ in range(args.warmup):
            timed_get(client, url)
        return [timed_get(client, url) for _ in range(requests or args.requests)]

    def report(name: str, times: list[float]) -> None:
        print(f"{name}_p50_ms: {statistics.median(times):.1f}")
        print(f"{name}_p95_ms: {percentile(times, 95):.1f}")

    # The page people open: the newest week, for a year of entries and for a household that started this week.
    medians = {}
    for label in ("small", "year"):
        household_id, _, session_id = made[label]
        client = signed_in_client(app, session_id)
        url = f"/h/{household_id}/log/"
        cards, half_year_back = week_facts(app, household_id)
        check_page(client, url, cards)
        times = measure(client, url)
        medians[label] = statistics.median(times)
        print(f"{label:>5}: newest week, {cards} entries on the page, median {medians[label]:6.2f} ms, "
              f"p95 {percentile(times, 95):6.2f} ms, {count_queries(app, client, url)} queries per page")
        if label == "year":
            report("timeline", times)

    household_id, parent_id, session_id = made["year"]
    client = signed_in_client(app, session_id)
    for label, query in (("a week half a year back", f"week={half_year_back}"), ("filtered on kind 'went_wrong'", "kind=went_wrong"),
                         ("filtered on one author", f"author={parent_id}")):
        print(f" year: {label}: median {statistics.median(measure(client, f'/h/{household_id}/log/?{query}')):6.2f} ms")
    # The baseline: every entry of the year on one page, as a timeline without pages would show them.
    all_url = f"/h/{household_id}/log/print"
    check_page(client, all_url, year_total)
    report("all_entries", measure(client, all_url))

    print("query plans (household with a year of entries, 20,000 others in the table):")
    for label, lines in query_plans(app, household_id).items():
        print(f"  {label}:")
        for line in lines:
            print(f"    {line}")
    ratio = medians["year"] / medians["small"]
    print(f"target: at most 2.00 ({'met' if ratio <= 2 else 'NOT met'})")
    print(f"ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
