"""Delivery you can read: per person, which channel reached them and when, or "not reached"; and on the chair's
alert plan, who can be reached by which channel right now and what is missing. Data-driven from `Channel`."""
from sqlalchemy import select

from tests.conftest import make_user, sign_in_as
from tests.signals.conftest import add_device, raise_now
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Role
from webapp.households.services import add_member
from webapp.notify.models import Channel
from webapp.signals import delivery, labels
from webapp.signals.models import Delivery
from webapp.signals.services import REACH_RULES, set_ring


def test_every_channel_has_a_name_a_missing_reason_and_a_reach_rule():
    for channel in Channel:
        assert str(labels.CHANNEL_LABELS[channel.value])
        assert str(labels.CHANNEL_MISSING[channel.value])
        assert channel in REACH_RULES


def test_the_signal_page_says_per_person_which_channel_reached_them_and_when(
        app, client, family, push_service, sender, worker_beating):
    gwen, ned = family.users["safety_person"], family.users["network_member"]
    add_device(gwen, push_service, "Android – Chrome")
    broken = add_device(ned, push_service, "iPhone – Safari")
    ned.email = "ned@example.org"
    # Ned in ring 1 as well, so both are alerted at once.
    rosa = make_user("Neighbour Rosa", "rosa")
    add_member(db.session, family.household, rosa, {Role.safety_person})  # no device, no e-mail: never alerted
    db.session.commit()
    set_ring(db.session, family.membership("network_member"), 1)
    db.session.commit()
    push_service.respond_with(broken.endpoint, 400)
    now = utcnow()
    signal = raise_now(family, now=now)
    while delivery.run(db.session, signal.id, sender, now) is not None:
        pass
    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{family.household.id}/signals/{signal.id}").text
    rows = {name: _row(page, name) for name in ("Grandma Gwen", "Neighbour Ned")}
    assert "Reached" in rows["Grandma Gwen"] and "Not reached" not in rows["Grandma Gwen"] and "Push on Android – Chrome · " in rows["Grandma Gwen"]
    # Ned's phone refused it; the e-mail that followed reached him.
    assert "Reached" in rows["Neighbour Ned"] and "Not reached" not in rows["Neighbour Ned"] and "E-mail · " in rows["Neighbour Ned"]
    assert "Push on iPhone – Safari: did not arrive" in rows["Neighbour Ned"]
    assert "Neighbour Rosa" not in page[page.index('id="alerted-title"'):page.index('id="steps-title"')]
    assert db.session.scalar(select(Delivery).where(Delivery.channel == Channel.email)).user_id == ned.id


def test_someone_nothing_reached_is_shown_as_not_reached(app, client, family, push_service, sender, worker_beating):
    device = add_device(family.users["safety_person"], push_service, "Android – Chrome")
    db.session.commit()
    push_service.respond_with(device.endpoint, 400)
    now = utcnow()
    signal = raise_now(family, now=now)
    delivery.run(db.session, signal.id, sender, now)
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{family.household.id}/signals/{signal.id}").text
    row = _row(page, "Grandma Gwen")
    assert "Not reached" in row and "Push on Android – Chrome: did not arrive" in row


def test_the_alert_plan_shows_each_persons_channels_and_what_is_missing(client, family, push_service):
    add_device(family.users["safety_person"], push_service)
    family.users["chair"].email = "chris@example.org"
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{family.household.id}/alerts").text

    def row(name):
        return _row(page, name)

    assert "Push (1 device)" in row("Grandma Gwen") and "Missing: no e-mail address" in row("Grandma Gwen")
    assert "E-mail</span>" in row("Aunt Chris") and "Missing: no working device" in row("Aunt Chris")
    assert "Cannot be reached: no working device, no e-mail address" in row("Neighbour Ned")


def _row(page: str, name: str) -> str:
    """The table row of this person (its pictures are inline SVG, so no fixed length holds it)."""
    start = page.index(f"<td>{name}</td>")
    return page[start:page.index("</tr>", start)]
