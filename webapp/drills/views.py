"""Routes of the drills: the list, planning one, a drill's page (start a signal drill, its result, what was learned).
Under "signal." permissions: a member hidden from signals finds no drill either, as for a real signal."""
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _, to_utc
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission
from webapp.database import utcnow
from webapp.drills import services
from webapp.drills.forms import KIND_LABELS, DrillForm, LearnedForm
from webapp.drills.models import Drill, DrillKind
from webapp.extensions import db
from webapp.households.services import people
from webapp.safety_plan.models import Agreement
from webapp.safety_plan.services import version_in_force
from webapp.signals import tasks as signal_tasks

bp = Blueprint("drills", __name__, url_prefix="/h/<int:household_id>/drills")


@bp.route("/")
@household_permission("signal.drill_read")
def index(household_id: int):
    return render_template("drills/index.html", drills=services.drills(db.session, household_id), now=utcnow(),
                           result=services.result)


def _choices(form: DrillForm) -> list:
    members = [m for m in people(db.session, g.household) if not m.signals_hidden and "professional" not in m.roles]
    version = version_in_force(db.session, household_id=g.household.id)
    form.agreement.choices = [("", _("No agreement in particular"))] + [
        (str(a.id), f"{a.position}. {a.what}") for a in (version.agreements if version else [])]
    form.participants.choices = [(str(m.id), m.user.display_name) for m in members]
    return members


@bp.route("/new", methods=["GET", "POST"])
@household_permission("signal.drill_manage")
def plan(household_id: int):
    form = DrillForm()
    members = _choices(form)
    if not form.is_submitted():
        form.participants.data = [value for value, _label in form.participants.choices]
    if form.validate_on_submit():
        chosen = set(form.participants.data or [])
        agreement = get_in_household_or_404(Agreement, int(form.agreement.data)) if form.agreement.data else None
        drill = services.plan(db.session, g.household, current_user, services.DrillInput(
            DrillKind(form.kind.data), form.scenario.data, to_utc(datetime.combine(form.day.data, form.time.data)),
            agreement, [m for m in members if str(m.id) in chosen]))
        db.session.commit()
        flash(_("The drill is planned."), "success")
        return redirect(url_for("drills.drill", household_id=household_id, drill_id=drill.id))
    return render_template("drills/plan.html", form=form)


@bp.route("/<int:drill_id>")
@household_permission("signal.drill_read")
def drill(household_id: int, drill_id: int):
    item = get_in_household_or_404(Drill, drill_id)
    form = LearnedForm()
    form.learned.data = item.learned
    return render_template("drills/drill.html", drill=item, result=services.result(item), form=form,
                           start_form=EmptyForm(), kind_labels=KIND_LABELS)


@bp.route("/<int:drill_id>/start", methods=["POST"])
@household_permission("signal.drill_manage")
def start(household_id: int, drill_id: int):
    item = get_in_household_or_404(Drill, drill_id)
    if item.kind != DrillKind.signal or not EmptyForm().validate_on_submit():
        abort(400)
    created = item.signal is None
    signal = services.start_signal_drill(db.session, g.household, item, current_user, utcnow(),
                                         current_app.config["SIGNAL_UNDO_SECONDS"])
    db.session.commit()
    if created:
        signal_tasks.dispatch(signal)
    return redirect(url_for("signals.signal", household_id=household_id, signal_id=signal.id))


@bp.route("/<int:drill_id>/learned", methods=["POST"])
@household_permission("signal.drill_manage")
def learned(household_id: int, drill_id: int):
    item = get_in_household_or_404(Drill, drill_id)
    form = LearnedForm()
    if not form.validate_on_submit():
        return render_template("drills/drill.html", drill=item, result=services.result(item), form=form,
                               start_form=EmptyForm(), kind_labels=KIND_LABELS), 422
    services.finish(item, form.learned.data, utcnow())
    db.session.commit()
    flash(_("Saved what you learned."), "success")
    return redirect(url_for("drills.drill", household_id=household_id, drill_id=drill_id))
