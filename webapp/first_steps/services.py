"""What a new household has done of its first steps. Every step is read from the records themselves (never from a
click), so a step ticks itself when it becomes true and unticks if it stops being true (a safety person leaves)."""
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from webapp.database import prepared
from webapp.households.models import Household, Membership, Role
from webapp.children.services import current as current_children
from webapp.households.services import people
from webapp.invitations.services import open_invitations
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.safety_log.models import LogEntry
from webapp.safety_log.services import visible
from webapp.safety_plan.models import PlanVersion, SafeObjectWatcher, VersionStatus
from webapp.safety_plan.services import NOT_LOOKED_UP, draft_of, has_watchers, version_in_force
from webapp.notify.devices import has_device
from webapp.signals import services as signals

# The method's aim: at least three people from the family's own network around the child.
NETWORK_AIM = 3
# Roles of people from the family's own network (a professional is never counted, whatever else they hold).
NETWORK_ROLES = {Role.safety_person, Role.network_member, Role.chair}


class SafeObject:
    none = "none"  # not written down yet
    draft = "draft"  # in the draft plan, with someone who watches, not agreed yet
    agreed = "agreed"  # in the plan in force, with someone who watches


@dataclass(frozen=True)
class Alerts:
    """This person's own alerts, and how many people in ring 1 of the alert plan an alert can reach now."""
    mine_on: bool
    ring_one_reachable: int
    ring_one_total: int


@dataclass(frozen=True)
class FirstSteps:
    children: int
    safety_person: bool
    safety_person_invited: bool  # an invitation for a safety person waits to be used
    network: int
    safe_object: str
    # A draft plan is agreed only once it holds at least one agreement. Counted while the safe object is not agreed
    # (the card speaks of the draft only then); 0 once it is.
    draft_agreements: int
    alerts: Alerts | None  # None for a person hidden from signals: nothing about alerts may show to them
    log_written: bool
    meeting_planned: bool

    @property
    def done(self) -> dict[str, bool]:
        """Each step, in the method's order: done or not."""
        steps = {
            "child": self.children > 0,
            "safety_person": self.safety_person,
            "network": self.network >= NETWORK_AIM,
            "safe_object": self.safe_object == SafeObject.agreed,
            "alerts": self.alerts is not None and self.alerts.mine_on,
            "log": self.log_written,
            "meeting": self.meeting_planned,
        }
        if self.alerts is None:  # not a step for a person hidden from signals
            del steps["alerts"]
        return steps

    @property
    def finished(self) -> bool:
        return all(self.done.values())

    @property
    def on_home(self) -> bool:
        """The checklist stays on the home until the household's steps are done. A phone without alerts alone does
        not bring it back (every new phone and every new person would see seven steps again): the home's banner
        asks for that one."""
        return any(not done for key, done in self.done.items() if key != "alerts")

    @property
    def count_done(self) -> int:
        return sum(self.done.values())


def _network(members: list[Membership]) -> int:
    return sum(1 for m in members if m.roles & NETWORK_ROLES and Role.professional not in m.roles)


def _agreed(in_force: PlanVersion | None, in_force_watched: bool) -> bool:
    """Is the safe object written in the plan in force, with someone who watches for it?"""
    return (in_force is not None and in_force.status != VersionStatus.draft and bool(in_force.safe_object_what.strip())
            and in_force_watched)


def _in_draft(session: Session, draft: PlanVersion | None) -> str:
    """The safe object's step while it is not agreed: written in the draft with someone who watches, or not yet."""
    written = draft is not None and bool(draft.safe_object_what.strip())
    return SafeObject.draft if written and has_watchers(session, draft) else SafeObject.none


def _alerts(session: Session, household: Household, membership: Membership, now: datetime,
            sms_on: bool) -> Alerts | None:
    if membership.signals_hidden:
        return None
    reach = signals.reach(session, household, now, sms_on)
    ring_one = [r for r in reach if r.ring == 1]
    return Alerts(mine_on=has_device(session, membership.user_id, working=True),
                  ring_one_reachable=sum(1 for r in ring_one if r.reachable_by and r.unreachable_until is None),
                  ring_one_total=len(ring_one))


def first_steps(session: Session, household: Household, membership: Membership, now: datetime,
                sms_on: bool = False) -> FirstSteps:
    steps = _household_steps(session, household, membership, Known())
    return replace(steps, alerts=_alerts(session, household, membership, now, sms_on))


@dataclass(frozen=True)
class Known:
    """What the page asking already loaded for the household (its people, current children, open invitations), so
    that the steps do not ask for it again; None: not loaded."""
    people: list[Membership] | None = None
    children: list | None = None
    invitations: list | None = None
    in_force: object = NOT_LOOKED_UP  # the plan's version in force (None: there is none)


def first_steps_on_home(session: Session, household: Household, membership: Membership, now: datetime,
                        sms_on: bool = False, known: Known = Known()) -> FirstSteps | None:
    """The steps for the home's card, or None once the card is gone: whether it shows does not depend on this
    phone's alerts, so the alert plan's reach (the dearest question) is asked only while it shows."""
    steps = _household_steps(session, household, membership, known)
    if not steps.on_home:
        return None
    return replace(steps, alerts=_alerts(session, household, membership, now, sms_on))


def _household_steps(session: Session, household: Household, membership: Membership, known: Known) -> FirstSteps:
    """Every step but this person's alerts (left None)."""
    members = known.people if known.people is not None else people(session, household)
    children = known.children if known.children is not None else current_children(session, household)
    invitations = known.invitations if known.invitations is not None else open_invitations(session, household)
    safety_person = any(Role.safety_person in m.roles and m.user.can_sign_in for m in members)
    in_force = version_in_force(session, household.id) if known.in_force is NOT_LOOKED_UP else known.in_force
    log_written, meeting_planned, in_force_watched = session.execute(
        _records_exist(membership.signals_hidden),
        {"household_id": household.id, "version_id": in_force.id if in_force is not None else None}).one()
    # Once the safe object is agreed (most households, most of the time) the draft is not read at all.
    agreed = _agreed(in_force, bool(in_force_watched))
    draft = None if agreed else draft_of(session, household.id, in_force)
    return FirstSteps(
        children=len(children),
        safety_person=safety_person,
        safety_person_invited=any(i.role == Role.safety_person for i in invitations),
        network=_network(members),
        safe_object=SafeObject.agreed if agreed else _in_draft(session, draft),
        draft_agreements=len(draft.agreements) if draft is not None else 0,
        alerts=None,
        log_written=bool(log_written),
        meeting_planned=bool(meeting_planned),
    )


@prepared
def _records_exist(signals_hidden: bool):
    """Is there a log entry (that this person may see), a meeting that is not cancelled, and someone who watches
    for the safe object in the version in force: one statement."""
    # An entry a signal left behind does not count for a person hidden from signals: it would tell them.
    entry = visible(select(LogEntry.id).where(LogEntry.household_id == bindparam("household_id")), signals_hidden)
    meeting = select(Meeting.id).where(Meeting.household_id == bindparam("household_id"),
                                       Meeting.status != MeetingStatus.cancelled)
    watcher = select(SafeObjectWatcher.id).where(SafeObjectWatcher.version_id == bindparam("version_id"))
    return select(entry.exists(), meeting.exists(), watcher.exists())
