"""The genogram's domain: adding, changing and removing relatives and the bonds between them, and where each is
drawn. Functions take a session and records; they never commit (the view owns the transaction).

The drawing has three rows: grandparents; parents with their new partners and their brothers and sisters; the
children. The first parent's family goes to the left, the second's to the right, so that each side's grandparents
stand above their own children."""
from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from webapp.genogram.models import Bond, Kin, Relationship, Relative

SLOT = 140  # the width one person takes in the drawing, in SVG units
ROWS = {Kin.grandparent: 40, Kin.parent: 200, Kin.partner: 200, Kin.aunt_uncle: 200, Kin.child: 360}
HALF = 18  # half a shape
MARGIN = 75


def relatives(session: Session, household_id: int) -> list[Relative]:
    return list(session.scalars(select(Relative).where(Relative.household_id == household_id)
                                .order_by(Relative.created_at, Relative.id)))


def bonds(session: Session, household_id: int) -> list[Relationship]:
    return list(session.scalars(select(Relationship).where(Relationship.household_id == household_id)
                                .order_by(Relationship.id)))


def parents(people: list[Relative]) -> list[Relative]:
    return [r for r in people if r.kin == Kin.parent]


def check_of(relative: Relative, of: Relative | None) -> None:
    """`of` names a parent of this household, and only for those who belong to one parent's side."""
    if of is None:
        return
    if of.household_id != relative.household_id or of.kin != Kin.parent or of.id == relative.id:
        raise ValueError("not a parent of this household")
    if relative.kin == Kin.parent:
        raise ValueError("a parent is nobody's side")


def add_bond(session: Session, household_id: int, a: Relative, b: Relative, bond: Bond) -> Relationship:
    """How two relatives stand; a second bond between the same two replaces the first."""
    if a.id == b.id or a.household_id != household_id or b.household_id != household_id:
        raise ValueError("two relatives of this household")
    existing = session.scalar(select(Relationship).where(
        Relationship.household_id == household_id,
        or_((Relationship.a_id == a.id) & (Relationship.b_id == b.id),
            (Relationship.a_id == b.id) & (Relationship.b_id == a.id))))
    if existing is not None:
        existing.bond = bond
        return existing
    made = Relationship(household_id=household_id, a=a, b=b, bond=bond)
    session.add(made)
    session.flush()
    return made


def remove(session: Session, relative: Relative) -> None:
    """Take someone out of the genogram, with the bonds they had; who was on their side keeps standing, unattached."""
    session.execute(delete(Relationship).where(or_(Relationship.a_id == relative.id, Relationship.b_id == relative.id)),
                    execution_options={"synchronize_session": False})
    for other in session.scalars(select(Relative).where(Relative.of_id == relative.id)):
        other.of = None
    session.delete(relative)
    session.flush()


# --- the drawing ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Node:
    relative: Relative
    x: float
    y: float
    label: str
    year: str  # the year of birth, on a line of its own under the name
    index: bool  # one of the household's own children: drawn with a double line


@dataclass(frozen=True)
class Line:
    points: str  # an SVG polyline
    kind: str  # together, separated, no_contact, descent
    mark: tuple[float, float] | None = None  # where a separation's two strokes go


@dataclass
class Tree:
    nodes: list[Node] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    width: float = 0
    height: float = ROWS[Kin.child] + 80


def _label(relative: Relative) -> str:
    """What fits under a shape: a short title with the name ("Oma Ria", "Tante Fatima"), else the first name, cut
    when long ("Sanne de Vries" is "Sanne")."""
    words = relative.name.split() or [relative.name]
    if len(words) > 1 and len(words[0]) <= 5 and words[1][:1].isupper() and len(words[0]) + len(words[1]) < 14:
        return f"{words[0]} {words[1]}"
    return words[0] if len(words[0]) <= 14 else words[0][:13] + "…"


def _spread(desired: list[tuple[Relative, float]]) -> dict[int, float]:
    """Keep the wanted places in their order, at least one slot apart."""
    placed: dict[int, float] = {}
    last = None
    for relative, x in sorted(desired, key=lambda item: item[1]):
        x = x if last is None else max(x, last + SLOT)
        placed[relative.id] = last = x
    return placed


