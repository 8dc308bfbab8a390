"""Routes for downloading one's own data and a household's records, leaving or closing a household, and
deciding on a former member's request to remove what they wrote."""
from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_date, gettext as _
from flask_login import current_user

from webapp.auth.models import utcnow
from webapp.auth.forms import EmptyForm
from webapp.authz import get_in_household_or_404, household_permission, signed_in
from webapp.extensions import db
from webapp.ownership import services
from webapp.ownership.forms import LeaveForm, RemovalDecisionForm
from webapp.ownership.models import RemovalDecision, RemovalRequest

bp = Blueprint("ownership", __name__)


def _download(data: bytes, stem: str) -> Response:
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{utcnow():%Y%m%d}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings/export")
@signed_in
def export_me():
    return _download(services.export_person(db.session, current_app.instance_path, current_user), "kring-my-data")


@bp.route("/h/<int:household_id>/export")
@household_permission("household.export")
def export_household(household_id: int):
    return _download(services.export_household(db.session, current_app.instance_path, g.household,
                                               with_signals=not g.membership.signals_hidden),
                     f"kring-household-{household_id}")


@bp.route("/h/<int:household_id>/leave", methods=["GET", "POST"])
@household_permission("household.leave")
def leave(household_id: int):
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            asked = services.leave_household(db.session, g.membership, ask_removal=form.ask_removal.data)
        except services.LastManager:
            flash(_("You are the last one who can manage this household. First give someone else the household "
                    "member or chair role."), "error")
            return redirect(url_for("ownership.leave", household_id=household_id))
        db.session.commit()
        session.pop("household_id", None)
        if asked:
            flash(_("You have left %(household)s. The household is asked to remove what you wrote. Until they "
                    "decide, it stays as written by a former member.", household=g.household.name), "success")
        else:
            flash(_("You have left %(household)s. What you wrote stays in its safety log as written by a former "
                    "member.", household=g.household.name), "success")
        return redirect(url_for("households.index"))
    return render_template("ownership/leave.html", form=form)


@bp.route("/h/<int:household_id>/removal-requests/<int:removal_request_id>", methods=["GET", "POST"])
@household_permission("log.decide_removal")
def removal_request(household_id: int, removal_request_id: int):
    item = get_in_household_or_404(RemovalRequest, removal_request_id)
    form = RemovalDecisionForm()
    if form.validate_on_submit():
        decision = RemovalDecision(form.decision.data)
        if services.decide_removal(db.session, current_app.instance_path, item, current_user, decision):
            db.session.commit()
            flash(_("What %(name)s wrote is removed from the safety log.", name=item.former_member_name)
                  if decision == RemovalDecision.removed else
                  _("What %(name)s wrote stays in the safety log as evidence.", name=item.former_member_name), "success")
        return redirect(url_for("ownership.removal_request", household_id=household_id,
                                removal_request_id=removal_request_id))
    return render_template("ownership/removal_request.html", removal_request=item, form=form,
                           entries=services.covered_entries(db.session, item, g.membership.signals_hidden))


@bp.route("/h/<int:household_id>/close", methods=["GET", "POST"])
@household_permission("household.close")
def close(household_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        if request.form.get("undo"):
            services.undo_close(db.session, g.household)
            flash(_("Closing is undone. Nothing will be erased."), "success")
        else:
            services.close_household(db.session, g.household, current_user, current_app.config["ERASE_GRACE_DAYS"])
            flash(_("The household is closed. Everything will be erased on %(date)s unless someone undoes it.",
                    date=format_date(g.household.erase_at, "long")), "success")
        db.session.commit()
        return redirect(url_for("households.home", household_id=household_id))
    return render_template("ownership/close.html", form=form, grace_days=current_app.config["ERASE_GRACE_DAYS"])
