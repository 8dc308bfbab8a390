"""Removing professionals whose access has ended from the household, on huey (registered by webapp.worker)."""
from huey import crontab

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.professionals.services import retire_ended
from webapp.queue import app, huey


# Every five minutes: the access rule refuses them at once anyway; this takes them off the household's list of
# people (and the household off theirs) soon after.
@huey.periodic_task(crontab(minute="*/5"))
def retire_ended_access() -> int:
    with app().app_context():
        removed = retire_ended(db.session, utcnow())
        db.session.commit()
        db.session.remove()
    return removed
