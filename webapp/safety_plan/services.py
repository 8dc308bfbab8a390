"""The safety plan's domain logic: starting the plan, versions (copied with their agreements' lineage), the
status flow draft → agreed → approved, editing a draft, and what changed between two versions.

Only a draft can be changed; an agreed or approved version is a record of what everyone agreed to.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, case, delete, exists, inspect, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.base import NO_VALUE

from webapp.auth.models import User, utcnow
from webapp.database import prepared
from webapp.hooks import member_removing
from webapp.households.models import Household, Membership, Role
from webapp.households.services import people
from webapp import uploads as images
from webapp.uploads import upload_folder
from webapp.safety_plan.models import (
    Agreement, PlanApproval, PlanKind, PlanVersion, SafeObjectWatcher, SafetyPlan, VersionStatus,
)
from webapp.safety_scales.models import DangerStatement

AGREEMENT_FIELDS = ("what", "who", "when", "how_checked", "if_it_goes_wrong")
SAFE_OBJECT_FIELDS = ("safe_object_what", "safe_object_where", "safe_object_action")
VERSION_FIELDS = ("how_we_inform", "evaluation_date")


class PlanRuleBroken(ValueError):
    """A change the plan's rules do not allow; `reason` says which rule, for the message shown."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _editable(version: PlanVersion) -> None:
    if version.status != VersionStatus.draft:
        raise PlanRuleBroken("not_a_draft")


# --- reading -------------------------------------------------------------------------------------------

def plans(session: Session, household_id: int) -> list[SafetyPlan]:
    """The household's plans: the direct plan first, then the stable plan."""
    return list(session.scalars(_plans(), {"household_id": household_id}).unique())


@prepared
def _plans():
    stable_last = case((SafetyPlan.kind == PlanKind.stable, 1), else_=0)
    return (select(SafetyPlan).where(SafetyPlan.household_id == bindparam("household_id"))
            .order_by(stable_last).options(joinedload(SafetyPlan.versions)))


def current_plan(session: Session, household_id: int) -> SafetyPlan | None:
    """The plan being worked on: the stable plan once it is started, else the direct plan."""
    found = plans(session, household_id)
    return found[-1] if found else None


def all_versions(session: Session, household_id: int, plans_known: list[SafetyPlan] | None = None
                 ) -> list[PlanVersion]:
    """Every version, oldest first: the direct plan's, then the stable plan's. A page that already has the
    household's `plans` passes them."""
    found = plans_known if plans_known is not None else plans(session, household_id)
    return [v for plan in found for v in plan.versions]


def version_in_force(session: Session, household_id: int) -> PlanVersion | None:
    """The version people act on: the newest agreed or approved one (the stable plan's once it has one);
    before anything is agreed, the draft that is being written."""
    return session.scalar(_version_in_force(), {"household_id": household_id})


def _in_force_first(version=PlanVersion, plan=SafetyPlan) -> tuple:
    """The order that puts the version in force first: agreed or approved before a draft, the stable plan's before
    the direct plan's, the newest first. On the mapped classes or on the tables' columns (_agreements_in_force)."""
    agreed_first = case((version.status == VersionStatus.draft, 0), else_=1)
    stable_first = case((plan.kind == PlanKind.stable, 1), else_=0)
    return agreed_first.desc(), stable_first.desc(), version.number.desc()


@prepared
def _version_in_force():
    return (select(PlanVersion).join(SafetyPlan).where(PlanVersion.household_id == bindparam("household_id"))
            .order_by(*_in_force_first()).limit(1))


def draft_of(session: Session, household_id: int, in_force=None) -> PlanVersion | None:
    """The version being written, if there is one (there is never more than one). A page that already has the
    version in force passes it: before anything is agreed, that is the draft."""
    if in_force is not None and in_force.status == VersionStatus.draft:
        return in_force
    return session.scalar(_draft_of(), {"household_id": household_id})


@prepared
def _draft_of():
    return (select(PlanVersion).where(PlanVersion.household_id == bindparam("household_id"),
                                      PlanVersion.status == VersionStatus.draft)
            .order_by(PlanVersion.id.desc()).limit(1))


