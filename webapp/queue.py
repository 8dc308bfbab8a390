"""The background queue on the ground floor: the huey instance every capability's tasks register with, and the
Flask app those tasks run in. Capabilities import it from here; `webapp/worker.py` (the consumer's entry point,
`huey_consumer webapp.worker.huey`) imports every capability's tasks, so nothing below imports the worker.

Huey keeps its queue in SQLite in the instance folder by default, in Redis when REDIS_URL is set.
"""
import os
from pathlib import Path

from huey import RedisHuey, SqliteHuey


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("kring", url=os.environ["REDIS_URL"])
    instance = Path(os.environ.get("KRING_INSTANCE", Path.cwd() / "instance")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("kring", filename=str(instance / "huey.sqlite3"))


huey = _make_huey()
_app = None


def app():
    """The Flask app for tasks in the consumer process, made once."""
    global _app
    if _app is None:
        from webapp import create_app  # the top of the house, made late: only the consumer process needs it
        _app = create_app()
    return _app
