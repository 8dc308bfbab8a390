"""Helpers for the signal tests: devices that subscribe at the local push service, and a sender."""
from datetime import datetime

import pytest

from webapp.extensions import db
from webapp.notify.models import PushSubscription
from webapp.notify.sender import Sender
from webapp.signals.models import SignalSource
from webapp.signals.services import raise_signal

NOW = datetime(2026, 11, 20, 20, 0, 0)  # in the past: routes that use the clock may answer


def add_device(user, push_service, name="Android – Chrome") -> PushSubscription:
    sub = push_service.new_subscription()
    device = PushSubscription(user=user, endpoint=sub["endpoint"], p256dh=sub["keys"]["p256dh"],
                              auth=sub["keys"]["auth"], device_name=name)
    db.session.add(device)
    db.session.flush()
    return device


def raise_now(family, by="household_member", now=NOW, client_id="signal-1", source=SignalSource.safe_object,
              undo_seconds=0, note=""):
    signal, created = raise_signal(db.session, family.household, family.users[by], client_id, source, note, now,
                                   undo_seconds)
    db.session.commit()
    return signal


@pytest.fixture
def sender(app, smtp_server):
    app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port, SMTP_STARTTLS=False)
    return Sender(app.config)


@pytest.fixture
def worker_beating(app):
    """A worker that wrote its heartbeat just now, as a running consumer does: pages do not warn that alerts
    cannot go out."""
    from webapp.auth.models import utcnow
    from webapp.health.heartbeat import beat
    beat(db.session, "test-host:1", utcnow())
    db.session.commit()
