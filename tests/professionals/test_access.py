"""A professional's access: granted until a date, ended at once by the household (also for a session that is already
open), a second factor before anything of a household shows, every view recorded for the household to see."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import DAY, db  # DAY: the one date style Kring shows
from webapp.grants import services as grants
from webapp.grants.models import AccessGrant
from webapp.households.models import Membership, Role
from webapp.households.services import add_member
from webapp.professionals import services
from webapp.professionals.models import ProfessionalView

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def grant_of(family) -> AccessGrant:
    return db.session.scalar(select(AccessGrant).filter_by(user_id=family.users["professional"].id))


def base(family) -> str:
    return f"/h/{family.household.id}"


def test_professional_with_access_and_a_second_factor_reads_the_summary(client, family):
    sign_in_as(client, family.users["professional"])
    response = client.get(base(family) + "/summary")
    assert response.status_code == 200
    assert "Summary of Family Test" in response.text
    assert "Read only." in response.text


def test_household_home_sends_a_professional_to_the_summary(client, family):
    sign_in_as(client, family.users["professional"])
    response = client.get(base(family))
    assert response.status_code == 302 and response.headers["Location"].endswith(base(family) + "/summary")
    assert "0612" not in client.get(base(family), follow_redirects=True).text  # never the network's phone numbers


def test_ending_access_refuses_the_same_open_session_on_its_next_request(app, family):
    professional, parent = app.test_client(), app.test_client()
    sign_in_as(professional, family.users["professional"])
    sign_in_as(parent, family.users["household_member"])
    assert professional.get(base(family) + "/summary").status_code == 200
    grant = grant_of(family)
    confirm = parent.get(f"{base(family)}/access/{grant.id}/end")
    assert confirm.status_code == 200 and "End access for Pro Paula now?" in confirm.text
    assert grant_of(family).ended_at is None  # asking is not ending
    ended = parent.post(f"{base(family)}/access/{grant.id}/end", data={}, follow_redirects=True)
    assert "Pro Paula can no longer see anything of this household." in ended.text
    assert professional.get(base(family) + "/summary").status_code == 404
    assert professional.get(base(family)).status_code == 404
    # The grant stays as the household's history; the membership is gone.
    assert grant_of(family).ended_at is not None and grant_of(family).ended_by_id == family.users["household_member"].id
    assert family.membership("professional") is None


def test_an_expired_grant_refuses_at_once_and_the_worker_then_removes_the_membership(client, family):
    sign_in_as(client, family.users["professional"])
    grant_of(family).ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert family.membership("professional") is not None
    assert client.get(base(family) + "/summary").status_code == 404
    assert client.get(base(family)).status_code == 404
    assert services.retire_ended(db.session, utcnow()) == 1
    db.session.commit()
    assert family.membership("professional") is None
    assert grant_of(family) is not None


def test_the_worker_task_leaves_active_access_alone(app, family, monkeypatch):
    from webapp import queue
    from webapp.professionals.tasks import retire_ended_access
    monkeypatch.setattr(queue, "_app", app)
    assert retire_ended_access.call_local() == 0
    assert family.membership("professional") is not None


def test_a_professional_without_a_second_factor_is_sent_to_set_one_up_first(client, family):
    sign_in_as(client, family.users["professional"], second_factor=False)
    response = client.get(base(family) + "/summary")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/settings/two-step?next=")
    assert db.session.scalar(select(func.count()).select_from(ProfessionalView)) == 0  # nothing was shown


def test_a_professional_with_a_code_app_is_asked_for_a_code_in_a_session_without_one(app, client, family):
    from webapp.auth import two_step
    two_step.start_set_up(db.session, family.users["professional"], app.config["SECRET_KEY"])
    family.users["professional"].totp.confirmed_at = utcnow()
    db.session.commit()
    sign_in_as(client, family.users["professional"], second_factor=False)  # e.g. back through "keep me signed in"
    response = client.get(base(family) + "/summary")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in/code?next=")


def test_other_roles_need_no_second_factor(client, family):
    sign_in_as(client, family.users["household_member"], second_factor=False)
    assert client.get(base(family) + "/summary").status_code == 200
    assert client.get(base(family)).status_code == 200


def test_every_view_by_a_professional_is_recorded_and_the_household_sees_it(app, family):
    professional, parent = app.test_client(), app.test_client()
    sign_in_as(professional, family.users["professional"])
    sign_in_as(parent, family.users["household_member"])
    professional.get(base(family) + "/summary?start=2026-01-05&end=2026-02-01")
    professional.get(base(family))
    parent.get(base(family) + "/summary")  # the household's own views are not audited
    views = db.session.scalars(select(ProfessionalView).order_by(ProfessionalView.id)).all()
    assert [(v.user_id, v.page) for v in views] == [(family.users["professional"].id, "professionals.summary"),
                                                     (family.users["professional"].id, "households.home")]
    assert views[0].period_start < views[0].period_end and "start=2026-01-05" in views[0].query
    page = parent.get(base(family) + "/access").text
    assert page.count('class="audit__row"') == 2
    rows = re.findall(r'<tr class="audit__row">.*?</tr>', page, re.S)
    assert "Pro Paula" in rows[1] and "The summary" in rows[1] and "(5 January 2026 to 1 February 2026)" in rows[1]  # newest first
    assert "The household page (sent on to the summary)" in rows[0]


def test_the_audit_list_pages_back_through_older_views(app, client, family):
    now = utcnow()
    for n in range(services.AUDIT_PAGE_SIZE + 3):
        services.record_view(db.session, family.household.id, family.users["professional"].id,
                             "professionals.summary", "", now - timedelta(minutes=n))
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    first = client.get(base(family) + "/access").text
    assert first.count('class="audit__row"') == services.AUDIT_PAGE_SIZE and "Earlier views" in first
    oldest_shown = min(v.id for v in services.views(db.session, family.household.id))
    second = client.get(f"{base(family)}/access?before={oldest_shown}").text
    assert second.count('class="audit__row"') == 3 and "Earlier views" not in second


@pytest.mark.parametrize("person,status", [("household_member", 200), ("chair", 200), ("safety_person", 403),
                                           ("network_member", 403), ("professional", 403), ("outsider", 404)])
def test_only_household_members_and_the_chair_manage_access(client, family, person, status):
    sign_in_as(client, family.users[person])
    assert client.get(base(family) + "/access").status_code == status


def test_access_page_shows_who_has_access_until_when_and_the_waiting_links(client, family):
    from webapp.invitations.services import create_invitation
    create_invitation(db.session, family.household, family.users["household_member"], "Therapist Tess",
                      Role.professional, 7)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    page = client.get(base(family) + "/access").text
    until = services.last_day(grant_of(family).ends_at, AMSTERDAM)
    assert "Pro Paula" in page and "End access now" in page and "Change the end date" in page
    assert "until " + format_date(until, DAY, locale="en") in page
    assert "Therapist Tess" in page and "once they use the link" in page


def test_extending_access_keeps_it_within_a_year(client, family):
    sign_in_as(client, family.users["chair"])
    grant = grant_of(family)
    url = f"{base(family)}/access/{grant.id}/extend"
    today = services.local_today(utcnow(), AMSTERDAM)
    too_far = client.post(url, data={"ends_on": services.add_months(today, 13).isoformat()})
    assert too_far.status_code == 422 and "at most a year from now" in too_far.text
    past = client.post(url, data={"ends_on": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "Choose a day after today." in past.text
    assert f'value="{(today - timedelta(days=1)).isoformat()}"' in past.text  # what was typed is kept
    new_day = services.add_months(today, 6)
    assert client.post(url, data={"ends_on": new_day.isoformat()}).status_code == 302
    db.session.expire_all()
    assert grant_of(family).ends_at > utcnow() + timedelta(days=150)


def test_an_ended_grant_cannot_be_extended(client, family):
    grant = grant_of(family)
    services.end_grant(db.session, grant, family.users["household_member"], utcnow())
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"{base(family)}/access/{grant.id}/extend", data={"ends_on": "2099-01-01"},
                           follow_redirects=True)
    assert "This access has ended." in response.text


def test_a_grant_of_another_household_is_not_found_through_mine(client, family):
    outsider = family.users["outsider"]
    theirs = grants.start_grant(db.session, family.other_household, family.users["professional"], outsider.id,
                                  utcnow() + timedelta(days=30), utcnow())
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"{base(family)}/access/{theirs.id}/end").status_code == 404
    assert client.post(f"{base(family)}/access/{theirs.id}/end", data={}).status_code == 404
    assert theirs.ended_at is None


def test_a_professional_membership_holds_only_the_professionals_permissions(client, family):
    """Even if a professional were given another role beside theirs, they would still only read."""
    family.membership("professional").set_roles({Role.professional, Role.chair})
    db.session.commit()
    sign_in_as(client, family.users["professional"])
    assert client.get(base(family) + "/log/").status_code == 403
    assert client.post(base(family) + "/phase/move", data={"to_phase": "recovery"}).status_code == 403


def test_caseload_lists_only_households_with_access_now(app, client, family):
    from webapp.households.models import Household
    from webapp.signals.models import SignalSource
    from webapp.signals.services import raise_signal
    second = Household(name="Another Family")
    ended = Household(name="Ended Family")
    db.session.add_all([second, ended])
    pro = family.users["professional"]
    for household in (second, ended):
        add_member(db.session, household, pro, {Role.professional})
        grants.start_grant(db.session, household, pro, None, utcnow() + timedelta(days=10), utcnow())
    raise_signal(db.session, second, family.users["outsider"], "caseload-signal", SignalSource.safe_object, "",
                 utcnow(), 0)
    db.session.flush()
    grant = db.session.scalar(select(AccessGrant).filter_by(household_id=ended.id))
    grant.ended_at = utcnow()
    db.session.commit()
    sign_in_as(client, pro)
    page = client.get("/caseload").text
    assert "Another Family" in page and "Family Test" in page
    assert "Ended Family" not in page and "Other Family" not in page
    assert "1 open signal" in page and "0 open signals" in page
    recorded = {v.household_id for v in db.session.scalars(select(ProfessionalView).filter_by(page="professionals.caseload"))}
    assert recorded == {family.household.id, second.id}


def test_caseload_needs_the_second_factor_too(client, family):
    sign_in_as(client, family.users["professional"], second_factor=False)
    assert client.get("/caseload").status_code == 302


def test_caseload_of_someone_without_access_is_empty(client, family):
    sign_in_as(client, family.users["network_member"], second_factor=False)
    page = client.get("/caseload")
    assert page.status_code == 200 and "No household has given you access right now." in page.text


def test_memberships_without_any_grant_are_left_to_the_household(family):
    """The worker removes only professionals whose access ended, not someone an editor marked as professional."""
    member = family.membership("network_member")
    member.set_roles({Role.professional})
    db.session.commit()
    assert services.retire_ended(db.session, utcnow()) == 0
    assert db.session.get(Membership, member.id) is not None
