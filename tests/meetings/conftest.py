"""Helpers for the network meeting tests: a meeting planned straight through the service, and a sender that
reaches the tests' local mail server."""
from datetime import datetime, timedelta

import pytest

from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.meetings import services
from webapp.meetings.models import Meeting
from webapp.notify.sender import Sender
from webapp.safety_scales.services import StatementInput, add_statement

NETWORK_KEYS = ("household_member", "safety_person", "network_member", "chair")


def plan(family, starts_at: datetime | None = None, place: str = "At Pat's home", chair: str = "chair",
         invited=NETWORK_KEYS, topics=(), now: datetime | None = None) -> Meeting:
    """A planned meeting (in a week unless told); a meeting in the past is planned first, then moved back."""
    now = now or utcnow()
    when = starts_at or now + timedelta(days=7)
    data = services.MeetingInput(max(when, now + timedelta(minutes=1)), 90, place, "",
                                 family.users[chair].id if chair else None, [s.id for s in topics],
                                 [family.users[k].id for k in invited])
    meeting = services.plan_meeting(db.session, family.household, family.users["chair"], data, now)
    meeting.starts_at = when
    db.session.commit()
    return meeting


def statement(family, name: str = "Calm evenings"):
    made = add_statement(db.session, family.household, family.users["chair"], StatementInput(
        "Grandma Gwen", "Shouting at bedtime", "Kim gets scared", "Calm bedtimes", name), utcnow())
    db.session.commit()
    return made


@pytest.fixture
def mail_sender(app, smtp_server) -> Sender:
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    return Sender(app.config)