def layout(people: list[Relative], ties: list[Relationship]) -> Tree:
    mothers_fathers = parents(people)
    side = {p.id: i for i, p in enumerate(mothers_fathers)}

    def of_side(kin: Kin, parent: Relative) -> list[Relative]:
        return [r for r in people if r.kin == kin and r.of_id == parent.id]

    # The middle row: each parent with their new partners beside them and their brothers and sisters outside.
    middle: list[Relative] = []
    for i, parent in enumerate(mothers_fathers):
        family = of_side(Kin.aunt_uncle, parent)
        partners = of_side(Kin.partner, parent)
        middle += (family + partners + [parent]) if i == 0 else ([parent] + partners + family)
    middle += [r for r in people if r.kin in (Kin.partner, Kin.aunt_uncle) and r.of_id not in side]
    x = {r.id: i * SLOT for i, r in enumerate(middle)}

    # The children, under their parents: half brothers and sisters on their own parent's side.
    shared = [r for r in people if r.kin == Kin.child and r.of_id not in side]
    by_side = [[r for r in people if r.kin == Kin.child and r.of_id == p.id] for p in mothers_fathers]
    row = (by_side[0] if by_side else []) + shared + [r for group in by_side[1:] for r in group]
    anchors = [x[p.id] for p in mothers_fathers[:2]]
    centre = sum(anchors) / len(anchors) if anchors else 0
    for i, r in enumerate(row):
        x[r.id] = centre + (i - (len(row) - 1) / 2) * SLOT

    # The grandparents, above their own child and that child's brothers and sisters.
    wanted = []
    for parent in mothers_fathers:
        above = of_side(Kin.grandparent, parent)
        below = [x[parent.id]] + [x[r.id] for r in of_side(Kin.aunt_uncle, parent)]
        middle_x = sum(below) / len(below)
        wanted += [(g, middle_x + (i - (len(above) - 1) / 2) * SLOT) for i, g in enumerate(above)]
    loose = [r for r in people if r.kin == Kin.grandparent and r.of_id not in side]
    wanted += [(g, (max((w for _, w in wanted), default=-SLOT)) + SLOT * (i + 1)) for i, g in enumerate(loose)]
    x.update(_spread(wanted))

    if not x:
        return Tree(width=2 * MARGIN)
    shift = MARGIN - min(x.values())
    tree = Tree(width=max(x.values()) + shift + MARGIN)
    where = {}
    for r in people:
        if r.id in x:
            where[r.id] = (x[r.id] + shift, ROWS[r.kin])
            tree.nodes.append(Node(r, x[r.id] + shift, ROWS[r.kin], _label(r), str(r.born or ""),
                                   r.kin == Kin.child and r.child_id is not None))
    _lines(tree, people, ties, where, mothers_fathers)
    return tree


def _couple(a: tuple[float, float], b: tuple[float, float], kind: str) -> Line:
    """Partners side by side are joined at half height, from one shape's side to the other's, so the names under
    them stay free; a separation gets two strokes across; no contact (or anyone in another row) a straight line."""
    (xa, ya), (xb, yb) = sorted([a, b])
    if ya != yb:
        return Line(f"{xa},{ya + HALF} {xb},{yb - HALF}" if ya < yb else f"{xa},{ya - HALF} {xb},{yb + HALF}", kind)
    return Line(f"{xa + HALF},{ya} {xb - HALF},{yb}", kind, ((xa + xb) / 2, ya) if kind == "separated" else None)


def _descent(top: list[tuple[float, float]], children: list[tuple[float, float]]) -> list[Line]:
    """From the middle of the parents (or the one parent) down to a bar over their children, and down to each."""
    if not top or not children:
        return []
    start_x = sum(p[0] for p in top) / len(top)
    start_y = top[0][1] if len(top) > 1 else top[0][1] + HALF + 42  # from the couple's line, or under the name
    bar = children[0][1] - HALF - 30
    xs = [c[0] for c in children] + [start_x]
    lines = [Line(f"{start_x},{start_y} {start_x},{bar}", "descent"),
             Line(f"{min(xs)},{bar} {max(xs)},{bar}", "descent")]
    lines += [Line(f"{c[0]},{bar} {c[0]},{c[1] - HALF}", "descent") for c in children]
    return lines


def _lines(tree: Tree, people: list[Relative], ties: list[Relationship], where: dict, mothers_fathers: list) -> None:
    for tie in ties:
        if tie.a_id in where and tie.b_id in where:
            tree.lines.append(_couple(where[tie.a_id], where[tie.b_id], tie.bond.value))
    first_two = [where[p.id] for p in mothers_fathers[:2]]
    shared = [where[r.id] for r in people if r.kin == Kin.child and r.of_id not in {p.id for p in mothers_fathers}]
    tree.lines += _descent(first_two, shared)
    for parent in mothers_fathers:
        own = [where[r.id] for r in people if r.kin == Kin.child and r.of_id == parent.id]
        tree.lines += _descent([where[parent.id]], own)
        grand = [where[r.id] for r in people if r.kin == Kin.grandparent and r.of_id == parent.id]
        siblings = [where[parent.id]] + [where[r.id] for r in people if r.kin == Kin.aunt_uncle and r.of_id == parent.id]
        tree.lines += _descent(grand[:2], sorted(siblings))


# --- export and erase ----------------------------------------------------------------------------------------------

def export(session: Session, household_id: int) -> dict:
    people = relatives(session, household_id)
    return {"people": [{"id": r.id, "name": r.name, "kin": r.kin.value, "shape": r.shape.value, "of": r.of_id,
                        "born": r.born, "deceased": r.deceased, "in_household": r.in_household,
                        "on_the_circle": r.circle_person_id is not None} for r in people],
            "bonds": [{"a": t.a_id, "b": t.b_id, "bond": t.bond.value} for t in bonds(session, household_id)]}


def erase_household_genogram(session: Session, household_id: int) -> None:
    for statement in (delete(Relationship).where(Relationship.household_id == household_id),
                      delete(Relative).where(Relative.household_id == household_id)):
        session.execute(statement, execution_options={"synchronize_session": False})


