"""Retention: old per-device delivery records and signals taken back at once are forgotten after the
operator's number of days; the signals themselves, their answers and steps stay as evidence."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.signals.conftest import NOW, add_device, raise_now
from webapp.extensions import db
from webapp.signals import services
from webapp.signals.models import AckKind, Delivery, DeliveryAttempt, Signal


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_old_delivery_records_go_after_the_retention_time_and_the_evidence_stays(app, family, push_service):
    add_device(family.users["safety_person"], push_service)
    kept = raise_now(family, client_id="kept-1")
    db.session.add(DeliveryAttempt(delivery_id=kept.deliveries[0].id, status_code=201, outcome="accepted"))
    services.acknowledge(db.session, kept, family.users["safety_person"], AckKind.going, NOW + timedelta(seconds=30))
    services.close(db.session, kept, family.users["safety_person"], "Calm", NOW + timedelta(minutes=5))
    undone = raise_now(family, client_id="undone-1", by="chair", undo_seconds=10)
    services.undo(db.session, undone, family.users["chair"], NOW)
    still_open = raise_now(family, client_id="open-1", by="network_member")
    db.session.commit()

    assert services.purge_old_deliveries(db.session, NOW + timedelta(days=89), 90) == 0  # time travel: not yet
    db.session.commit()
    assert _count(Delivery) == 4 and _count(Signal) == 3

    services.purge_old_deliveries(db.session, NOW + timedelta(days=91), 90)
    db.session.commit()
    db.session.expire_all()
    assert {s.client_id for s in db.session.scalars(select(Signal))} == {"kept-1", "open-1"}
    assert _count(DeliveryAttempt) == 0
    assert [d.signal_id for d in db.session.scalars(select(Delivery))] == [still_open.id] * len(still_open.deliveries)
    kept = db.session.get(Signal, kept.id)
    assert kept.acknowledgements and kept.events and kept.outcome == "Calm"


def test_the_privacy_page_says_how_long_things_are_kept_in_plain_words(app, client):
    app.config.update(ERASE_GRACE_DAYS=14, DELIVERY_RETENTION_DAYS=90)
    html = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "erased after 14 days" in html and "kept for 90 days" in html
