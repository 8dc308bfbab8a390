"""Every route of the app, for every role and for a member of another household, against the policy.

A new route without a declared policy fails `test_every_route_declares_a_policy`; a route whose
behaviour disagrees with the policy fails the matrix below.
"""
import functools
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROLE_USERS, TestHousehold, _tables, insert_rows, make_app, sign_in_as
from webapp.authz import POLICY
from webapp.auth.models import Passkey
from webapp.extensions import db
from webapp.households.models import Role
from webapp.invitations.services import create_invitation

PEOPLE = ["anonymous", "outsider", "household_member", "safety_person", "network_member", "chair", "professional"]
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _routes():
    app = make_app()
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, rule.rule, method))
    return sorted(out)


ROUTES = _routes()


def test_every_route_declares_a_policy(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules()
               if not hasattr(app.view_functions[rule.endpoint], "kring_policy")]
    assert missing == []


# What a professional may do: read the household's home (which sends them on to the summary) and the summary.
PROFESSIONAL_READS = {"household.view", "summary.read"}


def test_policy_names_only_known_roles_and_professionals_never_write():
    for permission, roles in POLICY.items():
        assert roles <= set(Role)
        if permission not in PROFESSIONAL_READS:
            assert Role.professional not in roles, permission


@functools.cache
def _photo():
    """A small phone photo, cleaned once: the routes need a picture to serve, not a big one."""
    from webapp.uploads import clean
    from tests.safety_log.test_images import jpeg_with_gps
    return clean(jpeg_with_gps(size=(64, 48)))


@functools.cache
def _drawing():
    from tests.words_pictures.test_services import drawing
    return drawing()


def _url(app, family, endpoint, rule):
    args = {}
    if "<int:household_id>" in rule:
        args["household_id"] = family.household.id
    if "<int:membership_id>" in rule:
        args["membership_id"] = family.membership("network_member").id
    if "<int:invitation_id>" in rule:
        args["invitation_id"] = family.invitation.id
    if "<int:passkey_id>" in rule:
        args["passkey_id"] = family.passkey.id
    if "<int:entry_id>" in rule:
        args["entry_id"] = family.entry.id
    if "<int:attachment_id>" in rule:
        args["attachment_id"] = family.entry.attachments[0].id
    if "<int:activity_id>" in rule:
        args["activity_id"] = family.activity.id
    if "<int:signal_id>" in rule:
        args["signal_id"] = family.signal.id
    if "<int:device_id>" in rule:
        args["device_id"] = family.device.id
    if "<int:grant_id>" in rule:
        args["grant_id"] = family.grant.id
    if "<int:removal_request_id>" in rule:
        args["removal_request_id"] = family.removal_request.id
    if "<int:statement_id>" in rule:
        args["statement_id"] = family.statement.id
    if "<int:scale_id>" in rule:
        args["scale_id"] = family.statement.scale.id
    if "<int:version_id>" in rule:
        args["version_id"] = family.plan_version.id
    if "<int:agreement_id>" in rule:
        args["agreement_id"] = family.agreement.id
    if "<int:meeting_id>" in rule:
        args["meeting_id"] = family.meeting.id
    if "<int:question_id>" in rule:
        args["question_id"] = family.meeting_question.id
    if "<int:score_id>" in rule:
        args["score_id"] = family.meeting_score.id
    if "<int:decision_id>" in rule:
        args["decision_id"] = family.meeting_decision.id
    if "<any(story, plan):kind>" in rule:
        args["kind"] = "plan"
    if "<int:page_id>" in rule:
        args["page_id"] = family.book_page.id
    if "<int:item_id>" in rule:
        args["item_id"] = family.house_item.id
    if "<any(worries, good, dreams):house>" in rule:
        args["house"] = "good"
    if "<int:drill_id>" in rule:
        args["drill_id"] = family.drill.id
    if "<int:relative_id>" in rule:
        args["relative_id"] = family.relative.id
    if "<int:relationship_id>" in rule:
        args["relationship_id"] = family.relationship.id
    if "<int:circle_person_id>" in rule:
        args["circle_person_id"] = family.circle_person.id
    if "<int:child_id>" in rule:
        args["child_id"] = family.child.id
    if "<int:page_number>" in rule:
        args["page_number"] = 1
    if "<locale>" in rule:
        args["locale"] = "nl"
    if "<token>" in rule:
        args["token"] = family.token
    if "<path:filename>" in rule:
        args["filename"] = "css/kring.css"
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **args)


_WORLD_OBJECTS = ("household", "other_household", "child", "invitation", "passkey", "activity", "signal", "device",
                  "removal_request", "statement", "plan_version", "agreement", "book_page", "grant", "meeting",
                  "meeting_question", "meeting_score", "meeting_decision", "circle_person",
                  "relative", "relationship", "drill", "house_item")
