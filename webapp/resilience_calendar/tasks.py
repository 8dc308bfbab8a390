"""Background work of the resilience calendar: the weekly reminder to plan the next week."""
from huey import crontab

from webapp.auth.models import utcnow
from webapp.queue import app, huey


@huey.periodic_task(crontab(day_of_week="0", hour="17", minute="0"))
def weekly_planning_reminder() -> int:
    """Sunday evening (17:00 UTC: 18:00 or 19:00 in the Netherlands): a push to everyone who asked for it."""
    from webapp.extensions import db
    from webapp.resilience_calendar.reminders import weekly_reminders
    from webapp.notify.sender import send_all
    from webapp.notify.services import record_probe
    from webapp.notify.models import PushSubscription
    from webapp.notify.sender import Sender
    with app().app_context():
        reminders = weekly_reminders(db.session, app().config["BABEL_DEFAULT_LOCALE"])
        for outcome in send_all([r.message for r in reminders], Sender(app().config), app().config["PUSH_PARALLEL"]):
            device = db.session.get(PushSubscription, outcome.delivery_id)  # a notice's outcome names its device
            if device is not None:
                record_probe(db.session, device, outcome, utcnow(), check=False)
        db.session.commit()
        db.session.remove()
    return len(reminders)