def previous_version(session: Session, version: PlanVersion, plans_known: list[SafetyPlan] | None = None
                     ) -> PlanVersion | None:
    """The version this one was copied from: the one before it, or for a stable plan's first version the
    direct plan's last. A page that already has the household's `plans` passes them."""
    versions = all_versions(session, version.household_id, plans_known)
    index = next(i for i, v in enumerate(versions) if v.id == version.id)
    return versions[index - 1] if index > 0 else None


def safety_people(session: Session, household: Household, members: list[Membership] | None = None) -> list[Membership]:
    """The household's safety people (from `members`, the household's people, when the page has read them)."""
    return [m for m in (members if members is not None else people(session, household)) if Role.safety_person in m.roles]


def watcher_choices(session: Session, household: Household) -> list[Membership]:
    """Who can watch for the safe object: the adults of the network (not professionals, not children)."""
    return [m for m in people(session, household) if m.roles - {Role.professional, Role.child}]


def watchers(version: PlanVersion) -> list[Membership]:
    # On SQLite a member who left can leave a row behind; it is nobody, so it is skipped.
    return [w.membership for w in version.watchers if w.membership is not None]


def watchers_among(session: Session, version: PlanVersion, members: list[Membership]) -> list[Membership]:
    """`watchers`, for a page that has read the household's people already: only the watchers' ids are read, instead
    of their memberships, users and roles a second time."""
    by_id = {m.id: m for m in members}
    return [by_id[i] for i in session.scalars(_watcher_ids(), {"version_id": version.id}) if i in by_id]


@prepared
def _watcher_ids():
    watcher = SafeObjectWatcher.__table__.c
    return select(watcher.membership_id).where(watcher.version_id == bindparam("version_id")).order_by(watcher.id)


def has_watchers(session: Session, version: PlanVersion) -> bool:
    """Does anyone watch for the safe object in this version? One EXISTS, without loading who (for the home)."""
    return bool(session.scalar(_has_watchers(), {"version_id": version.id}))


@prepared
def _has_watchers():
    return select(exists().where(SafeObjectWatcher.version_id == bindparam("version_id")))


def watching_in_force(session: Session, membership: Membership) -> bool:
    """Does this member watch for the safe object in the version in force? (Ring 1 of the alert plan.)"""
    return membership.id in watchers_in_force(session, membership.household_id)


def watchers_in_force(session: Session, household_id: int) -> set[int]:
    """The memberships that watch for the safe object in the version in force, in one go."""
    in_force = version_in_force(session, household_id)
    if in_force is None:
        return set()
    return set(session.scalars(_watching(), {"version_id": in_force.id}))


@prepared
def _watching():
    return select(SafeObjectWatcher.membership_id).where(SafeObjectWatcher.version_id == bindparam("version_id"))


def active_statements(session: Session, household_id: int) -> list[DangerStatement]:
    return list(session.scalars(select(DangerStatement).where(DangerStatement.household_id == household_id,
                                                              DangerStatement.active.is_(True))
                                .order_by(DangerStatement.priority, DangerStatement.id)))


def statements_by_id(session: Session, household_id: int, ids: set[int]) -> dict[int, DangerStatement]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {s.id: s for s in session.scalars(_statements_by_id(), {"household_id": household_id, "ids": list(ids)})}


@prepared
def _statements_by_id():
    return select(DangerStatement).where(DangerStatement.household_id == bindparam("household_id"),
                                         DangerStatement.id.in_(bindparam("ids", expanding=True)))


NOT_LOOKED_UP = object()  # a version in force the caller has not looked up (None: there is none)


@prepared
def _agreement_titles():
    agreement = Agreement.__table__.c  # the table's columns: without the ORM's handling of rows (as _agreement_rows)
    return (select(agreement.lineage_id, agreement.what, agreement.version_id)
            .where(agreement.household_id == bindparam("household_id")).order_by(agreement.version_id))


def agreement_titles(session: Session, household_id: int, in_force: list[Row] | None = None) -> dict[int, str]:
    """lineage id → what the agreement says: in the version in force, else in the newest version that has it.

    For the safety log, whose entries name an agreement by its lineage. A page that already has the agreements in
    force (`agreements_in_force`) passes them."""
    rows = session.execute(_agreement_titles(), {"household_id": household_id}).all()
    titles = {lineage: what for lineage, what, _ in rows if lineage}
    if in_force is None:
        in_force = agreements_in_force(session, household_id)
    titles.update({a.lineage_id: a.what for a in in_force if a.lineage_id})
    return titles


