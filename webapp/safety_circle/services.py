"""The safety circle's domain: placing, moving and taking people off; the circle as it stood on any day; the aim of
three people from the family's own circle in the inner ring; how the inner ring grew; and where each person is drawn.

Functions take a session and records; they never commit (the view owns the transaction)."""
import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.auth.models import User
from webapp.database import utcnow
from webapp.households.models import Household, Membership, Role
from webapp.safety_circle.models import CirclePerson, CirclePlacement, Ring

AIM = 3  # the method's aim: at least three people from the family's own circle, involved and informed
RINGS = (Ring.inner, Ring.middle, Ring.outer)


@dataclass(frozen=True)
class Placed:
    person: CirclePerson
    ring: Ring
    since: datetime


@dataclass
class Circle:
    """Who stood in which ring on one day."""
    rings: dict[Ring, list[Placed]] = field(default_factory=lambda: {ring: [] for ring in Ring})

    @property
    def inner_count(self) -> int:
        """People from the family's own circle in the inner ring: professionals stand apart, so never counted."""
        return len(self.rings[Ring.inner])

    @property
    def still_needed(self) -> int:
        return max(AIM - self.inner_count, 0)

    @property
    def is_empty(self) -> bool:
        return not any(self.rings.values())

    def ring_of(self, person: CirclePerson) -> Ring | None:
        return next((ring for ring, placed in self.rings.items() if any(p.person.id == person.id for p in placed)),
                    None)


def ring_for(ring: Ring, membership: Membership | None) -> Ring:
    """A professional in Kring stands apart whatever ring was chosen: the circle is the family's own network."""
    if membership is not None and Role.professional in membership.roles:
        return Ring.professional
    return ring


def circle_on(session: Session, household_id: int, when: datetime | None = None) -> Circle:
    """Who stood where at `when` (now when None), each ring in the order people were placed in it."""
    moment = when or utcnow()
    placements = session.scalars(
        select(CirclePlacement)
        .where(CirclePlacement.household_id == household_id, CirclePlacement.placed_at <= moment,
               or_(CirclePlacement.ended_at.is_(None), CirclePlacement.ended_at > moment))
        .options(selectinload(CirclePlacement.person))
        .order_by(CirclePlacement.placed_at, CirclePlacement.id)
    ).all()
    circle = Circle()
    for placement in placements:
        circle.rings[placement.ring].append(Placed(placement.person, placement.ring, placement.placed_at))
    return circle


def people_on_circle(session: Session, household_id: int) -> list[CirclePerson]:
    """Everyone ever placed, with their placements (for the history and the export)."""
    return list(session.scalars(
        select(CirclePerson).where(CirclePerson.household_id == household_id)
        .options(selectinload(CirclePerson.placements)).order_by(CirclePerson.created_at, CirclePerson.id)
    ))


def members_not_on_circle(session: Session, household: Household, members: list[Membership]) -> list[Membership]:
    """The household's members who stand nowhere on the circle now: the ones the form offers first."""
    placed = set(session.scalars(
        select(CirclePerson.membership_id).join(CirclePlacement)
        .where(CirclePerson.household_id == household.id, CirclePerson.membership_id.is_not(None),
               CirclePlacement.ended_at.is_(None))
    ))
    return [m for m in members if m.id not in placed]


def place(session: Session, household: Household, by: User, ring: Ring, name: str = "", relation: str = "",
          membership: Membership | None = None, now: datetime | None = None) -> CirclePerson:
    """Put someone on the circle: a member of this household, or someone by name who is not in Kring."""
    if membership is not None and membership.household_id != household.id:
        raise ValueError("a member of another household")
    person = CirclePerson(household_id=household.id, membership=membership, relation=relation.strip(),
                          name=(membership.user.display_name if membership is not None else name.strip())[:80],
                          created_at=now or utcnow())
    session.add(person)
    session.flush()
    session.add(CirclePlacement(household_id=household.id, person=person, ring=ring_for(ring, membership),
                                placed_at=person.created_at, placed_by=by))
    session.flush()
    return person


