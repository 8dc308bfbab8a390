"""The background worker's entry point: the huey queue (webapp/queue.py) with every capability's tasks.

The run command starts a consumer beside the web server; at scale it runs as its own process
(`huey_consumer webapp.worker.huey`) on any machine that shares the database and Redis. Capabilities never import
this module (it sits above them all): their tasks import the queue from webapp/queue.py.
"""
from huey import crontab

from webapp.queue import app, huey  # noqa: F401  (huey_consumer webapp.worker.huey finds it here)


@huey.periodic_task(crontab(minute="17", hour="3"))
def purge_stale_invitations() -> int:
    """Forget invitation links that ended more than a month ago."""
    from webapp.extensions import db
    from webapp.invitations.services import purge_stale
    with app().app_context():
        removed = purge_stale(db.session)
        db.session.commit()
        return removed


@huey.periodic_task(crontab(minute="5"))
def erase_closed_households() -> int:
    """Erase households whose closing grace period has ended (hourly)."""
    from webapp.extensions import db
    from webapp.ownership.services import erase_due
    with app().app_context():
        erased = erase_due(db.session, app().instance_path, app().config["ERASE_GRACE_DAYS"])
        db.session.commit()
        return erased


@huey.on_startup()
def start_heartbeat() -> None:
    # Every few seconds this consumer writes that it is alive (webapp/health/heartbeat.py says why a thread).
    from webapp.health import heartbeat
    heartbeat.start(app, huey)


# The capabilities' tasks, registered with this huey when the consumer imports this module.
from webapp.signals import tasks as _signal_tasks  # noqa: E402,F401
from webapp.safety_scales import tasks as _scale_tasks  # noqa: E402,F401
from webapp.resilience_calendar import tasks as _calendar_tasks  # noqa: E402,F401
from webapp.meetings import tasks as _meeting_tasks  # noqa: E402,F401
from webapp.professionals import tasks as _professional_tasks  # noqa: E402,F401
from webapp.auth import tasks as _auth_tasks  # noqa: E402,F401