def shorten(text: str, limit: int = 70) -> str:
    """One line of at most `limit` characters, for a choice in a list."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# Words in a person's name that say how they are related, not who they are ("Oma Ria", "Buurman Kees"): an
# agreement for "Oma Truus" is not Oma Ria's. Dutch, English and Arabic forms people put in front of a name.
KINSHIP_WORDS = frozenset({
    "oma", "opa", "tante", "oom", "buurman", "buurvrouw", "mama", "papa", "mam", "pap", "juf", "meester", "zus",
    "broer", "nicht", "neef", "grandma", "grandpa", "granny", "nan", "aunt", "auntie", "uncle", "neighbour", "mum",
    "mom", "dad", "sister", "brother", "cousin", "teacher", "mr", "mrs", "ms", "de", "van", "der", "den", "het",
    "جدة", "جد", "خالة", "عمة", "خال", "عم", "جار", "جارة", "ماما", "بابا",
})


@dataclass(frozen=True)
class MyAgreement:
    agreement: Row  # agreement_rows' row
    checks: bool  # the person checks this agreement (named in "how checked"), rather than doing it


def _name_words(user: User) -> list[str]:
    return [w for w in re.findall(r"\w+", user.display_name.lower()) if len(w) > 1 and w not in KINSHIP_WORDS]


def _names(text: str, words: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text.lower()) for w in words)


def agreement_rows(session: Session, version: PlanVersion | None) -> list[Row | Agreement]:
    """A version's agreements in order, as read-only rows (id, lineage_id, position, what, who, how_checked): for
    the pages that name them (the home, the safety log), which need no ORM object per agreement. A page that has
    loaded the version's agreements already (the plan page) gets those."""
    if version is None:
        return []
    loaded = inspect(version).attrs.agreements.loaded_value
    if loaded is not NO_VALUE:
        return loaded
    return session.execute(_agreement_rows(), {"version_id": version.id}).all()


def _agreement_columns() -> tuple:
    agreement = Agreement.__table__.c
    return agreement.id, agreement.lineage_id, agreement.position, agreement.what, agreement.who, agreement.how_checked


@prepared
def _agreement_rows():
    agreement = Agreement.__table__.c
    return (select(*_agreement_columns()).where(agreement.version_id == bindparam("version_id"))
            .order_by(agreement.position))


def agreements_in_force(session: Session, household_id: int) -> list[Row]:
    """The agreements of the version in force, as `agreement_rows` gives them, found in one statement without the
    version itself: for the safety log's pages, which name the agreements and nothing else of the plan."""
    return session.execute(_agreements_in_force(), {"household_id": household_id}).all()


@prepared
def _agreements_in_force():
    agreement, version, plan = Agreement.__table__.c, PlanVersion.__table__.c, SafetyPlan.__table__.c
    in_force = (select(version.id).join_from(PlanVersion.__table__, SafetyPlan.__table__)
                .where(version.household_id == bindparam("household_id"))
                .order_by(*_in_force_first(version, plan)).limit(1).scalar_subquery())
    return (select(*_agreement_columns())
            .where(agreement.household_id == bindparam("household_id"), agreement.version_id == in_force)
            .order_by(agreement.position))


def agreements_for(session: Session, version: PlanVersion | None, user: User) -> list[MyAgreement]:
    """What this person does in the plan: the agreements that name them as who does it, then those they check."""
    if version is None or not _name_words(user):
        return []  # not one statement
    return agreements_of(agreement_rows(session, version), user)


def agreements_of(agreements: list[Row], user: User) -> list[MyAgreement]:
    """Of these agreements (`agreement_rows`, `agreements_in_force`): those that name this person as who does it,
    then those they check. Names are matched as the household wrote them ("Oma Ria", "Ria"), without words like
    "Oma"."""
    words = _name_words(user)
    if not words:
        return []
    doing = [MyAgreement(a, False) for a in agreements if _names(a.who, words)]
    checking = [MyAgreement(a, True) for a in agreements if not _names(a.who, words) and _names(a.how_checked, words)]
    return doing + checking


