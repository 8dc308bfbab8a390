"""Background work of the resilience calendar: the weekly reminder to plan the next week."""
from huey import crontab

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.notify.services import send_notices
from webapp.queue import app, huey
from webapp.resilience_calendar.reminders import weekly_reminders


@huey.periodic_task(crontab(day_of_week="0", hour="17", minute="0"))
def weekly_planning_reminder() -> int:
    """Sunday evening (17:00 UTC: 18:00 or 19:00 in the Netherlands): a push to everyone who asked for it."""
    with app().app_context():
        reminders = weekly_reminders(db.session, app().config["BABEL_DEFAULT_LOCALE"])
        send_notices(db.session, [r.message for r in reminders], app().config, utcnow())
        db.session.commit()
        db.session.remove()
    return len(reminders)
