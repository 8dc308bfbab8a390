"""The monthly reminder to score the safety scales, on huey (registered by webapp.worker)."""
from zoneinfo import ZoneInfo

from huey import crontab

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.notify.services import send_notices
from webapp.queue import app, huey
from webapp.safety_scales import services


# The 20th at 17:30 UTC (early evening in Europe): ten days left to score before the month is over.
@huey.periodic_task(crontab(day="20", hour="17", minute="30"))
def remind_to_score() -> int:
    """A discreet push to everyone in a network who has not scored every active scale this month."""
    config = app().config
    with app().app_context():
        now = utcnow()
        messages = []
        for reminder in services.people_to_remind(db.session, now, ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])):
            messages += services.reminder_messages(db.session, reminder, config["BABEL_DEFAULT_LOCALE"])
        send_notices(db.session, messages, config, now)
        db.session.commit()
        db.session.remove()
    return len(messages)
