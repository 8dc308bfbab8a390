"""Households and memberships: creating them, reading who is in them with which roles."""
from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from webapp.auth.models import User
from webapp.authz import EDITORS
from webapp.database import prepared
from webapp.hooks import member_removing
from webapp.households.models import Child, Household, Membership, MembershipRole, Phase, Role

# The order in which roles are listed to people: the household first, the professional last.
ROLE_ORDER = [Role.household_member, Role.child, Role.safety_person, Role.chair,
              Role.network_member, Role.professional]


def create_household(session: Session, name: str, creator: User, roles: set[Role]) -> Household:
    household = Household(name=name.strip(), phase=Phase.alignment)
    session.add(household)
    add_member(session, household, creator, roles)
    return household


def add_member(session: Session, household: Household, user: User, roles: set[Role]) -> Membership:
    """Add a person to a household, or give an existing member the extra roles."""
    membership = membership_of(session, household.id, user.id)
    if membership is None:
        membership = Membership(household=household, user=user)
        session.add(membership)
        membership.set_roles(set(roles))
    else:
        membership.set_roles(membership.roles | set(roles))
    session.flush()
    return membership


def membership_of(session: Session, household_id: int, user_id: int) -> Membership | None:
    return Membership.lookup(session, household_id, user_id)


def households_of(session: Session, user: User) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership).join(Household).where(Membership.user_id == user.id).order_by(Household.name)
        )
    )


def in_another_household(session: Session, user: User, household_id: int) -> bool:
    """Is the person also in a household other than this one (the home then offers to switch)?"""
    return bool(session.scalar(_in_another_household(), {"user_id": user.id, "household_id": household_id}))


@prepared
def _in_another_household():
    return select(exists().where(Membership.user_id == bindparam("user_id"),
                                 Membership.household_id != bindparam("household_id")))


def sorted_roles(roles: set[Role]) -> list[Role]:
    return [r for r in ROLE_ORDER if r in roles]


@prepared
def _people():
    # The roles joined in, not loaded by a second query (the home, the plan and the log ask for everyone).
    return (select(Membership).join(User).options(contains_eager(Membership.user), joinedload(Membership.role_rows))
            .where(Membership.household_id == bindparam("household_id")))


def _listing_order(roles: set[Role], name: str) -> tuple[int, str]:
    """By a person's first role (a person without any last), then by name."""
    return min((ROLE_ORDER.index(r) for r in roles), default=len(ROLE_ORDER)), name.lower()


def people(session: Session, household: Household) -> list[Membership]:
    """Everyone in the household, ordered by their first role, then by name."""
    members = session.scalars(_people(), {"household_id": household.id}).unique().all()
    return sorted(members, key=lambda m: _listing_order(m.roles, m.user.display_name))


@prepared
def _names_and_roles():
    # The tables' columns: a plain statement, without the ORM's handling of rows (a quarter of a million instructions).
    membership, user, role = Membership.__table__.c, User.__table__.c, MembershipRole.__table__.c
    return (select(membership.user_id, user.display_name, role.role)
            .select_from(Membership.__table__.join(User.__table__, user.id == membership.user_id)
                         .outerjoin(MembershipRole.__table__, role.membership_id == membership.id))
            .where(membership.household_id == bindparam("household_id")))


def _names_roles(session: Session, household: Household) -> list[tuple[int, str, set[Role]]]:
    """(user id, name, roles) of everyone in the household, in the order of `people`, read as rows."""
    found: dict[int, tuple[str, set[Role]]] = {}
    for user_id, name, role in session.execute(_names_and_roles(), {"household_id": household.id}):
        roles = found.setdefault(user_id, (name, set()))[1]
        if role is not None:  # a member without roles still has a row
            roles.add(role)
    ordered = sorted(found.items(), key=lambda item: _listing_order(item[1][1], item[1][0]))
    return [(user_id, name, roles) for user_id, (name, roles) in ordered]


def named_people(session: Session, household: Household, without: Role | None = None) -> list[tuple[int, str]]:
    """(user id, name) of everyone in the household (but those with the role `without`), in the order of `people`:
    only the names and roles read, as rows, for a list that shows names (the log's "who wrote it" filter)."""
    return [(user_id, name) for user_id, name, roles in _names_roles(session, household)
            if without is None or without not in roles]


def people_with_role(session: Session, household: Household, role: Role) -> list[Membership]:
    return [m for m in people(session, household) if role in m.roles]


@dataclass(frozen=True)
class ExampleNames:
    """First names for the examples in form hints (webapp.households.examples)."""
    child: str | None
    adults: tuple[str, ...]


def example_names(session: Session, household: Household) -> ExampleNames:
    """This household's own first names for examples: its first child (None without one) and one or two of its
    grown-ups, the safety person first; never a professional. Every form hint takes its names from here, and
    children are found only through `_first_child` (a child removed from the household is never an example)."""
    # Read as rows: a form page shows these names only (a Child object would load its safety persons too).
    child = session.scalar(_first_child(), {"household_id": household.id})
    adults = [(name, roles) for _id, name, roles in _names_roles(session, household)
              if not roles & {Role.child, Role.professional}]
    adults.sort(key=lambda adult: Role.safety_person not in adult[1])  # stable: else in the household's own order
    return ExampleNames(child=child, adults=tuple(User.first_name_of(name) for name, _roles in adults[:2]))


@prepared
def _first_child():
    child = Child.__table__.c
    return (select(child.first_name).where(child.household_id == bindparam("household_id"), child.removed_at.is_(None))
            .order_by(child.created_at, child.id).limit(1))


def set_roles(session: Session, membership: Membership, roles: set[Role]) -> None:
    membership.set_roles(roles)
    session.flush()


def remove_member(session: Session, membership: Membership) -> None:
    """Take the person out of the household. Each capability takes away what hangs from the membership first
    (`hooks.member_removing`: the alert plan, the safe object's watchers, invitations to meetings to come)."""
    member_removing.send(session, membership=membership)
    session.delete(membership)
    session.flush()


def professional_role_changed(membership: Membership, new_roles: set[Role]) -> bool:
    """A professional's access comes from a grant with an end date, and a professional holds no other role: so the
    role cannot be given, taken away or combined here (that would skip the grant, or leave a member without one)."""
    was, becomes = Role.professional in membership.roles, Role.professional in new_roles
    return was != becomes or (becomes and new_roles != {Role.professional})


def editors_left_without(session: Session, membership: Membership, new_roles: set[Role]) -> int:
    """How many members could still edit the household if `membership` had `new_roles`."""
    count = 0
    for m in people(session, membership.household):
        roles = new_roles if m.id == membership.id else m.roles
        if roles & EDITORS:
            count += 1
    return count