def agreement_choices(session: Session, household_id: int, in_force: list[Row] | None = None
                      ) -> list[tuple[str, str]]:
    """(lineage id, "1. what it says") for each agreement of the version in force: for the safety log. A page that
    already has them (`agreements_in_force`) passes them."""
    if in_force is None:
        in_force = agreements_in_force(session, household_id)
    return [(str(a.lineage_id or a.id), f"{a.position}. {shorten(a.what)}") for a in in_force]


def is_lineage_of(session: Session, household_id: int, lineage_id: int) -> bool:
    return bool(session.scalar(select(exists().where(Agreement.household_id == household_id,
                                                     Agreement.lineage_id == lineage_id))))


# --- starting, versions and the status flow ----------------------------------------------------------

def start_plan(session: Session, household: Household, user: User) -> PlanVersion:
    """The direct plan with an empty first version (a draft). Starting twice gives the existing plan's latest."""
    existing = current_plan(session, household.id)
    if existing is not None:
        return existing.versions[-1]
    plan = SafetyPlan(household_id=household.id, kind=PlanKind.direct)
    version = PlanVersion(household_id=household.id, number=1, created_by_id=user.id)
    plan.versions.append(version)
    session.add(plan)
    session.flush()
    return version


def _copy(version: PlanVersion, plan: SafetyPlan, number: int, user: User) -> PlanVersion:
    fresh = PlanVersion(household_id=version.household_id, number=number, created_by_id=user.id,
                        how_we_inform=version.how_we_inform, evaluation_date=version.evaluation_date,
                        safe_object_what=version.safe_object_what, safe_object_where=version.safe_object_where,
                        safe_object_action=version.safe_object_action)
    for a in version.agreements:
        fresh.agreements.append(Agreement(
            household_id=a.household_id, lineage_id=a.lineage_id or a.id, position=a.position, what=a.what,
            who=a.who, when=a.when, how_checked=a.how_checked, if_it_goes_wrong=a.if_it_goes_wrong,
            danger_statement_id=a.danger_statement_id, picture=a.picture, picture_width=a.picture_width,
            picture_height=a.picture_height))
    for m in watchers(version):
        fresh.watchers.append(SafeObjectWatcher(membership_id=m.id))
    plan.versions.append(fresh)
    return fresh


def new_version(session: Session, household: Household, user: User) -> PlanVersion:
    """A draft copied from the current plan's latest version. While a draft exists, that draft is returned."""
    draft = draft_of(session, household.id)
    if draft is not None:
        return draft
    plan = current_plan(session, household.id)
    if plan is None:
        raise PlanRuleBroken("no_plan")
    latest = plan.versions[-1]
    fresh = _copy(latest, plan, latest.number + 1, user)
    session.flush()
    return fresh


def start_stable_plan(session: Session, household: Household, user: User) -> PlanVersion:
    """The stable plan begins as a copy of the direct plan's latest version, once that is agreed."""
    found = {p.kind: p for p in plans(session, household.id)}
    if PlanKind.stable in found:
        raise PlanRuleBroken("stable_exists")
    direct = found.get(PlanKind.direct)
    if direct is None:
        raise PlanRuleBroken("no_plan")
    latest = direct.versions[-1]
    if latest.status == VersionStatus.draft:
        raise PlanRuleBroken("direct_not_agreed")
    stable = SafetyPlan(household_id=household.id, kind=PlanKind.stable)
    session.add(stable)
    fresh = _copy(latest, stable, 1, user)
    session.flush()
    return fresh


def agree(session: Session, version: PlanVersion, now: datetime | None = None) -> None:
    """The household and network agreed to this version: from now on it cannot change."""
    _editable(version)
    if not version.agreements:
        raise PlanRuleBroken("no_agreements")
    version.status = VersionStatus.agreed
    version.agreed_at = now or utcnow()
    session.flush()


