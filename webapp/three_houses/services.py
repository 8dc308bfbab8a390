"""The Three Houses' rules: adding and taking away, and above all who may see what. An item is seen by the grown-up
who helped the child make it; by the child's safety persons when the child chose them; by the network when the child
chose everyone. A member hidden from signals never sees the house of worries, whatever the child chose. Functions
take a session and records and never commit."""
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp import uploads as images
from webapp.children.services import safety_people
from webapp.database import utcnow
from webapp.hooks import child_erasing
from webapp.households.models import Child, Household, Membership, Role
from webapp.three_houses.models import House, HouseItem, ShareWith

PICTOGRAMS = {  # what a child can pick for a house: key -> Kring's own drawing
    "home": "🏠", "love": "❤️", "happy": "😊", "sad": "😢", "scared": "😨", "angry": "😠", "play": "⚽",
    "school": "🏫", "star": "⭐", "sun": "☀️", "hug": "🤗", "bike": "🚲",
}
HOUSE_ICONS = {"worries": "😟", "good": "☀️", "dreams": "⭐"}


def add(session: Session, instance_path: str, child: Child, helper_user, house: House, words: str,
        pictogram: str | None, drawing: images.CleanImage | None, share_with: ShareWith) -> HouseItem:
    if pictogram is not None and pictogram not in PICTOGRAMS:
        raise ValueError("not one of Kring's pictures")
    filename = images.store(images.upload_folder(instance_path, child.household_id), drawing)[0] if drawing else None
    item = HouseItem(household_id=child.household_id, child=child, house=house, words=words.strip()[:300],
                     pictogram=pictogram, drawing=filename, share_with=share_with, helper=helper_user)
    session.add(item)
    session.flush()
    return item


def take_away(item: HouseItem, now: datetime | None = None) -> None:
    """Out of the house; kept, with when, so that what the child said once is not silently lost."""
    item.removed_at = item.removed_at or now or utcnow()


def may_see(item: HouseItem, viewer: Membership, child_safety_people: set[int]) -> bool:
    if item.house == House.worries and viewer.signals_hidden:
        return False
    if Role.professional in viewer.roles:
        return item.share_with == ShareWith.network
    if item.helper_id == viewer.user_id:
        return True
    if item.share_with == ShareWith.network:
        return True
    return item.share_with == ShareWith.safety_people and viewer.id in child_safety_people


def items_for(session: Session, household: Household, viewer: Membership, children: list[Child],
              with_removed: bool = False) -> dict[int, list[HouseItem]]:
    """Per child, what `viewer` may see, oldest first (taken-away items too when asked)."""
    ids = [c.id for c in children]
    rows = session.scalars(select(HouseItem).where(HouseItem.household_id == household.id,
                                                   HouseItem.child_id.in_(ids))
                           .order_by(HouseItem.created_at, HouseItem.id)).all() if ids else []
    safe = {c.id: {m.id for m in safety_people(session, c)} for c in children}
    out: dict[int, list[HouseItem]] = {c.id: [] for c in children}
    for item in rows:
        if (with_removed or item.removed_at is None) and may_see(item, viewer, safe[item.child_id]):
            out[item.child_id].append(item)
    return out


@dataclass(frozen=True)
class ChildVoice:
    """For the meeting pack and the summary: what the child chose to share with everyone, and how much there is."""
    child: Child
    shared: list[HouseItem]
    counts: dict[str, int]  # per house, everything in it (shared or not): a count says nothing of what it is


def voices(session: Session, household: Household, children: list[Child], with_worries: bool) -> list[ChildVoice]:
    out = []
    for child in children:
        items = list(session.scalars(select(HouseItem).where(HouseItem.child_id == child.id,
                                                             HouseItem.removed_at.is_(None))
                                     .order_by(HouseItem.created_at, HouseItem.id)))
        shared = [i for i in items if i.share_with == ShareWith.network and (with_worries or i.house != House.worries)]
        counts = {h.value: sum(1 for i in items if i.house == h) for h in House
                  if with_worries or h != House.worries}
        if items:
            out.append(ChildVoice(child, shared, counts))
    return out


def picture_path(instance_path: str, item: HouseItem) -> Path | None:
    if not item.drawing:
        return None
    path = images.upload_folder(instance_path, item.household_id) / item.drawing
    return path if path.is_file() else None


def export(session: Session, household_id: int) -> list[dict]:
    return [{"child": i.child.first_name, "house": i.house.value, "words": i.words, "picture": i.pictogram,
             "drawing": i.drawing, "share_with": i.share_with.value, "at": i.created_at, "taken_away": i.removed_at}
            for i in session.scalars(select(HouseItem).where(HouseItem.household_id == household_id)
                                     .order_by(HouseItem.created_at))]


def erase_household_houses(session: Session, household_id: int) -> None:
    session.execute(delete(HouseItem).where(HouseItem.household_id == household_id),
                    execution_options={"synchronize_session": False})


def _on_child_erasing(session: Session, child: Child, instance_path: str, **_) -> None:
    """The child's houses are the child's own: they go with the child, drawings and all."""
    for item in session.scalars(select(HouseItem).where(HouseItem.child_id == child.id)):
        path = picture_path(instance_path, item)
        if path is not None:
            path.unlink(missing_ok=True)
        session.delete(item)


def connect_hooks() -> None:
    child_erasing.connect(_on_child_erasing, weak=False)
