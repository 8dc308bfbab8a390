"""The floors of the house hold: no module imports one above it (the layers contract in pyproject.toml, checked
by import-linter), and the ground floor reaches the capabilities only through hooks."""
import pkgutil
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

import webapp
from webapp.extensions import db

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_nothing_imports_upward():
    # Fails with the chain of each new upward import; the known ones are listed, with their way out, in
    # pyproject.toml (ignore_imports).
    assert lint_imports(config_filename="pyproject.toml", no_cache=True) == 0


def test_no_import_loop_remains():
    """Not even between two modules of one floor (a loop is a pair that can only be imported in one order). The one
    allowed way round: the queue and the server make the app late, inside a function (ignore_imports)."""
    import grimp
    graph = grimp.build_graph("webapp")
    for importer, imported in (("webapp.queue", "webapp"), ("webapp.serve", "webapp")):
        graph.remove_import(importer=importer, imported=imported)
    loops = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                loops.append(" -> ".join((module, *back)))
    assert loops == []


def test_every_module_stands_on_a_floor():
    """A module that no floor names would escape the contract: a new package or file must be given its floor."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"][0]
    floors = {name.strip() for layer in config["layers"] for name in layer.split(":")}
    containers = {"webapp", "webapp.households", "webapp.migrations", "webapp.migrations.versions"}

    def on_a_floor(module: str) -> bool:
        return any(module == floor or module.startswith(floor + ".") for floor in floors)

    modules = [info.name for info in pkgutil.walk_packages(webapp.__path__, "webapp.")]
    assert len(modules) > 100
    assert [module for module in modules if module not in containers and not on_a_floor(module)] == []


def test_removing_a_member_lets_each_capability_take_away_its_part(app, family):
    """households.remove_member knows no capability: the alert plan, the safe object's watchers and the
    invitations to meetings to come each go through hooks.member_removing."""
    from datetime import timedelta

    from sqlalchemy import select

    from tests.safety_plan.conftest import make_plan
    from webapp.auth.models import utcnow
    from webapp.households.services import remove_member
    from webapp.meetings.models import MeetingInvite
    from webapp.meetings.services import MeetingInput, plan_meeting
    from webapp.safety_plan.models import SafeObjectWatcher
    from webapp.signals.models import AlertRing
    from webapp.signals.services import set_ring

    leaving = family.membership("network_member")
    make_plan(family, watchers=("network_member",))
    set_ring(db.session, leaving, 3)  # not the ring a network member has by default: a row of its own
    now = utcnow()
    plan_meeting(db.session, family.household, family.users["chair"], MeetingInput(
        starts_at=now + timedelta(days=7), duration_minutes=60, place="Thuis", video_link="", chair_id=None,
        invitee_ids=[leaving.user_id]), now)
    db.session.commit()
    assert db.session.scalar(select(AlertRing).where(AlertRing.membership_id == leaving.id)) is not None
    user_id, membership_id = leaving.user_id, leaving.id

    remove_member(db.session, leaving)
    db.session.commit()
    assert db.session.scalar(select(AlertRing).where(AlertRing.membership_id == membership_id)) is None
    assert db.session.scalar(select(SafeObjectWatcher).where(SafeObjectWatcher.membership_id == membership_id)) is None
    assert db.session.scalar(select(MeetingInvite).where(MeetingInvite.user_id == user_id)) is None
