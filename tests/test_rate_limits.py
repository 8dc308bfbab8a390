"""Rate limits counted in the database by default: every web process (and machine) sees the same count."""
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select, update

from tests.conftest import make_app
from webapp.extensions import db
from webapp.rate_limits import DatabaseStorage, RateLimitCounter


def test_the_default_store_is_the_database(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "kring-db://"
    assert isinstance(storage_from_string("kring-db://"), DatabaseStorage)


def test_two_stores_as_in_two_processes_count_together(app):
    # Each web process opens its own store: what one counted, the other must see.
    first, second = FixedWindowRateLimiter(DatabaseStorage()), FixedWindowRateLimiter(DatabaseStorage())
    limit = RateLimitItemPerMinute(10)
    allowed = [(first if n % 2 else second).hit(limit, "sign-in", "127.0.0.1") for n in range(12)]
    assert allowed == [True] * 10 + [False] * 2
    assert not first.test(limit, "sign-in", "127.0.0.1") and first.get_window_stats(limit, "sign-in", "127.0.0.1").remaining == 0
    assert second.hit(limit, "sign-in", "10.0.0.2")  # someone else is counted apart


def test_a_window_that_ended_starts_again_and_is_forgotten(app):
    store = DatabaseStorage()
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    db.session.execute(update(RateLimitCounter).values(expires_at=1.0))
    db.session.commit()
    assert store.get("k") == 0
    assert store.incr("k", 60) == 1 and store.get("k") == 1 and store.get_expiry("k") > 1.0
    store.clear("k")
    assert store.get("k") == 0 and store.check()


def test_a_long_key_with_typed_text_is_kept_apart_and_short(app):
    store = DatabaseStorage()
    a, b = "LIMITER/login:" + "x" * 300 + "a", "LIMITER/login:" + "x" * 300 + "b"
    assert store.incr(a, 60) == 1 and store.incr(b, 60) == 1 and store.incr(a, 60) == 2
    assert max(len(k) for k in db.session.scalars(select(RateLimitCounter.key))) <= 255


def test_sign_in_is_limited_through_the_database_store(_schema, family):
    limited = make_app(RATELIMIT_ENABLED=True)
    codes = [limited.test_client().post("/sign-in", data={"login": "chair", "password": "wrong-wrong"}).status_code
             for _ in range(11)]
    assert codes == [401] * 10 + [429]
    with limited.app_context():
        assert db.session.scalar(select(RateLimitCounter.count).where(RateLimitCounter.key.contains("sign_in")))