def record_approval(session: Session, version: PlanVersion, name: str, role: str, approved_on: date,
                    recorded_by: User) -> PlanApproval:
    """A professional who has to (e.g. the youth protection worker) approved an agreed version."""
    if version.status == VersionStatus.draft:
        raise PlanRuleBroken("not_agreed")
    approval = PlanApproval(name=name.strip(), role=role.strip(), approved_on=approved_on,
                            recorded_by_id=recorded_by.id)
    version.approvals.append(approval)
    version.status = VersionStatus.approved
    session.flush()
    return approval


# --- editing a draft ---------------------------------------------------------------------------------

@dataclass
class AgreementInput:
    what: str
    who: str = ""
    when: str = ""
    how_checked: str = ""
    if_it_goes_wrong: str = ""
    danger_statement_id: int | None = None


def _set_picture(agreement: Agreement, instance_path: str | None, picture: images.CleanImage) -> None:
    # The old file stays: earlier versions of this agreement may still show it.
    if instance_path is None:
        raise ValueError("a picture needs the instance folder to be stored in")
    filename, _size = images.store(upload_folder(instance_path, agreement.household_id), picture)
    agreement.picture, agreement.picture_width, agreement.picture_height = filename, picture.width, picture.height


def add_agreement(session: Session, version: PlanVersion, data: AgreementInput,
                  picture: images.CleanImage | None = None, instance_path: str | None = None) -> Agreement:
    _editable(version)
    agreement = Agreement(household_id=version.household_id, position=len(version.agreements) + 1)
    _fill(agreement, data)
    if picture is not None:
        _set_picture(agreement, instance_path, picture)
    version.agreements.append(agreement)
    session.flush()
    agreement.lineage_id = agreement.id  # the first version of an agreement starts its lineage
    session.flush()
    return agreement


def _fill(agreement: Agreement, data: AgreementInput) -> None:
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, (getattr(data, name) or "").strip())
    agreement.danger_statement_id = data.danger_statement_id or None


def update_agreement(session: Session, agreement: Agreement, data: AgreementInput,
                     picture: images.CleanImage | None = None, remove_picture: bool = False,
                     instance_path: str | None = None) -> None:
    _editable(agreement.version)
    _fill(agreement, data)
    if picture is not None:
        _set_picture(agreement, instance_path, picture)
    elif remove_picture:
        agreement.picture = agreement.picture_width = agreement.picture_height = None
    session.flush()


def remove_agreement(session: Session, agreement: Agreement) -> None:
    version = agreement.version
    _editable(version)
    version.agreements.remove(agreement)
    session.delete(agreement)
    for position, a in enumerate(version.agreements, 1):
        a.position = position
    session.flush()


def move_agreement(session: Session, agreement: Agreement, step: int) -> None:
    """Move one place up (-1) or down (+1); at the top or bottom it stays where it is."""
    version = agreement.version
    _editable(version)
    order = list(version.agreements)
    index = order.index(agreement)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    for position, a in enumerate(order, 1):
        a.position = position
    session.flush()
    session.expire(version, ["agreements"])


def update_safe_object(session: Session, version: PlanVersion, what: str, where: str, action: str,
                       watcher_ids: list[int], household: Household) -> None:
    """The safe object: what it is, where it is put, who watches for it (members of this household) and what
    they then do."""
    _editable(version)
    allowed = {m.id for m in watcher_choices(session, household)}
    version.safe_object_what, version.safe_object_where = what.strip(), where.strip()
    version.safe_object_action = action.strip()
    wanted = [i for i in dict.fromkeys(watcher_ids) if i in allowed]
    version.watchers = [w for w in version.watchers if w.membership_id in wanted] + [
        SafeObjectWatcher(membership_id=i) for i in wanted if i not in {w.membership_id for w in version.watchers}]
    session.flush()


def update_details(session: Session, version: PlanVersion, how_we_inform: str, evaluation_date: date | None) -> None:
    _editable(version)
    version.how_we_inform = how_we_inform.strip()
    version.evaluation_date = evaluation_date
    session.flush()


# --- what changed --------------------------------------------------------------------------------------

@dataclass
class FieldChange:
    name: str  # a field of the agreement or version, e.g. "who" or "safe_object_where"
    before: Any
    after: Any


@dataclass
class AgreementChange:
    agreement: Agreement  # as it is in the newer version
    fields: list[FieldChange]