def move(session: Session, person: CirclePerson, ring: Ring, by: User, now: datetime | None = None) -> bool:
    """Move `person` to `ring` (back onto the circle if they were taken off). False when they stand there already."""
    ring = ring_for(ring, person.membership)
    current = person.current
    if current is not None and current.ring == ring:
        return False
    moment = now or utcnow()
    if current is not None:
        current.ended_at = moment
    session.add(CirclePlacement(household_id=person.household_id, person=person, ring=ring, placed_at=moment,
                                placed_by=by))
    session.flush()
    return True


def take_off(person: CirclePerson, now: datetime | None = None) -> bool:
    """Take `person` off the circle; their earlier places stay in its history. False if they were not on it."""
    current = person.current
    if current is None:
        return False
    current.ended_at = now or utcnow()
    return True


def link_member(person: CirclePerson, membership: Membership) -> None:
    """Someone placed by name has joined Kring: from now on the circle shows them as that member."""
    if membership.household_id != person.household_id:
        raise ValueError("a member of another household")
    person.membership = membership
    current = person.current
    if current is not None and ring_for(current.ring, membership) != current.ring:
        current.ring = Ring.professional


def save_place(session: Session, person: CirclePerson, ring: str, relation: str, membership: Membership | None,
               by: User, now: datetime | None = None) -> None:
    """What the person page sends: where they stand now ("off": not on the circle), who they are to the child, and
    the member they turned out to be once they joined Kring."""
    person.relation = relation.strip()[:80]
    if membership is not None:
        link_member(person, membership)
    if ring == "off":
        take_off(person, now)
    else:
        move(session, person, Ring(ring), by, now)


def inner_ring_over_time(session: Session, household_id: int, until: datetime | None = None
                         ) -> list[tuple[datetime, int]]:
    """(moment, people in the inner ring from then on) at each moment the inner ring changed, oldest first."""
    changes: dict[datetime, int] = {}
    for placed_at, ended_at in session.execute(
            select(CirclePlacement.placed_at, CirclePlacement.ended_at)
            .where(CirclePlacement.household_id == household_id, CirclePlacement.ring == Ring.inner)):
        changes[placed_at] = changes.get(placed_at, 0) + 1
        if ended_at is not None:
            changes[ended_at] = changes.get(ended_at, 0) - 1
    steps, count = [], 0
    for moment in sorted(changes):
        if until is not None and moment > until:
            break
        count += changes[moment]
        if steps and steps[-1][0] == moment:
            steps[-1] = (moment, count)
        elif not steps or steps[-1][1] != count:
            steps.append((moment, count))
    return steps


@dataclass(frozen=True)
class Change:
    person: CirclePerson
    before: Ring | None  # None: not on the circle then
    after: Ring | None  # None: taken off since


def changes_between(earlier: Circle, later: Circle) -> list[Change]:
    """Who came onto the circle, moved or left between two of its days (for a meeting: since the last one)."""
    before = {p.person.id: (p.person, ring) for ring, placed in earlier.rings.items() for p in placed}
    after = {p.person.id: (p.person, ring) for ring, placed in later.rings.items() for p in placed}
    changes = []
    for person_id in list(after) + [i for i in before if i not in after]:
        person = (after.get(person_id) or before[person_id])[0]
        was, now = before.get(person_id, (None, None))[1], after.get(person_id, (None, None))[1]
        if was != now:
            changes.append(Change(person, was, now))
    return changes


# --- drawing -------------------------------------------------------------------------------------------------------

SIZE = 400  # the drawing's square, in SVG units; rings around its centre, professionals in a row below
CENTRE = SIZE / 2
RADII = {Ring.inner: 100, Ring.middle: 150, Ring.outer: 197}  # outer edge of each ring
CHILD_RADIUS = 28
PROFESSIONAL_ROW = SIZE + 40


@dataclass(frozen=True)
class Dot:
    person: CirclePerson
    ring: Ring
    x: float
    y: float
    initial: str
    label: str
    label_y: float  # above the dot in the circle's upper half, below it in the lower half: away from the centre


def _short(name: str) -> str:
    first = name.split()[0] if name.split() else name
    return first if len(first) <= 11 else first[:10] + "…"


def _label(name: str) -> str:
    """What fits under a dot: the first two words ("Oma Ria", "Buurman Kees"), cut when long."""
    words = name.split()
    label = " ".join(words[:2]) if words else name
    return label if len(label) <= 13 else _short(name)


