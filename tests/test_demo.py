"""The demo household: only in demo mode, once, with a person in every role."""
from sqlalchemy import select

from tests.conftest import make_app
from webapp.auth.models import User
from webapp.auth.services import authenticate
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db
from webapp.households.models import Membership, Role


def test_demo_seed_makes_every_role_once(app):
    assert seed(db.session) is True
    assert seed(db.session) is False
    db.session.commit()
    roles = set()
    for membership in db.session.scalars(select(Membership)):
        roles |= membership.roles
    assert roles == set(Role)
    for username in ("ouder", "veiligheidspersoon", "netwerklid", "voorzitter", "professional"):
        assert authenticate(db.session, username, DEMO_PASSWORD) is not None
    child = db.session.scalar(select(User).where(User.display_name == "Mila de Vries"))
    assert child.username is None  # the child has no sign-in; the child view is under 'ouder'


def test_seed_command_refuses_outside_demo_mode(_schema):
    app = make_app(DEMO=False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "demo mode" in result.output
    demo = make_app(DEMO=True)
    assert "Demo household" in demo.test_cli_runner().invoke(args=["seed-demo"]).output


def test_worker_task_purges_old_invitations(app, monkeypatch):
    from webapp import worker
    monkeypatch.setattr(worker, "_app", app)
    assert worker.purge_stale_invitations.call_local() == 0