@dataclass
class PlanChanges:
    older: PlanVersion
    newer: PlanVersion
    added: list[Agreement] = field(default_factory=list)
    removed: list[Agreement] = field(default_factory=list)
    changed: list[AgreementChange] = field(default_factory=list)
    reordered: bool = False
    plan_fields: list[FieldChange] = field(default_factory=list)  # the safe object, informing, evaluation
    watchers_added: list[Membership] = field(default_factory=list)
    watchers_removed: list[Membership] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered or self.plan_fields
                    or self.watchers_added or self.watchers_removed)


def _lineage(agreement: Agreement) -> int:
    return agreement.lineage_id or agreement.id


def _agreement_fields(old: Agreement, new: Agreement, statements: dict[int, DangerStatement]) -> list[FieldChange]:
    found = [FieldChange(name, getattr(old, name), getattr(new, name))
             for name in AGREEMENT_FIELDS if getattr(old, name) != getattr(new, name)]
    if old.danger_statement_id != new.danger_statement_id:
        found.append(FieldChange("danger_statement", statements.get(old.danger_statement_id),
                                 statements.get(new.danger_statement_id)))
    if old.picture != new.picture:
        found.append(FieldChange("picture", bool(old.picture), bool(new.picture)))
    return found


def changes(session: Session, older: PlanVersion, newer: PlanVersion) -> PlanChanges:
    """What changed from `older` to `newer`: agreements added, removed and changed field by field (matched
    by their lineage), and changes to the safe object, its watchers, informing and the evaluation date."""
    result = PlanChanges(older=older, newer=newer)
    before = {_lineage(a): a for a in older.agreements}
    after = {_lineage(a): a for a in newer.agreements}
    statements = statements_by_id(session, newer.household_id, {a.danger_statement_id for a in
                                                                [*older.agreements, *newer.agreements]})
    result.added = [a for lineage, a in after.items() if lineage not in before]
    result.removed = [a for lineage, a in before.items() if lineage not in after]
    for lineage, new in after.items():
        if lineage in before and (fields := _agreement_fields(before[lineage], new, statements)):
            result.changed.append(AgreementChange(new, fields))
    kept_before = [lineage for lineage in before if lineage in after]
    kept_after = [lineage for lineage in after if lineage in before]
    result.reordered = kept_before != kept_after
    result.plan_fields = [FieldChange(name, getattr(older, name), getattr(newer, name))
                          for name in SAFE_OBJECT_FIELDS + VERSION_FIELDS if getattr(older, name) != getattr(newer, name)]
    old_watchers, new_watchers = watchers(older), watchers(newer)
    result.watchers_added = [m for m in new_watchers if m.id not in {w.id for w in old_watchers}]
    result.watchers_removed = [m for m in old_watchers if m.id not in {w.id for w in new_watchers}]
    return result


# --- erasing -------------------------------------------------------------------------------------------

def erase_household_plan(session: Session, household_id: int) -> None:
    """Every plan row of the household, children first (SQLite does not carry out ON DELETE). The pictures
    live in the household's upload folder, which erasing the household removes as a whole."""
    versions = select(PlanVersion.id).where(PlanVersion.household_id == household_id)
    for statement in (
        delete(SafeObjectWatcher).where(SafeObjectWatcher.version_id.in_(versions)),
        delete(PlanApproval).where(PlanApproval.version_id.in_(versions)),
        delete(Agreement).where(Agreement.household_id == household_id),
        delete(PlanVersion).where(PlanVersion.household_id == household_id),
        delete(SafetyPlan).where(SafetyPlan.household_id == household_id),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
    session.flush()


def forget_watcher(session: Session, membership_id: int) -> None:
    """A member who leaves stops watching for the safe object (SQLite does not carry out ON DELETE)."""
    session.execute(delete(SafeObjectWatcher).where(SafeObjectWatcher.membership_id == membership_id),
                    execution_options={"synchronize_session": False})


def _on_member_removing(session: Session, membership: Membership, **_) -> None:
    forget_watcher(session, membership.id)


def connect_hooks() -> None:
    member_removing.connect(_on_member_removing, weak=False)
