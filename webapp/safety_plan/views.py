"""Routes of the safety plan: the plan in force, a version with its agreements and safe object, editing a
draft, agreeing and approvals, all versions and what changed between two, printing, and agreement pictures."""
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import gettext as _, to_user_timezone
from flask_login import current_user

from webapp.auth.forms import EmptyForm
from webapp.auth.models import utcnow
from webapp.authz import get_in_household_or_404, household_permission, may, nav_membership
from webapp.extensions import db
from webapp import uploads as images
from webapp.uploads import upload_folder
from webapp.safety_plan import services
from webapp.safety_plan.forms import (FIELD_LABELS, KIND_LABELS, STATUS_LABELS, AgreementForm, ApprovalForm,
                                      DetailsForm, MoveForm, SafeObjectForm)
from webapp.safety_plan.models import Agreement, PlanVersion, VersionStatus

bp = Blueprint("safety_plan", __name__, url_prefix="/h/<int:household_id>/plan")

RULE_MESSAGES = {
    "not_a_draft": lambda: _("This version is agreed, so it cannot be changed any more. Make a new version to "
                             "change the plan."),
    "no_agreements": lambda: _("Add at least one agreement before you agree on the plan."),
    "not_agreed": lambda: _("First agree on this version together. Then you can record the approval."),
    "no_plan": lambda: _("There is no safety plan yet. Start one first."),
    "stable_exists": lambda: _("The stable plan has already been started."),
    "direct_not_agreed": lambda: _("First agree on the direct plan. The stable plan starts as a copy of it."),
}


def in_force_on_this_page(household_id: int) -> PlanVersion | None:
    """The version in force, looked up once for the page shown: the home and the plan page need it in several
    places. A request that changes the plan (not a GET) asks the database each time."""
    if request.method != "GET":
        return services.version_in_force(db.session, household_id)
    kept = g.setdefault("plan_in_force", {})
    if household_id not in kept:
        kept[household_id] = services.version_in_force(db.session, household_id)
    return kept[household_id]


@bp.app_context_processor
def plan_helpers():
    def in_force():
        """For the household home's plan card: the version in force, only for people who may read it."""
        membership = nav_membership() if current_user.is_authenticated else None
        if membership is None or not may("plan.read"):
            return None
        return in_force_on_this_page(membership.household_id)
    def mine():
        """For the household home: what this person does in the agreed plan (nothing from a draft)."""
        version = in_force()
        if version is None or version.status == VersionStatus.draft:
            return []
        return services.agreements_for(db.session, version, current_user)
    return {"safety_plan_in_force": in_force, "my_agreements": mine, "plan_kind_labels": KIND_LABELS, "plan_status_labels": STATUS_LABELS,
            "plan_field_labels": FIELD_LABELS}


def _rule_broken(error: services.PlanRuleBroken, version: PlanVersion | None = None):
    flash(RULE_MESSAGES[error.reason](), "error")
    return redirect(_version_url(version) if version is not None else url_for(".plan", household_id=g.household.id))


def _version_url(version: PlanVersion, anchor: str | None = None) -> str:
    return url_for(".version", household_id=version.household_id, version_id=version.id, _anchor=anchor)


def _locked(version: PlanVersion):
    """Only a draft can change: for an agreed version, a message and back to it (else None)."""
    if version.status != VersionStatus.draft:
        return _rule_broken(services.PlanRuleBroken("not_a_draft"), version)
    return None


def _render_version(version: PlanVersion | None, template: str = "safety_plan/version.html", **context):
    household = g.household
    members = services.people(db.session, household)  # once, for the safety people and the watchers
    if version is not None:
        statement_ids = {a.danger_statement_id for a in version.agreements}
        in_force = in_force_on_this_page(household.id)
        plans = services.plans(db.session, household.id)
        context.update(
            in_force=in_force,
            draft=services.draft_of(db.session, household.id, in_force),
            previous=services.previous_version(db.session, version, plans),
            current=plans[-1] if plans else None,
            statements=services.statements_by_id(db.session, household.id, statement_ids),
            watchers=services.watchers_among(db.session, version, members),
        )
    return render_template(template, version=version, safety_people=services.safety_people(db.session, household, members),
                           action_form=EmptyForm(), **context)


@bp.route("/")
@household_permission("plan.read")
def plan(household_id: int):
    return _render_version(in_force_on_this_page(household_id))


@bp.route("/versions/<int:version_id>")
@household_permission("plan.read")
def version(household_id: int, version_id: int):
    return _render_version(get_in_household_or_404(PlanVersion, version_id))


@bp.route("/versions/<int:version_id>/print")
@household_permission("plan.read")
def print_version(household_id: int, version_id: int):
    return _render_version(get_in_household_or_404(PlanVersion, version_id), "safety_plan/print.html",
                           printed_at=utcnow())


@bp.route("/versions/")
@household_permission("plan.read")
def versions(household_id: int):
    return render_template("safety_plan/versions.html", plans=services.plans(db.session, household_id))


