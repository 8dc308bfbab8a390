"""The safety plan: its versions (direct, later stable), their agreements, the safe object, and approvals."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.database import HouseholdScoped
from webapp.extensions import db
from webapp.households.models import Membership, _enum


class PlanKind(enum.StrEnum):
    direct = "direct"
    stable = "stable"


class VersionStatus(enum.StrEnum):
    draft = "draft"
    agreed = "agreed"  # the household and network agreed to it
    approved = "approved"  # approved by a professional who has to (e.g. the youth protection worker)


class SafetyPlan(HouseholdScoped, db.Model):
    __tablename__ = "safety_plan"
    __table_args__ = (UniqueConstraint("household_id", "kind"),)

    kind: Mapped[PlanKind] = mapped_column(_enum(PlanKind))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list["PlanVersion"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                         order_by="PlanVersion.number")


class PlanVersion(HouseholdScoped, db.Model):
    """One version of the plan. A new version copies the last one; only a draft can be changed."""
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    plan_id: Mapped[int] = mapped_column(ForeignKey("safety_plan.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus), default=VersionStatus.draft)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    agreed_at: Mapped[datetime | None]
    # How people inform each other, and when the plan is looked at again.
    how_we_inform: Mapped[str] = mapped_column(Text, default="")
    evaluation_date: Mapped[date | None]
    # The safe object: what it is, where it is put, what the watchers then do (who watches: SafeObjectWatcher).
    safe_object_what: Mapped[str] = mapped_column(String(200), default="")
    safe_object_where: Mapped[str] = mapped_column(String(200), default="")
    safe_object_action: Mapped[str] = mapped_column(Text, default="")
    # Made from a network meeting's proposed changes (the meeting's id once meetings exist).
    meeting_id: Mapped[int | None]

    plan: Mapped[SafetyPlan] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    agreements: Mapped[list["Agreement"]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                         order_by="Agreement.position")
    approvals: Mapped[list["PlanApproval"]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                           order_by=lambda: [PlanApproval.approved_on, PlanApproval.id])
    watchers: Mapped[list["SafeObjectWatcher"]] = relationship(cascade="all, delete-orphan",
                                                             order_by="SafeObjectWatcher.id")


class Agreement(HouseholdScoped, db.Model):
    """An agreement in simple words. `lineage_id` stays the same across versions, so the safety log can say
    which agreement an entry is about whatever version is current."""
    __tablename__ = "agreement"

    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    lineage_id: Mapped[int | None] = mapped_column(index=True)  # the id of the agreement's first version
    position: Mapped[int]
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(300), default="")  # names, as the household says them
    when: Mapped[str] = mapped_column(String(300), default="")
    how_checked: Mapped[str] = mapped_column(Text, default="")  # planned and unplanned visits, by whom
    if_it_goes_wrong: Mapped[str] = mapped_column(Text, default="")
    danger_statement_id: Mapped[int | None] = mapped_column(ForeignKey("danger_statement.id", ondelete="SET NULL"))
    # A file in the household's upload folder, shared by the copies of this agreement in later versions.
    picture: Mapped[str | None] = mapped_column(String(80))
    picture_width: Mapped[int | None]
    picture_height: Mapped[int | None]

    version: Mapped[PlanVersion] = relationship(back_populates="agreements")


class SafeObjectWatcher(db.Model):
    """A member who watches for the safe object: by default in ring 1 of the alert plan."""
    __tablename__ = "safe_object_watcher"
    __table_args__ = (UniqueConstraint("version_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"), index=True)

    # Joined into the query that loads the watchers: a plan page names every watcher.
    membership: Mapped[Membership] = relationship(lazy="joined")


class PlanApproval(db.Model):
    """Who approved which version, in which role (e.g. the youth protection worker), and when.

    Professionals never write in Kring: an editor records the approval on their behalf (`recorded_by`)."""
    __tablename__ = "plan_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(80))
    approved_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[PlanVersion] = relationship(back_populates="approvals")
    recorded_by: Mapped[User | None] = relationship()
