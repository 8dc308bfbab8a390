"""Background work of network meetings on huey (registered by webapp.worker): sending invitations, changes,
cancellations and "the minutes are ready". Views enqueue after their commit; the task reads the meeting fresh."""
from zoneinfo import ZoneInfo

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.meetings import notices
from webapp.meetings.models import Meeting
from webapp.notify import services as notify
from webapp.queue import app, huey


@huey.task()
def send_notices(meeting_id: int, user_ids: list[int], kind: str) -> int:
    """Push to everyone's devices and e-mail with the calendar file; each device's outcome is recorded on it."""
    config = app().config
    with app().app_context():
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return 0
        settings = notices.Settings(config["BASE_URL"], config["BABEL_DEFAULT_LOCALE"],
                                    ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"]))
        messages = notices.messages(db.session, meeting, user_ids, kind, settings)
        notify.send_notices(db.session, messages, config, utcnow())
        db.session.commit()
        db.session.remove()
    return len(messages)