@bp.route("/changes")
@household_permission("plan.read")
def changes(household_id: int):
    all_versions = services.all_versions(db.session, household_id)
    by_id = {str(v.id): v for v in all_versions}
    newer = by_id.get(request.args.get("to", "")) or (all_versions[-1] if all_versions else None)
    older = by_id.get(request.args.get("from", "")) or (
        services.previous_version(db.session, newer) if newer is not None else None)
    if newer is None or older is None:
        flash(_("There is only one version so far. Make a new version to see what changes."), "error")
        return redirect(url_for(".versions", household_id=household_id))
    if all_versions.index(older) > all_versions.index(newer):
        older, newer = newer, older  # always from the older to the newer
    found = services.changes(db.session, older, newer)
    return render_template("safety_plan/changes.html", changes=found, versions=all_versions)


def _post_action(action, version: PlanVersion | None = None):
    """Run a plan action from a POST button; a broken rule becomes a message."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = action()
    except services.PlanRuleBroken as error:
        db.session.rollback()
        return None, _rule_broken(error, version)
    db.session.commit()
    return result, None


@bp.route("/start", methods=["POST"])
@household_permission("plan.edit")
def start(household_id: int):
    version, refused = _post_action(lambda: services.start_plan(db.session, g.household, current_user))
    return refused or redirect(_version_url(version))


@bp.route("/new-version", methods=["POST"])
@household_permission("plan.edit")
def new_version(household_id: int):
    had_draft = services.draft_of(db.session, household_id) is not None
    version, refused = _post_action(lambda: services.new_version(db.session, g.household, current_user))
    if refused:
        return refused
    flash(_("You are now working in version %(n)s. Change what is needed, then agree on it together.", n=version.number)
          if not had_draft else _("There is already a version being written. Change that one."),
          "success" if not had_draft else "info")
    return redirect(_version_url(version))


@bp.route("/stable", methods=["POST"])
@household_permission("plan.edit")
def start_stable(household_id: int):
    version, refused = _post_action(lambda: services.start_stable_plan(db.session, g.household, current_user))
    if refused:
        return refused
    flash(_("The stable plan is started as a copy of the direct plan. Change what is needed, then agree on it "
            "together."), "success")
    return redirect(_version_url(version))


@bp.route("/versions/<int:version_id>/agree", methods=["POST"])
@household_permission("plan.edit")
def agree(household_id: int, version_id: int):
    item = get_in_household_or_404(PlanVersion, version_id)
    _done, refused = _post_action(lambda: services.agree(db.session, item), item)
    if refused:
        return refused
    flash(_("Version %(n)s is agreed. Everyone in the network can read it now.", n=item.number), "success")
    return redirect(_version_url(item))


@bp.route("/versions/<int:version_id>/approve", methods=["GET", "POST"])
@household_permission("plan.edit")
def approve(household_id: int, version_id: int):
    item = get_in_household_or_404(PlanVersion, version_id)
    if item.status == VersionStatus.draft:
        return _rule_broken(services.PlanRuleBroken("not_agreed"), item)
    form = ApprovalForm()
    if not form.is_submitted():
        form.role.data = _("youth protection worker")
        form.approved_on.data = to_user_timezone(utcnow()).date()
    if form.validate_on_submit():
        services.record_approval(db.session, item, form.name.data, form.role.data, form.approved_on.data, current_user)
        db.session.commit()
        flash(_("The approval is recorded."), "success")
        return redirect(_version_url(item, "approvals"))
    return render_template("safety_plan/approve.html", form=form, version=item), (422 if form.is_submitted() else 200)


@bp.route("/versions/<int:version_id>/safe-object", methods=["GET", "POST"])
@household_permission("plan.edit")
def safe_object(household_id: int, version_id: int):
    item = get_in_household_or_404(PlanVersion, version_id)
    if (refused := _locked(item)) is not None:
        return refused
    members = services.watcher_choices(db.session, g.household)
    form = SafeObjectForm()
    form.watchers.choices = [(m.id, m.user.display_name) for m in members]
    if not form.is_submitted():
        form.what.data, form.where.data = item.safe_object_what, item.safe_object_where
        form.action.data, form.watchers.data = item.safe_object_action, [m.id for m in services.watchers(item)]
    if form.validate_on_submit():
        services.update_safe_object(db.session, item, form.what.data, form.where.data or "", form.action.data or "",
                                    form.watchers.data or [], g.household)
        db.session.commit()
        flash(_("The safe object is saved."), "success")
        return redirect(_version_url(item, "safe-object"))
    return render_template("safety_plan/safe_object.html", form=form, version=item), (422 if form.is_submitted() else 200)


@bp.route("/versions/<int:version_id>/details", methods=["GET", "POST"])
@household_permission("plan.edit")
def details(household_id: int, version_id: int):
    item = get_in_household_or_404(PlanVersion, version_id)
    if (refused := _locked(item)) is not None:
        return refused
    form = DetailsForm(obj=item)
    if form.validate_on_submit():
        services.update_details(db.session, item, form.how_we_inform.data or "", form.evaluation_date.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(_version_url(item, "informing"))
    return render_template("safety_plan/details.html", form=form, version=item), (422 if form.is_submitted() else 200)


def _agreement_form(agreement: Agreement | None = None) -> AgreementForm:
    form = AgreementForm(obj=agreement)
    statements = services.active_statements(db.session, g.household.id)
    if agreement is not None and agreement.danger_statement_id not in {s.id for s in statements}:
        statements += services.statements_by_id(db.session, g.household.id, {agreement.danger_statement_id}).values()
    form.danger_statement.choices = [("", _("Not about one worry"))] + [
        (str(s.id), f"{s.priority}. {services.shorten(s.what_adults_do)}") for s in statements]
    if not form.is_submitted() and agreement is not None:
        form.danger_statement.data = str(agreement.danger_statement_id or "")
    return form


def _agreement_input(form: AgreementForm) -> tuple[services.AgreementInput, images.CleanImage | None] | None:
    """What the form says, with its picture cleaned; None (and a message at the field) when it is refused."""
    if not form.validate_on_submit():
        return None
    picture = None
    upload = request.files.get(form.picture.name)
    if upload and upload.filename:
        try:
            picture = images.clean(upload.read(images.MAX_UPLOAD_BYTES + 1))
        except images.ImageRejected as rejected:
            form.picture.errors.append(rejected.photo_message)
            return None
    data = services.AgreementInput(what=form.what.data, who=form.who.data or "", when=form.when.data or "",
                                   how_checked=form.how_checked.data or "",
                                   if_it_goes_wrong=form.if_it_goes_wrong.data or "",
                                   danger_statement_id=form.statement_id())
    return data, picture


@bp.route("/versions/<int:version_id>/agreements/new", methods=["GET", "POST"])
@household_permission("plan.edit")
def add_agreement(household_id: int, version_id: int):
    item = get_in_household_or_404(PlanVersion, version_id)
    if (refused := _locked(item)) is not None:
        return refused
    form = _agreement_form()
    if (parsed := _agreement_input(form)) is not None:
        added = services.add_agreement(db.session, item, parsed[0], parsed[1], current_app.instance_path)
        db.session.commit()
        flash(_("The agreement is added."), "success")
        return redirect(_version_url(item, f"agreement-{added.id}"))
    return render_template("safety_plan/agreement.html", form=form, version=item, agreement=None), \
        (422 if form.is_submitted() else 200)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@household_permission("plan.edit")
def edit_agreement(household_id: int, agreement_id: int):
    agreement = get_in_household_or_404(Agreement, agreement_id)
    if (refused := _locked(agreement.version)) is not None:
        return refused
    form = _agreement_form(agreement)
    if (parsed := _agreement_input(form)) is not None:
        services.update_agreement(db.session, agreement, parsed[0], parsed[1], remove_picture=form.remove_picture.data,
                                  instance_path=current_app.instance_path)
        db.session.commit()
        flash(_("The agreement is saved."), "success")
        return redirect(_version_url(agreement.version, f"agreement-{agreement.id}"))
    return render_template("safety_plan/agreement.html", form=form, version=agreement.version, agreement=agreement), \
        (422 if form.is_submitted() else 200)


@bp.route("/agreements/<int:agreement_id>/remove", methods=["GET", "POST"])
@household_permission("plan.edit")
def remove_agreement(household_id: int, agreement_id: int):
    agreement = get_in_household_or_404(Agreement, agreement_id)
    version = agreement.version
    if (refused := _locked(version)) is not None:
        return refused
    form = EmptyForm()
    if form.validate_on_submit():
        services.remove_agreement(db.session, agreement)
        db.session.commit()
        flash(_("The agreement is removed from this version. Earlier versions still show it."), "success")
        return redirect(_version_url(version, "agreements"))
    return render_template("safety_plan/remove.html", form=form, agreement=agreement, version=version)


@bp.route("/agreements/<int:agreement_id>/move", methods=["POST"])
@household_permission("plan.edit")
def move_agreement(household_id: int, agreement_id: int):
    agreement = get_in_household_or_404(Agreement, agreement_id)
    version = agreement.version
    if (refused := _locked(version)) is not None:
        return refused
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_agreement(db.session, agreement, -1 if form.step.data == "up" else 1)
    db.session.commit()
    return redirect(_version_url(version, f"agreement-{agreement.id}"))


@bp.route("/agreements/<int:agreement_id>/picture")
@household_permission("plan.read")
def picture(household_id: int, agreement_id: int):
    agreement = get_in_household_or_404(Agreement, agreement_id)
    if not agreement.picture:
        abort(404)
    response = send_from_directory(upload_folder(current_app.instance_path, household_id), agreement.picture,
                                   mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
