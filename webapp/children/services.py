"""The household's children: adding, changing, removing (undo within the grace period, then erased), their
pictures and their safety persons. Services never commit: the view owns the transaction."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from webapp.auth.models import User, utcnow
from webapp.database import prepared
from webapp.hooks import child_erasing
from webapp.households.models import AgeBand, Child, ChildColour, ChildSafetyPerson, Household, Membership, Role
from webapp.households.services import people_with_role
from webapp import uploads as images
from webapp.uploads import upload_folder  # noqa: F401  (views use it too)


@dataclass
class ChildInput:
    first_name: str
    age_band: AgeBand
    colour: ChildColour
    picture: images.CleanImage | None = None  # a new photo, already cleaned of its metadata
    kept_picture: str | None = None  # a photo stored on an earlier try of the same form
    remove_picture: bool = False


def current(session: Session, household: Household) -> list[Child]:
    """The household's children, not removed, in the order they were added."""
    return list(session.scalars(_current(), {"household_id": household.id}).unique())


@prepared
def _current():
    # Their safety persons joined in, not loaded by a second query (the home shows them).
    return (select(Child).options(joinedload(Child.safety_person_rows))
            .where(Child.household_id == bindparam("household_id"), Child.removed_at.is_(None))
            .order_by(Child.created_at, Child.id))


def current_child(session: Session, household: Household, child_id: int | None) -> Child | None:
    if child_id is None:
        return None
    return session.scalar(select(Child).where(Child.household_id == household.id, Child.id == child_id,
                                              Child.removed_at.is_(None)))


def removed(session: Session, household: Household) -> list[Child]:
    """Children removed and not yet erased: the household can still undo it."""
    return list(session.scalars(select(Child).where(Child.household_id == household.id, Child.removed_at.is_not(None))
                                .order_by(Child.removed_at.desc(), Child.id)))


def keep_picture(instance_path: str, household_id: int, image: images.CleanImage) -> str:
    filename, _ = images.store(upload_folder(instance_path, household_id), image)
    return filename


def picture_path(instance_path: str, child: Child) -> Path | None:
    if not child.picture:
        return None
    return upload_folder(instance_path, child.household_id) / Path(child.picture).name


def _remove_file(instance_path: str, household_id: int, filename: str | None) -> None:
    if filename:
        (upload_folder(instance_path, household_id) / Path(filename).name).unlink(missing_ok=True)


def _apply(instance_path: str, child: Child, data: ChildInput) -> None:
    old = child.picture
    child.first_name, child.age_band, child.colour = data.first_name.strip(), data.age_band, data.colour
    if data.picture is not None:
        child.picture = keep_picture(instance_path, child.household_id, data.picture)
    elif data.kept_picture:
        child.picture = data.kept_picture
    elif data.remove_picture:
        child.picture = None
    if old and old != child.picture:
        _remove_file(instance_path, child.household_id, old)


def add_child(session: Session, instance_path: str, household: Household, user: User, data: ChildInput,
              now: datetime | None = None) -> Child:
    child = Child(household_id=household.id, created_by=user, created_at=now or utcnow(), first_name="",
                  age_band=data.age_band, colour=data.colour)
    _apply(instance_path, child, data)
    session.add(child)
    session.flush()
    return child


def edit_child(session: Session, instance_path: str, child: Child, user: User, data: ChildInput,
               now: datetime | None = None) -> None:
    _apply(instance_path, child, data)
    child.edited_at, child.edited_by = now or utcnow(), user
    session.flush()


def remove_child(session: Session, child: Child, user: User, now: datetime | None = None) -> None:
    """Marked, not deleted: the household can undo it until the grace period ends."""
    if child.removed_at is None:
        child.removed_at, child.removed_by = now or utcnow(), user
        session.flush()


def undo_remove(session: Session, child: Child) -> None:
    child.removed_at, child.removed_by = None, None
    session.flush()


def erase_at(child: Child, grace_days: int) -> datetime | None:
    return child.removed_at + timedelta(days=grace_days) if child.removed_at else None


def erase_removed(session: Session, instance_path: str, grace_days: int, now: datetime | None = None) -> int:
    """Erase every child removed longer ago than the grace period, with their picture and what is theirs alone
    (`hooks.child_erasing`: their books). Their messages in the log stay as the household's evidence, without the
    child's name."""
    before = (now or utcnow()) - timedelta(days=grace_days)
    due = list(session.scalars(select(Child).where(Child.removed_at.is_not(None), Child.removed_at <= before)))
    for child in due:
        child_erasing.send(session, child=child, instance_path=instance_path)
        _remove_file(instance_path, child.household_id, child.picture)
        session.delete(child)
    session.flush()
    return len(due)


def safety_people(session: Session, child: Child) -> list[Membership]:
    """The child's own safety persons: those chosen for them, or else every safety person of the household."""
    everyone = people_with_role(session, _household(session, child), Role.safety_person)
    chosen = {row.membership_id for row in child.safety_person_rows}
    return [m for m in everyone if m.id in chosen] if chosen & {m.id for m in everyone} else everyone


def chosen_safety_people(child: Child) -> set[int]:
    return {row.membership_id for row in child.safety_person_rows}


def set_safety_people(session: Session, child: Child, membership_ids: set[int]) -> None:
    """Choose the child's safety persons among the household's; none chosen means all of them."""
    allowed = {m.id for m in people_with_role(session, _household(session, child), Role.safety_person)}
    wanted = membership_ids & allowed
    child.safety_person_rows = [row for row in child.safety_person_rows if row.membership_id in wanted] + [
        ChildSafetyPerson(membership_id=i) for i in sorted(wanted - chosen_safety_people(child))]
    session.flush()


def _household(session: Session, child: Child) -> Household:
    return session.get(Household, child.household_id)


def export(session: Session, household_id: int) -> list[dict]:
    """The household's children for its export ZIP, removed ones included while they can still come back."""
    children = session.scalars(select(Child).where(Child.household_id == household_id).order_by(Child.id))
    name = lambda user: user.display_name if user else None  # noqa: E731
    return [{"first_name": c.first_name, "age_band": c.age_band.value, "colour": c.colour.value,
             "picture": f"files/{c.household_id}/{c.picture}" if c.picture else None,
             "safety_persons": [m.user.display_name for m in safety_people(session, c)],
             "added_at": c.created_at, "added_by": name(c.created_by), "changed_at": c.edited_at,
             "changed_by": name(c.edited_by), "removed_at": c.removed_at, "removed_by": name(c.removed_by)}
            for c in children]
