"""Routes for signals: raising one (adult or child), its page with who was alerted and who answered,
answering from a notification, closing, the history, the alert plan, and a person's devices."""
import uuid

from flask import Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import household_permission, may, nav_membership, public, signed_in
from webapp.child_lock import child_page
from webapp.children.services import safety_people
from webapp.extensions import csrf, db, limiter
from webapp.households.models import Role
from webapp.households.services import people_with_role
from webapp.notify import devices, sms
from webapp.notify.messages import text
from webapp.notify.sender import Sender
from webapp.signals import delivery, labels, services, sms_numbers, tasks
from webapp.signals.forms import (
    AckForm, AvailabilityForm, ChildSignalForm, CloseForm, NotificationTextForm, SignalForm, SmsChoiceForm, SmsCodeForm,
    SmsNumberForm, alert_plan_form,
)
from webapp.signals.models import AckKind, SignalSource, SignalStatus, SmsChoice

bp = Blueprint("signals", __name__)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _signal_or_404(signal_id: int):
    signal = services.signal_in(db.session, g.household, signal_id)
    if signal is None:
        abort(404)
    return signal


def _call_list():
    """Who the person who signalled can call right now: ring 1 first, then the rest of the plan."""
    plan = services.rings(db.session, g.household)
    return [m for ring in services.RINGS for m in plan[ring] if m.user_id != current_user.id and m.user.phone]


def _raise(form, source: SignalSource):
    signal, created = services.raise_signal(
        db.session, g.household, current_user, form.client_id.data, source, form.data.get("note") or "",
        utcnow(), current_app.config["SIGNAL_UNDO_SECONDS"],
        child=g.get("child") if source == SignalSource.child else None)
    db.session.commit()
    if created:
        tasks.dispatch(signal)
    return signal, created


@bp.route("/h/<int:household_id>/signals/new", methods=["GET", "POST"])
@household_permission("signal.raise")
def raise_signal(household_id: int):
    form = SignalForm()
    if not form.is_submitted():
        form.client_id.data = str(uuid.uuid4())
    elif form.validate():
        signal, created = _raise(form, SignalSource.safe_object)
        if _wants_json():
            return jsonify(id=signal.id, url=url_for(".signal", household_id=household_id, signal_id=signal.id)), (201 if created else 200)
        return redirect(url_for(".signal", household_id=household_id, signal_id=signal.id))
    elif _wants_json():
        return jsonify(errors={k: [str(e) for e in v] for k, v in form.errors.items()}), 422
    return render_template("signals/raise.html", form=form, call_list=_call_list(),
                           safety_people=people_with_role(db.session, g.household, Role.safety_person)), \
        (422 if form.is_submitted() else 200)


@bp.route("/h/<int:household_id>/child/worried", methods=["GET", "POST"])
@child_page("signal.child")
def child_worried(household_id: int):
    form = ChildSignalForm()
    if not form.is_submitted():
        form.client_id.data = str(uuid.uuid4())
    elif form.validate():
        signal, created = _raise(form, SignalSource.child)
        if _wants_json():
            return jsonify(id=signal.id, url=url_for(".child_status", household_id=household_id, signal_id=signal.id)), (201 if created else 200)
        return redirect(url_for(".child_status", household_id=household_id, signal_id=signal.id))
    return render_template("signals/child_worried.html", form=form, call_list=_call_list(),
                           safety_people=safety_people(db.session, g.child) if g.child else
                           people_with_role(db.session, g.household, Role.safety_person))


@bp.route("/h/<int:household_id>/child/signals/<int:signal_id>")
@child_page("signal.child")
def child_status(household_id: int, signal_id: int):
    signal = _signal_or_404(signal_id)
    template = "signals/_child_status.html" if request.args.get("part") else "signals/child_status.html"
    return render_template(template, signal=signal, now=utcnow(), form=EmptyForm(),
                           responders=[a.user for a in signal.acknowledgements if a.user is not None])


@bp.route("/h/<int:household_id>/signals/<int:signal_id>")
@household_permission("signal.read")
def signal(household_id: int, signal_id: int):
    signal = _signal_or_404(signal_id)
    template = "signals/_live.html" if request.args.get("part") else "signals/signal.html"
    mine = next((a for a in signal.acknowledgements if a.user_id == current_user.id), None)
    return render_template(template, signal=signal, now=utcnow(), recipients=services.recipients(signal),
                           call_list=_call_list(), my_ack=mine, form=EmptyForm(), close_form=CloseForm())


