"""SMS as an alert channel, against a local fake of Twilio's API: who gets a text and when, what it says,
the household's limits, the all-clear, confirming a number, and answering "1" / "2" by text."""
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.signals.conftest import NOW, add_device, raise_now
from webapp.extensions import db
from webapp.notify.models import Channel, SmsNumber
from webapp.notify.sender import Sender
from webapp.signals import delivery, services, sms_numbers
from webapp.signals.models import AckKind, Acknowledgement, Delivery, DeliveryStatus, Purpose, SmsChoice, SmsPreference

RIA = "+31612345678"
KEES = "+31687654321"


@pytest.fixture
def texting(app, sms_provider, smtp_server):
    """Kring with SMS on, pointed at the fake provider (and a mail server for the fallback): the sender."""
    app.config.update(sms_provider.config(), SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port,
                      SMTP_STARTTLS=False, BASE_URL="https://kring.example.nl")
    return Sender(app.config)


def confirmed(user, number):
    db.session.add(SmsNumber(user_id=user.id, number=number, confirmed_at=NOW - timedelta(days=1)))
    db.session.commit()


def _run(signal, sender, now=NOW):
    return delivery.run(db.session, signal.id, sender, now)


def _texts(signal):
    return [d for d in signal.deliveries if d.channel == Channel.sms]


# --- who gets a text, and when ---------------------------------------------------------------------------

def test_someone_with_only_a_confirmed_number_gets_a_discreet_text(family, texting, sms_provider):
    family.users["household_member"].phone = "06 11112222"
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family, note="Bear on the windowsill")
    _run(signal, texting)
    [message] = sms_provider.wait_for(1)
    assert message.to == RIA and message.sender == sms_provider.sender
    assert "please open the app or call Parent: 06 11112222" in message.body
    assert "Reply 1: I am going. Reply 2: I am calling." in message.body
    assert message.body.isascii()  # one curly quote would make the provider charge every part twice
    for secret in ("Bear", "Family Test", "Kim", "worried"):
        assert secret not in message.body
    [text] = _texts(signal)
    assert text.status == DeliveryStatus.sent and text.attempts == 1 and text.phone == RIA
    assert text.provider_id == message.sid and text.cost_units == 1
    assert [a.outcome for a in text.attempt_log] == ["accepted"]


def test_a_discreet_person_gets_notes_and_no_link(family, texting, sms_provider):
    family.users["safety_person"].discreet = True
    confirmed(family.users["safety_person"], RIA)
    _run(raise_now(family), texting)
    [message] = sms_provider.wait_for(1)
    assert message.body.startswith("Notes: ") and "Kring" not in message.body and "http" not in message.body


def test_someone_with_a_working_phone_gets_the_text_only_when_the_push_was_not_taken_in_time(
        family, texting, sms_provider, push_service):
    confirmed(family.users["safety_person"], RIA)
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family)
    assert [d.channel for d in signal.deliveries] == [Channel.push]
    push_service.respond_with(_endpoint(signal), 500)
    _run(signal, texting)  # the push service is in trouble: a retry waits, nothing was taken
    assert sms_provider.received == []
    assert services.escalate(db.session, signal.id, NOW + timedelta(minutes=3))
    [text] = _texts(signal)
    assert text.ring == 1 and text.phone == RIA


def _endpoint(signal):
    return signal.deliveries[0].subscription.endpoint


def test_a_push_that_was_taken_means_no_text(family, texting, sms_provider, push_service):
    confirmed(family.users["safety_person"], RIA)
    add_device(family.users["safety_person"], push_service)
    signal = raise_now(family)
    _run(signal, texting)
    push_service.wait_for(1)
    services.escalate(db.session, signal.id, NOW + timedelta(minutes=3))
    assert [d for d in _texts(signal) if d.user_id == family.users["safety_person"].id] == []