@dataclass(frozen=True)
class Drawing:
    """All the circle's picture needs: the dots, the children's initials for its centre, and its measures."""
    dots: list[Dot]
    centre: str
    has_professionals: bool
    size: int = SIZE
    radii: dict = field(default_factory=lambda: dict(RADII))
    child_radius: int = CHILD_RADIUS
    professional_row: int = PROFESSIONAL_ROW

    @property
    def height(self) -> int:
        return self.professional_row + 40 if self.has_professionals else self.size


def drawing(circle: Circle, children: list) -> Drawing:
    """The picture of `circle` around `children` (their initials in the centre; a household without one yet shows
    an empty centre)."""
    return Drawing(layout(circle), " ".join(c.first_name[:1].upper() for c in children),
                   bool(circle.rings[Ring.professional]))


def layout(circle: Circle) -> list[Dot]:
    """Where each person is drawn: spread evenly over the middle of their ring, each ring turned a little so that
    names in neighbouring rings do not line up; professionals in a row under the circle."""
    dots = []
    inner_edge = {Ring.inner: CHILD_RADIUS, Ring.middle: RADII[Ring.inner], Ring.outer: RADII[Ring.middle]}
    for turn, ring in enumerate(RINGS):
        placed = circle.rings[ring]
        radius = (inner_edge[ring] + RADII[ring]) / 2
        for i, p in enumerate(placed):
            angle = math.radians(-90 + turn * 23 + (i + 0.5) * 360 / len(placed)) if len(placed) > 1 \
                else math.radians(-90 + turn * 23 + 180 * (turn % 2))
            y = round(CENTRE + radius * math.sin(angle), 1)
            dots.append(Dot(p.person, ring, round(CENTRE + radius * math.cos(angle), 1), y,
                            p.person.display_name[:1].upper(), _label(p.person.display_name),
                            y - 21 if math.sin(angle) < -0.2 else y + 32))
    professionals = circle.rings[Ring.professional]
    for i, p in enumerate(professionals):
        x = SIZE * (i + 0.5) / len(professionals)
        dots.append(Dot(p.person, Ring.professional, round(x, 1), PROFESSIONAL_ROW,
                        p.person.display_name[:1].upper(), _label(p.person.display_name), PROFESSIONAL_ROW + 32))
    return dots


# --- export and erase ----------------------------------------------------------------------------------------------

def export(session: Session, household_id: int) -> list[dict]:
    return [{"name": p.display_name, "relation": p.relation, "in_kring": p.membership_id is not None,
             "places": [{"ring": pl.ring.value, "from": pl.placed_at, "until": pl.ended_at}
                        for pl in p.placements]}
            for p in people_on_circle(session, household_id)]


def erase_household_circle(session: Session, household_id: int) -> None:
    for statement in (delete(CirclePlacement).where(CirclePlacement.household_id == household_id),
                      delete(CirclePerson).where(CirclePerson.household_id == household_id)):
        session.execute(statement, execution_options={"synchronize_session": False})


# --- the inner ring over time, as a small step chart ---------------------------------------------------------------

@dataclass(frozen=True)
class Growth:
    points: str  # an SVG polyline
    aim_y: float
    top: int  # the count at the top of the chart
    first: datetime
    last: datetime
    now_count: int
    width: int
    height: int


def growth_chart(history: list[tuple[datetime, int]], until: datetime, width: int = 320, height: int = 90) -> Growth:
    """The count of the inner ring from its first change until `until` as a step line, the aim as a line across."""
    first = history[0][0]
    span = max((until - first).total_seconds(), 1.0)
    top = max([AIM] + [count for _, count in history])

    def x(moment: datetime) -> float:
        return round(width * (moment - first).total_seconds() / span, 1)

    def y(count: int) -> float:
        return round(height - height * count / top, 1)

    points, before = [], None
    for moment, count in history:
        if before is not None:
            points.append(f"{x(moment)},{y(before)}")
        points.append(f"{x(moment)},{y(count)}")
        before = count
    points.append(f"{width},{y(before)}")
    return Growth(" ".join(points), y(AIM), top, first, until, before, width, height)