_WORLD_LIFETIME = 600  # seconds: the world's times are relative to when it was built (a meeting began an hour ago)


@pytest.fixture
def world(app, request):
    """The household of `family` with one of everything a route can name. Building it costs a quarter of a second
    and the matrix asks for it well over a thousand times, so each test process builds it once and copies its rows
    (and its picture files) back in for every test: each test still starts from the same fresh world."""
    snapshot = _world_snapshot.get("snapshot")
    if snapshot is None or time.monotonic() - snapshot.taken > _WORLD_LIFETIME:
        family = _build_world(app, request.getfixturevalue("family"))
        _world_snapshot["snapshot"] = _Snapshot.take(app, family)
        return family
    return snapshot.restore(app)


_world_snapshot: dict = {}


def _build_world(app, family):
    new = create_invitation(db.session, family.household, family.users["household_member"], "Invited Ivy",
                            Role.network_member, 7)
    family.invitation, family.token = new.invitation, new.token
    family.passkey = Passkey(user=family.users["outsider"], credential_id=b"x" * 16, public_key=b"k", name="phone")
    db.session.add(family.passkey)
    from datetime import date
    from webapp.resilience_calendar.models import ResilienceElement
    from webapp.resilience_calendar.services import ActivityInput, add_activity
    family.activity = add_activity(db.session, family.household, family.users["household_member"], ActivityInput(
        date(2026, 11, 23), "Breakfast together", {ResilienceElement.healthy_food, ResilienceElement.loving_contact},
        part_of_day=None))[0]
    from webapp.auth.models import utcnow
    from webapp.notify.models import PushSubscription
    from webapp.signals.models import SignalSource
    from webapp.signals.services import raise_signal
    family.signal, _ = raise_signal(db.session, family.household, family.users["household_member"], "route-signal",
                                    SignalSource.safe_object, "", utcnow(), 0)
    family.device = PushSubscription(user=family.users["outsider"], endpoint="https://fcm.googleapis.com/fcm/send/x",
                                     p256dh="k", auth="a", device_name="Android – Chrome")
    db.session.add(family.device)
    family.removal_request = _removal_request(app, family)
    family.statement = _danger_statement(family)
    family.plan_version, family.agreement = _safety_plan(app, family)
    family.book_page = _book_page(app, family)
    from webapp.children.services import keep_picture
    family.child.picture = keep_picture(app.instance_path, family.household.id, _photo())  # so it can be served
    family.grant = _grant(family)
    family.meeting, family.meeting_question, family.meeting_score, family.meeting_decision = _meeting(family)
    from webapp.safety_circle.models import Ring
    from webapp.safety_circle.services import place
    family.circle_person = place(db.session, family.household, family.users["household_member"], Ring.middle,
                                 "Opa Henk", "opa")
    from webapp.genogram.models import Bond, Kin, Relative
    from webapp.genogram.services import add_bond
    mother, father = (Relative(household_id=family.household.id, name=name, kin=Kin.parent) for name in ("Mum", "Dad"))
    db.session.add_all([mother, father])
    db.session.flush()
    family.relative, family.relationship = mother, add_bond(db.session, family.household.id, mother, father,
                                                            Bond.separated)
    from webapp.drills.models import DrillKind
    from webapp.drills.services import DrillInput, plan as plan_drill
    family.drill = plan_drill(db.session, family.household, family.users["chair"], DrillInput(
        DrillKind.signal, "The bear is in the window on a Sunday evening.", utcnow(), None, []))
    from webapp.three_houses.models import House, ShareWith
    from webapp.three_houses.services import add as add_to_house
    family.house_item = add_to_house(db.session, app.instance_path, family.child, family.users["household_member"],
                                     House.good, "Baking with grandma", "love",
                                     _drawing(), ShareWith.network)
    db.session.commit()
    return family


@dataclass
class _Snapshot:
    """Every row of every table and every file in the instance folder (but the database's own), right after the
    world was built, and where each of the world's objects is."""
    rows: dict
    files: dict
    objects: dict
    users: dict
    token: str
    taken: float

    @classmethod
    def take(cls, app, family) -> "_Snapshot":
        with db.engine.connect() as conn:
            rows = {table.name: [dict(row) for row in conn.execute(table.select()).mappings()]
                    for table in _tables()}
        files = {path: path.read_bytes() for path in Path(app.instance_path).rglob("*")
                 if path.is_file() and ".sqlite3" not in path.name}
        objects = {name: (type(getattr(family, name)), getattr(family, name).id) for name in _WORLD_OBJECTS}
        return cls(rows, files, objects, {key: user.id for key, user in family.users.items()}, family.token,
                   time.monotonic())

    def restore(self, app) -> "_RestoredWorld":
        with db.engine.begin() as conn:
            insert_rows(conn, [(table, self.rows[table.name]) for table in _tables()])
        for path, content in self.files.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        return _RestoredWorld(self)


