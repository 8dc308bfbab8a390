"""Practice drills: a signal drill goes through the real alert path, every message and page says PRACTICE (also a
discreet one), a real signal is never taken for the drill's, it never counts in a figure about signals and closing
it writes nothing in the log; the network sees the drills and their result, the household and the chair plan and
start them."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.signals.conftest import NOW, add_device, sender  # noqa: F401 (a fixture)
from tests.signals.test_sms import texting  # noqa: F401 (a fixture)
from webapp import evidence
from webapp.drills import services
from webapp.drills.models import Drill, DrillKind
from webapp.extensions import db
from webapp.safety_log.models import LogEntry
from webapp.signals import delivery
from webapp.signals import services as signals
from webapp.signals.models import AckKind, Signal, SignalSource


def _drill(family, kind=DrillKind.signal):
    return services.plan(db.session, family.household, family.users["chair"], services.DrillInput(
        kind, "The bear is in the window on a Sunday evening.", NOW, None, [family.membership("safety_person")]))


def _start(family, drill, now=NOW):
    signal = services.start_signal_drill(db.session, family.household, drill, family.users["chair"], now, 0)
    db.session.commit()
    return signal


def test_every_alert_of_a_drill_says_practice_also_on_a_discreet_phone_and_in_dutch(family, push_service, sender,
                                                                                   smtp_server):
    gwen = family.users["safety_person"]  # ring 1: the safety person
    gwen.discreet, gwen.locale = True, "nl"
    add_device(gwen, push_service)
    signal = _start(family, _drill(family))
    assert signal.drill and signal.source == SignalSource.safe_object
    delivery.run(db.session, signal.id, sender, NOW)
    messages = push_service.wait_for(1)
    texts = [m.json["title"] + " " + m.json["body"] for m in messages]
    assert texts and all(("OEFENING" in t) or ("PRACTICE" in t) for t in texts), texts
    assert any(t.startswith("OEFENING: Notities") for t in texts)  # discreet, in Dutch, and still practice


def test_a_real_signal_right_after_a_drill_is_its_own_signal(family):
    drill_signal = _start(family, _drill(family))
    real, created = signals.raise_signal(db.session, family.household, family.users["chair"], "real-1",
                                         SignalSource.safe_object, "", NOW + timedelta(seconds=30), 0)
    assert created and real.id != drill_signal.id and not real.drill
    again = _start(family, db.session.scalar(select(Drill)))  # starting twice gives the same practice signal
    assert again.id == drill_signal.id


def test_a_drill_never_counts_in_a_figure_about_signals_and_closing_it_writes_no_log_entry(app, family):
    from webapp.professionals.services import caseload
    signal = _start(family, _drill(family))
    signals.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going, NOW + timedelta(minutes=2))
    db.session.commit()
    period = evidence.Period(NOW - timedelta(days=1), NOW + timedelta(days=1))
    figures = evidence.signal_responses(db.session, family.household, period)
    assert figures.count == 0 and figures.answered == 0
    assert "Grandma Gwen" not in evidence.network(db.session, family.household, period).active_people
    [line] = caseload(db.session, family.users["professional"].id, NOW)  # the family has granted access
    assert line.open_signals == 0  # the drill's signal is open, and still not a signal on the caseload
    signals.close_with_outcome(db.session, app.instance_path, signal, family.users["chair"], "Gwen came in 4 min.",
                               "went_well", NOW + timedelta(minutes=10))
    db.session.commit()
    assert signal.log_entry_id is None and db.session.scalar(select(func.count(LogEntry.id))) == 0


def test_the_chair_plans_and_starts_a_drill_and_the_network_sees_its_result(client, family):
    h = family.household.id
    sign_in_as(client, family.users["chair"])
    page = client.post(f"/h/{h}/drills/new", data={"kind": "signal", "scenario": "", "agreement": "",
                                                   "day": "2026-12-20", "time": "19:30"}).text
    assert "Write what happens." in page and 'value="19:30"' in page  # explained, nothing typed lost
    answer = client.post(f"/h/{h}/drills/new", data={
        "kind": "signal", "scenario": "Bear in the window", "agreement": "", "day": "2026-12-20", "time": "19:30",
        "participants": [str(family.membership("safety_person").id)]})
    assert answer.status_code == 302
    drill = db.session.scalar(select(Drill))
    assert [m.user.display_name for m in drill.participants] == ["Grandma Gwen"]
    started = client.post(f"/h/{h}/drills/{drill.id}/start")
    signal = db.session.scalar(select(Signal))
    assert started.status_code == 302 and started.headers["Location"] == f"/h/{h}/signals/{signal.id}"
    assert signal.drill
    page = client.get(f"/h/{h}/signals/{signal.id}").text
    assert "This is a practice drill, not a real signal." in page and "PRACTICE: " in page
    assert "PRACTICE" in client.get(f"/h/{h}/signals").text

    from webapp.auth.models import utcnow
    signal.send_at = utcnow() - timedelta(seconds=5)  # past the undo window, as a real signal would be
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    acked = client.post(f"/h/{h}/signals/{signal.id}/ack", data={"kind": "going"})
    assert acked.status_code in (302, 303), acked.status_code
    page = client.get(f"/h/{h}/drills/{drill.id}").text
    assert "First answer after" in page and "Answered: Grandma Gwen." in page
    assert client.post(f"/h/{h}/drills/{drill.id}/start").status_code == 403  # the network takes part, does not start

    sign_in_as(client, family.users["household_member"])
    assert client.post(f"/h/{h}/drills/{drill.id}/learned", data={"learned": " "}).status_code == 422
    assert client.post(f"/h/{h}/drills/{drill.id}/learned", data={"learned": "Gwen was there in 4 minutes."}
                       ).status_code == 302
    assert "Gwen was there in 4 minutes." in client.get(f"/h/{h}/drills/").text or \
        "Gwen was there in 4 minutes." in client.get(f"/h/{h}/drills/{drill.id}").text


def test_drills_are_in_the_household_export_and_go_with_the_household(app, family):
    import io
    import json
    import zipfile
    from webapp.ownership.services import erase_household, export_household
    _start(family, _drill(family))
    with app.test_request_context():
        archive = zipfile.ZipFile(io.BytesIO(export_household(db.session, app.instance_path, family.household)))
    [exported] = json.loads(archive.read("practice_drills.json"))
    assert exported["kind"] == "signal" and exported["participants"] == ["Grandma Gwen"]
    assert json.loads(archive.read("signals.json"))[0]["practice"] is True
    erase_household(db.session, app.instance_path, family.household)
    db.session.commit()
    assert db.session.scalar(select(func.count(Drill.id))) == 0


def test_the_meeting_pack_and_the_summary_say_when_the_plan_was_tested_and_how_fast_the_network_answered(client,
                                                                                                      family):
    from tests.meetings.conftest import plan
    from webapp.auth.models import utcnow
    h = family.household.id
    plan(family, utcnow() - timedelta(days=20))
    meeting = plan(family)
    drill = _drill(family)
    signal = _start(family, drill, now=utcnow() - timedelta(days=3))
    signals.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going,
                        signal.send_at + timedelta(seconds=180))
    services.finish(drill, "Gwen came quickly.", utcnow() - timedelta(days=3))
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    pack = client.get(f"/h/{h}/meetings/{meeting.id}/pack").text
    assert "First answer after 3 minutes." in pack and "Gwen came quickly." in pack
    assert "0 signals" in pack  # the drill is no signal
    sign_in_as(client, family.users["household_member"])
    summary = client.get(f"/h/{h}/summary").text
    assert "The plan was last tested on" in summary and "Gwen came quickly." in summary


def test_a_drills_text_message_says_practice_and_stays_plain(family, texting, sms_provider):
    from tests.signals.test_sms import RIA, confirmed
    confirmed(family.users["safety_person"], RIA)
    signal = _start(family, _drill(family))
    delivery.run(db.session, signal.id, texting, NOW)
    [message] = sms_provider.wait_for(1)
    assert message.to == RIA and message.body.startswith("PRACTICE: ")
    assert message.body.isascii()  # one curly quote would make every part of the text cost twice
