"""Rate-limit counters that every web process shares: Redis when RATELIMIT_STORAGE_URI or REDIS_URL names one,
else a table in Kring's own database (the `kring-db://` store below, for the `limits` library that Flask-Limiter
counts with). In memory would give each of the server's processes its own count: five processes, five times the
guesses at a password."""
import random
import time

import hashlib
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db

SCHEME = "kring-db"


class RateLimitCounter(db.Model):
    """One fixed window of one limit: how often, and until when (seconds since the epoch)."""
    __tablename__ = "rate_limit"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Flask-Limiter's key: the limit, the route and who is counted (an IP address, or a user id for some routes).
    key: Mapped[str] = mapped_column(String(255), unique=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


def _key(key: str) -> str:
    """Keys carry what was typed (a login name) and may be long: a long one is shortened to a digest of itself."""
    return key if len(key) <= 255 else f"{key[:190]}#{hashlib.sha256(key.encode()).hexdigest()}"


class DatabaseStorage(Storage):
    """Fixed-window counters in the app's database. Each count is one atomic INSERT ... ON CONFLICT DO UPDATE on
    its own connection and transaction, so it holds across processes and machines and never waits for (or rolls
    back with) the page's own transaction."""
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return db.engine  # the app's own engine (its pool, its SQLite settings); needs the app context

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        engine = self._engine()
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        expired = table.c.expires_at <= now
        statement = insert(table).values(key=_key(key), count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((expired, amount), else_=table.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.count)
        with engine.begin() as conn:
            count = conn.execute(statement).scalar_one()
            if random.random() < 0.02:  # now and then, forget windows that have ended (they hold IP addresses)
                conn.execute(delete(table).where(table.c.expires_at < now))
        return count

    def _row(self, key: str):
        with self._engine().connect() as conn:
            return conn.execute(select(RateLimitCounter.__table__).where(
                RateLimitCounter.__table__.c.key == _key(key))).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row is not None and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(delete(RateLimitCounter.__table__).where(RateLimitCounter.__table__.c.key == _key(key)))