class _Users(dict):
    """The world's people, loaded into this test's session when first asked for."""

    def __init__(self, ids: dict):
        super().__init__()
        self._ids = ids

    def __missing__(self, key):
        from webapp.auth.models import User
        self[key] = db.session.get(User, self._ids[key])
        return self[key]

    def get(self, key, default=None):
        return self[key] if key in self._ids else default


class _RestoredWorld(TestHousehold):
    """A world copied back from its snapshot: the same names as the one `_build_world` returns, each object loaded
    into this test's session the first time it is used."""

    def __init__(self, snapshot: _Snapshot):  # noqa: D107 (no dataclass init: every field is loaded lazily)
        self.__dict__["_snapshot"] = snapshot
        self.__dict__["users"] = _Users(snapshot.users)
        self.__dict__["token"] = snapshot.token

    def __getattr__(self, name):
        objects = self.__dict__["_snapshot"].objects
        if name not in objects:
            raise AttributeError(name)
        model, id_ = objects[name]
        value = db.session.get(model, id_)
        self.__dict__[name] = value
        return value

    @property
    def child(self):  # TestHousehold's field has a default, so it is found before __getattr__ is asked
        return self.__getattr__("child")


def _grant(family):
    """The professional's active grant (made by the `family` fixture)."""
    from webapp.grants.models import AccessGrant
    return db.session.scalar(db.select(AccessGrant).filter_by(user_id=family.users["professional"].id))


def _meeting(family):
    """A network meeting that began an hour ago, with a question, a score given in it and a decision."""
    from datetime import timedelta
    from webapp.auth.models import utcnow
    from webapp.meetings import services as meetings
    now = utcnow()
    meeting = meetings.plan_meeting(db.session, family.household, family.users["chair"], meetings.MeetingInput(
        now + timedelta(minutes=5), 90, "At home", "", family.users["chair"].id, [family.statement.id],
        [family.users["household_member"].id, family.users["network_member"].id]), now)
    meeting.starts_at = now - timedelta(hours=1)
    question = meetings.add_question(db.session, meeting, family.users["network_member"], "Weekends?", now)
    score = meetings.add_meeting_score(db.session, meeting, family.household, family.users["safety_person"].id,
                                       family.statement.scale, 6, "Calm evenings", now)
    decision = meetings.add_decision(db.session, meeting, family.household, family.users["chair"],
                                     meetings.DecisionInput("Meet again in a month"), now)
    return meeting, question, score, decision


def _danger_statement(family):
    """An active danger statement with its goal and scale, and one score on it."""
    from webapp.auth.models import utcnow
    from webapp.safety_scales.services import StatementInput, add_score, add_statement
    statement = add_statement(db.session, family.household, family.users["chair"], StatementInput(
        "The school", "Shouting at bedtime", "Mila gets scared", "Calm evenings", "Calm evenings"), utcnow())
    add_score(db.session, statement.scale, family.users["safety_person"], 5, "Calm on Tuesday", utcnow())
    return statement


def _removal_request(app, family):
    """Someone who wrote an entry leaves and asks the household to remove it."""
    from datetime import datetime
    from tests.conftest import make_user
    from webapp.households.services import add_member
    from webapp.ownership.services import leave_household
    from webapp.safety_log.models import EntryKind
    from webapp.safety_log.services import NewEntry, write_entry
    leaver = make_user("Leaver Lee", "leaver")
    membership = add_member(db.session, family.household, leaver, {Role.network_member})
    write_entry(db.session, app.instance_path, family.household, leaver, "route-leaver",
                NewEntry(kind=EntryKind.went_well, occurred_at=datetime(2026, 1, 4, 12), what_happened="Walk in the park"))
    return leave_household(db.session, membership, ask_removal=True)


def _safety_plan(app, family):
    """A draft of the direct plan with one agreement that has a picture (so every plan route can answer)."""
    from webapp.safety_plan import services as plan
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    agreement = plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven"),
                                   _photo(), app.instance_path)
    return version, agreement


def _book_page(app, family):
    """A page of the picture plan with a drawing, so that its picture can be served."""
    from webapp.words_pictures.models import BookKind, PictureKind
    from webapp.words_pictures.services import Picture, add_page
    return add_page(db.session, app.instance_path, family.child, BookKind.plan, "Oma Ria helpt jou.",
                    Picture(PictureKind.drawing, image=_drawing()))