@bp.route("/h/<int:household_id>/signals/<int:signal_id>/undo", methods=["POST"])
@household_permission("signal.raise")
def undo(household_id: int, signal_id: int):
    signal = _signal_or_404(signal_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.undo(db.session, signal, current_user, utcnow()):
        db.session.commit()
        flash(_("The signal is taken back. Nobody was alerted."), "success")
    else:
        flash(_("Too late to take it back: the others have been alerted. Tell them it is all right."), "error")
    child = request.form.get("from") == "child"
    return redirect(url_for(".child_status" if child else ".signal", household_id=household_id, signal_id=signal_id))


@bp.route("/h/<int:household_id>/signals/<int:signal_id>/ack", methods=["POST"])
@household_permission("signal.respond")
def acknowledge(household_id: int, signal_id: int):
    signal = _signal_or_404(signal_id)
    form = AckForm()
    if not form.validate_on_submit():
        abort(400)
    if services.acknowledge(db.session, signal, current_user, AckKind(form.kind.data), utcnow()):
        db.session.commit()
        flash(_("Thank you. The others see that you are on it."), "success")
    return redirect(url_for(".signal", household_id=household_id, signal_id=signal_id))


@bp.route("/h/<int:household_id>/signals/<int:signal_id>/close", methods=["POST"])
@household_permission("signal.respond")
def close(household_id: int, signal_id: int):
    signal = _signal_or_404(signal_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return render_template("signals/signal.html", signal=signal, now=utcnow(), close_form=form, form=EmptyForm(),
                               recipients=services.recipients(signal), call_list=_call_list(), my_ack=None), 422
    if services.close_with_outcome(db.session, current_app.instance_path, signal, current_user,
                                   form.outcome.data, form.log_kind.data or None, utcnow()):
        db.session.commit()
        tasks.dispatch_all_clear(signal)
        flash(_("The signal is closed. Everyone who was alerted gets an all-clear."), "success")
    return redirect(url_for(".signal", household_id=household_id, signal_id=signal_id))


@bp.route("/h/<int:household_id>/signals")
@household_permission("signal.read")
def history(household_id: int):
    return render_template("signals/history.html", signals=services.history(db.session, g.household),
                           open_signals=services.open_signals(db.session, g.household))


@bp.route("/h/<int:household_id>/alerts", methods=["GET", "POST"])
@household_permission("alerts.manage")
def alert_plan(household_id: int):
    members = services.plan_members(db.session, g.household)
    form = alert_plan_form(members, request.form if request.method == "POST" else None)
    if request.method == "GET":
        services.fill_plan_form(db.session, g.household, members, form)
    if form.validate_on_submit():
        services.save_plan(db.session, g.household, members, form)
        db.session.commit()
        flash(_("The alert plan is saved."), "success")
        return redirect(url_for(".alert_plan", household_id=household_id))
    return render_template("signals/alert_plan.html", form=form, members=members,
                           reach=services.reach(db.session, g.household, utcnow(), sms.enabled(current_app.config)),
                           now=utcnow())


# --- answering from a notification ---------------------------------------------------------------------

@bp.route("/signals/ack/<token>", methods=["POST"])
@public
@csrf.exempt  # the token in the URL is the proof: it went, encrypted, to this person's device only
@limiter.limit("30/minute")
def ack_by_token(token: str):
    found = delivery.answerable(db.session, current_app.config["SECRET_KEY"], token)
    kind = request.form.get("kind", "")
    if found is None or kind not in AckKind.__members__:
        return jsonify(error="unknown"), 404
    services.acknowledge(db.session, found.signal, found.user, AckKind(kind), utcnow())
    db.session.commit()
    return jsonify(ok=True, status=found.signal.status.value)


@bp.route("/signals/devices/confirm/<token>", methods=["POST"])
@public
@csrf.exempt  # like the answer buttons: the token went, encrypted, to this one device
@limiter.limit("30/minute")
def confirm_device(token: str):
    device = delivery.device_for_token(db.session, current_app.config["SECRET_KEY"], token)
    if device is None:
        return jsonify(error="unknown"), 404
    device.confirmed_at = utcnow()
    db.session.commit()
    return jsonify(ok=True)


# --- my devices and my alert settings ---------------------------------------------------------------

@bp.route("/settings/devices")
@signed_in
def devices_page(number_form=None, code_form=None):
    sms_number = sms_numbers.own_number(db.session, current_user)
    if number_form is None:  # a number waiting for its code is shown, to check it or send a new code
        number_form = SmsNumberForm(formdata=None, number=sms.readable(sms_number.number) if sms_number else None)
    return render_template("signals/devices.html", devices=devices.of_user(db.session, current_user),
                           availability=AvailabilityForm(), text_form=NotificationTextForm(obj=current_user),
                           form=EmptyForm(), now=utcnow(),
                           public_key=devices.public_key(current_app.config["VAPID_KEY_PATH"]),
                           sms_on=sms.enabled(current_app.config), sms_number=sms_number,
                           number_form=number_form, code_form=code_form or SmsCodeForm(),
                           sms_choices=_sms_choice_forms(), readable_number=sms.readable)


def _sms_choice_forms():
    """One small form per household, each with the household's name as its question."""
    forms = []
    for c in sms_numbers.choices(db.session, current_user):
        form = SmsChoiceForm(formdata=None, prefix=f"m{c.membership.id}", choice=c.choice.value,
                             membership_id=str(c.membership.id))
        form.choice.label.text = c.membership.household.name
        forms.append((c, form))
    return forms


# --- my mobile number for alerts by SMS -----------------------------------------------------------------

@bp.route("/settings/sms/number", methods=["POST"])
@signed_in
@limiter.limit("5/hour")
def sms_number():
    form = SmsNumberForm()
    if not sms.enabled(current_app.config) or not form.validate_on_submit():
        return devices_page(number_form=form), 400
    try:
        row, code = sms_numbers.start(db.session, current_user, form.number.data, current_app.config["SMS_COUNTRY_CODES"],
                                      current_app.config["SECRET_KEY"], utcnow())
    except sms_numbers.NumberRefused as refused:
        form.number.errors.append(refused.message)
        return devices_page(number_form=form), 400
    db.session.commit()
    result = Sender(current_app.config).send(text(row.number, sms_numbers.code_text(current_user, code)))
    if result.error is None:
        flash(_("We sent a code to %(number)s. Type it in below.", number=sms.readable(row.number)), "success")
    else:
        current_app.logger.warning("confirmation code not sent: %s", result.error)  # no number in the log
        flash(_("The text message could not be sent. Check the number, or try again later."), "error")
    return redirect(url_for(".devices_page", _anchor="sms-title"))


@bp.route("/settings/sms/confirm", methods=["POST"])
@signed_in
@limiter.limit("10/hour")
def sms_confirm():
    form = SmsCodeForm()
    if not form.validate_on_submit():
        return devices_page(code_form=form), 400
    if not sms_numbers.confirm(db.session, current_user, form.code.data, current_app.config["SECRET_KEY"], utcnow()):
        db.session.commit()  # the attempt counts
        form.code.errors.append(_("This code is not right, or too old. Check it, or ask for a new code."))
        return devices_page(code_form=form), 400
    db.session.commit()
    flash(_("Your number is confirmed. Alerts can now reach you by SMS."), "success")
    return redirect(url_for(".devices_page", _anchor="sms-title"))


@bp.route("/settings/sms/remove", methods=["POST"])
@signed_in
def sms_remove():
    if EmptyForm().validate_on_submit():
        sms_numbers.remove(db.session, current_user)
        db.session.commit()
        flash(_("Your number is removed. Alerts no longer come by SMS."), "success")
    return redirect(url_for(".devices_page", _anchor="sms-title"))


@bp.route("/settings/sms/choice/<int:membership_id>", methods=["POST"])
@signed_in
def sms_choice(membership_id: int):
    form = SmsChoiceForm(prefix=f"m{membership_id}")
    if form.validate_on_submit() and sms_numbers.save_choice(db.session, current_user, membership_id,
                                                             SmsChoice(form.choice.data)):
        db.session.commit()
        flash(_("Your choice is saved."), "success")
    return redirect(url_for(".devices_page", _anchor="sms-title"))


@bp.route("/sms/reply", methods=["POST"])
@public
@csrf.exempt  # the SMS provider calls it; its signature over the request is the proof instead
@limiter.limit("120/minute")
def sms_reply():
    provider = sms.client(current_app.config)
    if provider is None:
        abort(404)
    # The provider signs the address it called: Kring's public address, not what a proxy passed on.
    url = current_app.config["BASE_URL"].rstrip("/") + request.full_path.rstrip("?")
    if not provider.valid_request(url, request.form.to_dict(), request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    text = sms_numbers.reply(db.session, request.form.get("From", ""), request.form.get("Body", ""),
                             current_app.config["BABEL_DEFAULT_LOCALE"], utcnow())
    db.session.commit()
    return Response(sms.twiml(text), mimetype="text/xml")


@bp.route("/settings/devices", methods=["POST"])
@signed_in
@limiter.limit("30/hour")
def save_device():
    try:
        device, emailed = devices.save(db.session, current_user, request.get_json(silent=True),
                                       request.user_agent.string, current_app.config["PUSH_HOSTS"],
                                       current_app.config["PUSH_ALLOW_HTTP_LOOPBACK"])
    except devices.InvalidSubscription as error:
        return jsonify(error=error.message), 400
    db.session.commit()
    _send_now(emailed)
    return jsonify(id=device.id, name=device.device_name), 201


@bp.route("/settings/devices/<int:device_id>/test", methods=["POST"])
@signed_in
@limiter.limit("10/hour")
def test_device(device_id: int):
    device = devices.get_own_or_404(db.session, current_user, device_id)
    if EmptyForm().validate_on_submit():
        tasks.send_probe(device.id, current_user.locale or current_app.config["BABEL_DEFAULT_LOCALE"])
        flash(_("A test alert is on its way to %(device)s. Did it arrive? If not, look at the tips below.",
                device=device.device_name), "success")
    return redirect(url_for(".devices_page"))


@bp.route("/settings/devices/<int:device_id>/delete", methods=["POST"])
@signed_in
def delete_device(device_id: int):
    device = devices.get_own_or_404(db.session, current_user, device_id)
    if EmptyForm().validate_on_submit():
        emailed = devices.remove(db.session, device, utcnow())
        db.session.commit()
        _send_now(emailed)
        flash(_("This device no longer gets alerts."), "success")
    return redirect(url_for(".devices_page"))


def _send_now(signal_ids: set[int]) -> None:
    """An alert that can no longer go to a removed or handed-on device goes by e-mail now, not at the next sweep."""
    for signal_id in signal_ids:
        tasks.deliver(signal_id)


@bp.route("/settings/availability", methods=["POST"])
@signed_in
def availability():
    form = AvailabilityForm()
    if request.form.get("reachable"):
        services.set_unreachable(current_user, None, utcnow())
        flash(_("You get alerts again."), "success")
    elif form.validate_on_submit():
        until = services.set_unreachable(current_user, int(form.hours.data), utcnow())
        flash(_("Until %(time)s the alert plan skips you, and the chair can see that.",
                time=until_text(until)), "success")
    db.session.commit()
    return redirect(url_for(".devices_page"))


@bp.route("/settings/notification-text", methods=["POST"])
@signed_in
def notification_text():
    form = NotificationTextForm()
    if form.validate_on_submit():
        current_user.push_detail = form.push_detail.data
        db.session.commit()
        flash(_("Your choice is saved."), "success")
    return redirect(url_for(".devices_page"))


def until_text(moment) -> str:
    return format_datetime(moment, "EEEE HH:mm")


@bp.app_context_processor
def open_signal_banner():
    """Every page of a household shows an open signal at the top, for everyone who may see signals."""
    def banner():
        membership = nav_membership() if current_user.is_authenticated else None
        if membership is None or not may("signal.read"):
            return []
        return services.open_signals(db.session, membership.household)
    return {"open_signals_banner": banner, "SignalStatus": SignalStatus, "source_labels": labels.SOURCE_LABELS,
            "delivery_labels": labels.DELIVERY_LABELS, "event_text": labels.event_text,
            "duration_text": labels.duration_text, "channel_labels": labels.CHANNEL_LABELS,
            "missing_text": labels.missing_text, "channel_text": labels.channel_text,
            "delivery_status_text": labels.delivery_status_text,
            "push_public_key": lambda: devices.public_key(current_app.config["VAPID_KEY_PATH"]),
            "my_alerts_on": lambda: devices.has_device(db.session, current_user.id, working=True)}
