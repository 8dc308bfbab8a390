"""Flask extensions, created unbound here and initialised in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    @classmethod
    def __table_cls__(cls, *args, **kwargs) -> Table:
        # SQLite hands the highest id out again once its row is deleted: a removed phone's id went to the next
        # phone, and the alerts waiting for it with it. AUTOINCREMENT never reuses an id (PostgreSQL's
        # sequences never do). Every model's table, so that the migrated schema and the models agree.
        kwargs.setdefault("sqlite_autoincrement", True)
        return Table(*args, **kwargs)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login = LoginManager()
csrf = CSRFProtect()
# One date style everywhere, whatever a template asks for: "4 december 2026", and "4 december 2026, 21:55" with a
# time; "full" adds the weekday. Numeric dates ("04-12-2026") read differently per country and are easy to misread.
DAY = "d MMMM y"
DATE_FORMATS = {
    "time": "short", "date": "long", "datetime": "long",
    **{f"time.{size}": "HH:mm" for size in ("short", "medium", "long", "full")},
    **{f"date.{size}": DAY for size in ("short", "medium", "long")}, "date.full": f"EEEE {DAY}",
    **{f"datetime.{size}": f"{DAY}, HH:mm" for size in ("short", "medium", "long")},
    "datetime.full": f"EEEE {DAY}, HH:mm",
}
babel = Babel(date_formats=DATE_FORMATS)
limiter = Limiter(key_func=get_remote_address, default_limits=[])