def test_choosing_always_texts_beside_the_push(family, texting, sms_provider, push_service):
    confirmed(family.users["safety_person"], RIA)
    add_device(family.users["safety_person"], push_service)
    db.session.add(SmsPreference(membership_id=family.membership("safety_person").id, choice=SmsChoice.always))
    db.session.commit()
    signal = raise_now(family)
    assert sorted(d.channel.value for d in signal.deliveries) == ["push", "sms"]


def test_a_push_that_fails_for_good_brings_the_text_at_once(family, texting, sms_provider, push_service):
    confirmed(family.users["safety_person"], RIA)
    device = add_device(family.users["safety_person"], push_service)
    push_service.respond_with(device.endpoint, 400)
    signal = raise_now(family)
    assert _run(signal, texting) == NOW  # the text is due at once
    _run(signal, texting)
    [message] = sms_provider.wait_for(1)
    assert message.to == RIA


def test_no_text_when_sms_is_off(app, family, push_service):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    assert _texts(signal) == []


def test_a_hidden_member_is_never_texted(family, texting, sms_provider):
    confirmed(family.users["chair"], KEES)
    family.membership("chair").signals_hidden = True
    db.session.commit()
    signal = raise_now(family)
    _run(signal, texting)
    assert sms_provider.received == [] and _texts(signal) == []


# --- bounded -----------------------------------------------------------------------------------------------

def test_the_households_hourly_limit_falls_back_to_e_mail_and_says_so(app, family, texting, sms_provider, smtp_server):
    app.config["SMS_PER_HOUR"] = 1
    services.set_ring(db.session, family.membership("chair"), 1)
    family.users["chair"].email = "chris@example.org"
    family.users["safety_person"].email = "gwen@example.org"
    confirmed(family.users["safety_person"], RIA)
    confirmed(family.users["chair"], KEES)
    signal = raise_now(family)
    _run(signal, texting)
    _run(signal, texting)
    assert len(sms_provider.wait_for(1)) == 1
    [refused] = [d for d in _texts(signal) if d.status == DeliveryStatus.failed]
    assert "limit per hour" in refused.last_error  # shown with the delivery on the signal page
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == refused.user.email


def test_a_number_outside_the_allowed_countries_is_not_texted(app, family, texting, sms_provider):
    confirmed(family.users["safety_person"], "+447700900123")
    signal = raise_now(family)
    _run(signal, texting)
    assert sms_provider.received == []
    [text] = _texts(signal)
    assert text.status == DeliveryStatus.failed and text.last_error == delivery.COUNTRY_NOT_ALLOWED


def test_a_refused_text_goes_by_e_mail_and_a_provider_in_trouble_is_retried(family, texting, sms_provider, smtp_server):
    family.users["safety_person"].email = "gwen@example.org"
    confirmed(family.users["safety_person"], RIA)
    sms_provider.respond_with(503)
    signal = raise_now(family)
    retry = _run(signal, texting)
    [text] = _texts(signal)
    assert text.status == DeliveryStatus.queued and retry == NOW + timedelta(seconds=5)
    sms_provider.respond_with(400)
    _run(signal, texting, NOW + timedelta(seconds=5))
    _run(signal, texting, NOW + timedelta(seconds=5))
    assert text.status == DeliveryStatus.failed and "400" in text.last_error
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "gwen@example.org"


# --- all-clear and retention ---------------------------------------------------------------------------------