def _entry_by(app, family, person):
    """An entry with a photo, written by the person under test where they may write (so that the
    author-only routes are reachable for them), else by the household member."""
    from datetime import datetime
    from webapp.safety_log.models import EntryKind
    from webapp.safety_log.services import NewEntry, write_entry
    author = family.users.get(person) if person in ("household_member", "safety_person", "network_member", "chair") \
        else family.users["household_member"]
    new = NewEntry(kind=EntryKind.went_well, occurred_at=datetime(2026, 1, 5, 12), what_happened="Calm dinner",
                   photos=[_photo()])
    entry, _ = write_entry(db.session, app.instance_path, family.household, author, f"route-{person}", new)
    db.session.commit()
    return entry


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint,rule,method", ROUTES)
def test_route_answers_as_the_policy_says(app, client, world, endpoint, rule, method, person):
    policy = app.view_functions[endpoint].kring_policy
    if person != "anonymous":
        sign_in_as(client, world.users[person])
    if "entry_id>" in rule or "attachment_id>" in rule:
        world.entry = _entry_by(app, world, person)
    url = _url(app, world, endpoint, rule)
    response = client.open(url, method=method, data={})
    status = response.status_code
    assert status != 500, f"{method} {url} crashed for {person}"
    # Flask-Login sends signed-out visitors to /sign-in?next=…; a plain redirect to /sign-in (after
    # signing out) is not a refusal.
    signed_out_redirect = status == 302 and "/sign-in?next=" in response.headers.get("Location", "")

    if policy == "public":
        return
    if person == "anonymous":
        assert signed_out_redirect, f"{method} {url} must send a signed-out visitor to sign in, got {status}"
        return
    if policy == "signed_in":
        assert not signed_out_redirect and status != 403
        return
    permission = policy.removeprefix("household:")
    if person == "outsider":
        assert status == 404, f"{method} {url} must look non-existent to another household, got {status}"
    elif POLICY[permission] & ROLE_USERS[person][1]:
        assert status not in (401, 403, 404), f"{method} {url} must be allowed for {person}, got {status}"
    else:
        assert status == 403, f"{method} {url} must be refused for {person}, got {status}"
    if person == "professional" and method in WRITE_METHODS:
        assert status == 403, f"{method} {url} changes data and must refuse a professional"


HOUSEHOLD_ROUTES = [(endpoint, rule, method) for endpoint, rule, method in ROUTES if "<int:household_id>" in rule]


def _every_household_route_is_not_found(app, client, world) -> None:
    world.entry = _entry_by(app, world, "household_member")
    for endpoint, rule, method in HOUSEHOLD_ROUTES:
        url = _url(app, world, endpoint, rule)
        assert client.open(url, method=method, data={}).status_code == 404, f"{method} {url}"


@pytest.mark.parametrize("ending", ["ended by the household", "end date passed"])
def test_when_access_ends_the_open_session_gets_404_everywhere_in_the_household(app, world, ending):
    from datetime import timedelta
    from webapp.auth.models import utcnow
    client = app.test_client()
    sign_in_as(client, world.users["professional"])
    assert client.get(f"/h/{world.household.id}/summary").status_code == 200
    if ending == "ended by the household":
        world.grant.ended_at = utcnow()
    else:
        world.grant.ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _every_household_route_is_not_found(app, client, world)


def test_without_its_registered_admission_a_professional_gets_404_everywhere_in_the_household(app, world):
    """authz does not know the professionals capability; it asks the admission registered for the role. Should that
    registration ever be missing, a professional counts for nothing (fail closed), never as a member."""
    client = app.test_client()
    sign_in_as(client, world.users["professional"])
    assert client.get(f"/h/{world.household.id}/summary").status_code == 200
    registered = app.extensions.pop("kring_admissions")
    try:
        _every_household_route_is_not_found(app, client, world)
    finally:
        app.extensions["kring_admissions"] = registered
    assert client.get(f"/h/{world.household.id}/summary").status_code == 200


def test_a_professional_of_another_household_gets_404_on_everything_of_this_one(app, world):
    from datetime import timedelta
    from webapp.auth.models import utcnow
    from webapp.grants.services import start_grant
    from webapp.households.services import add_member, remove_member
    professional = world.users["professional"]
    remove_member(db.session, world.membership("professional"))
    add_member(db.session, world.other_household, professional, {Role.professional})
    start_grant(db.session, world.other_household, professional, None, utcnow() + timedelta(days=30), utcnow())
    db.session.commit()
    client = app.test_client()
    sign_in_as(client, professional)
    assert client.get(f"/h/{world.other_household.id}/summary").status_code == 200
    _every_household_route_is_not_found(app, client, world)