def test_whoever_got_the_alert_by_text_gets_the_all_clear_by_text(family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    _run(signal, texting)
    assert services.close(db.session, signal, family.users["household_member"], "All fine", NOW + timedelta(minutes=5))
    db.session.commit()
    _run(signal, texting, NOW + timedelta(minutes=5))
    alert, all_clear = sms_provider.wait_for(2)
    assert all_clear.to == RIA and "all is calm again" in all_clear.body and "All fine" not in all_clear.body


def test_text_records_are_forgotten_with_the_other_deliveries(family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    _run(signal, texting)
    services.close(db.session, signal, family.users["household_member"], "ok", NOW)
    db.session.commit()
    services.purge_old_deliveries(db.session, NOW + timedelta(days=91), 90)
    db.session.commit()
    assert db.session.scalars(select(Delivery.phone)).all() == []


# --- confirming a number -----------------------------------------------------------------------------------

def _code(message):
    return message.body.split("code is ")[1][:6]


def test_a_person_confirms_their_number_with_the_code_sent_to_it(client, family, texting, sms_provider):
    sign_in_as(client, family.users["network_member"])
    page = client.get("/settings/devices").text
    assert "Alerts by SMS" in page and "Send me a code" in page
    response = client.post("/settings/sms/number", data={"number": "06 1234 5678"})
    assert response.status_code == 302
    [message] = sms_provider.wait_for(1)
    assert message.to == RIA and "It works for 10 minutes" in message.body
    row = db.session.scalar(select(SmsNumber))
    assert row.confirmed_at is None and _code(message) not in (row.code_hash or "")
    wrong = "000000" if _code(message) != "000000" else "111111"
    assert client.post("/settings/sms/confirm", data={"code": wrong}).status_code == 400
    assert client.post("/settings/sms/confirm", data={"code": _code(message)}).status_code == 302
    db.session.refresh(row)
    assert row.confirmed_at is not None
    page = client.get("/settings/devices").text
    assert "+31 6 12345678" in page and "Family Test" in page


def test_a_code_stops_working_after_five_wrong_tries_and_after_ten_minutes(family, app):
    user = family.users["network_member"]
    row, code = sms_numbers.start(db.session, user, "0612345678", [31], "secret", NOW)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert not sms_numbers.confirm(db.session, user, wrong, "secret", NOW)
    assert not sms_numbers.confirm(db.session, user, code, "secret", NOW)
    row, code = sms_numbers.start(db.session, user, "0612345678", [31], "secret", NOW)
    assert not sms_numbers.confirm(db.session, user, code, "secret", NOW + timedelta(minutes=11))
    assert row.confirmed_at is None


def test_only_mobile_numbers_in_allowed_countries_and_a_few_codes_a_day(family, app):
    user = family.users["network_member"]
    with app.test_request_context(), force_locale("en"):  # the refusal is in the person's language
        for number in ("+44 7700 900123", "020 123 4567", "hello"):
            with pytest.raises(sms_numbers.NumberRefused):
                sms_numbers.start(db.session, user, number, [31, 32, 49], "secret", NOW)
        for _ in range(5):
            sms_numbers.start(db.session, user, "+32 470 12 34 56", [31, 32, 49], "secret", NOW)
        with pytest.raises(sms_numbers.NumberRefused, match="too many codes"):
            sms_numbers.start(db.session, user, "+32 470 12 34 56", [31, 32, 49], "secret", NOW)


def test_the_settings_page_says_when_sms_is_off(client, family):
    sign_in_as(client, family.users["network_member"])
    assert "This Kring does not send text messages." in client.get("/settings/devices").text
    assert client.post("/settings/sms/number", data={"number": "0612345678"}).status_code == 400


def test_a_person_chooses_per_household_when_texts_come(client, family, texting):
    confirmed(family.users["safety_person"], RIA)
    membership = family.membership("safety_person")
    sign_in_as(client, family.users["safety_person"])
    client.post(f"/settings/sms/choice/{membership.id}",
                data={f"m{membership.id}-membership_id": str(membership.id), f"m{membership.id}-choice": "fallback"})
    assert db.session.scalar(select(SmsPreference.choice)) == SmsChoice.fallback
    # Someone else's membership is not theirs to set.
    other = family.membership("chair")
    client.post(f"/settings/sms/choice/{other.id}",
                data={f"m{other.id}-membership_id": str(other.id), f"m{other.id}-choice": "always"})
    assert db.session.scalar(select(SmsPreference).where(SmsPreference.membership_id == other.id)) is None


# --- replies by text ---------------------------------------------------------------------------------------------

WEBHOOK = "https://kring.example.nl/sms/reply"


def _reply(client, sms_provider, sender, body, token=None):
    form, headers = sms_provider.signed_reply(WEBHOOK, sender, body, token)
    return client.post("/sms/reply", data=form, headers=headers)


def test_replying_1_records_i_am_going_for_the_newest_open_signal(client, family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    _run(signal, texting)
    response = _reply(client, sms_provider, RIA, " 1 ")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert "The others see that you are going." in response.text
    [ack] = db.session.scalars(select(Acknowledgement)).all()
    assert ack.user_id == family.users["safety_person"].id and ack.kind == AckKind.going
    _reply(client, sms_provider, RIA, "2")
    db.session.refresh(ack)
    assert ack.kind == AckKind.calling


def test_a_reply_without_the_providers_signature_is_refused(client, family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    _run(signal, texting)
    assert _reply(client, sms_provider, RIA, "1", token="not-the-token").status_code == 403
    assert db.session.scalar(select(Acknowledgement)) is None


def test_no_answer_for_a_number_that_was_not_alerted_or_a_hidden_member(client, family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    confirmed(family.users["chair"], KEES)
    signal = raise_now(family)
    _run(signal, texting)
    assert "No alert is waiting for your answer." in _reply(client, sms_provider, KEES, "1").text
    family.membership("safety_person").signals_hidden = True
    db.session.commit()
    _reply(client, sms_provider, RIA, "1")
    assert db.session.scalar(select(Acknowledgement)) is None


def test_anything_else_gets_a_short_help_text(app, client, family, texting, sms_provider):
    response = _reply(client, sms_provider, RIA, "who is this?")  # a number Kring does not know: Kring's language
    assert "Stuur 1 als je gaat, of 2 als je belt." in response.text
    confirmed(family.users["safety_person"], RIA)  # Gwen's own language
    assert "Reply 1 if you are going, or 2 if you are calling." in _reply(client, sms_provider, RIA, "hello?").text


def test_check_config_says_when_sms_is_off(app):
    from webapp.config_check import check
    with app.app_context():
        texts = [f.text for f in check(app, db.engine)]
    assert any(t.startswith("SMS is off") for t in texts)


def test_the_signal_page_says_the_alert_went_by_sms(client, family, texting, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    signal = raise_now(family)
    _run(signal, texting)
    sign_in_as(client, family.users["household_member"])
    html = client.get(f"/h/{family.household.id}/signals/{signal.id}").text
    reached = html.split("Reached", 1)[1].split("</td>", 1)[0]
    assert "SMS ·" in reached and "E-mail" not in reached


def test_a_persons_own_download_holds_their_mobile_number(app, family):
    import io
    import json
    import zipfile
    from webapp.ownership.services import export_person
    confirmed(family.users["safety_person"], RIA)
    data = export_person(db.session, app.instance_path, family.users["safety_person"])
    alerts = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("alerts.json"))
    assert alerts["sms_number"][0]["number"] == RIA


def test_the_alert_plan_shows_sms_as_a_channel_only_when_it_is_set_up(app, client, family, sms_provider):
    confirmed(family.users["safety_person"], RIA)
    sign_in_as(client, family.users["chair"])
    plan = client.get(f"/h/{family.household.id}/alerts").text
    assert "no confirmed mobile number" not in plan  # SMS off: nobody is told to add a number
    app.config.update(sms_provider.config())
    plan = client.get(f"/h/{family.household.id}/alerts").text
    gwen = plan.split("Grandma Gwen", 1)[1].split("</tr>", 1)[0]
    ned = plan.split("Neighbour Ned", 1)[1].split("</tr>", 1)[0]
    assert "SMS" in gwen and "no confirmed mobile number" not in gwen
    assert "no confirmed mobile number" in ned
