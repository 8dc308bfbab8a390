"""The household home puts today first: the signal button named after the safe object, a banner while the person
gets no alerts on any phone, and what this person does in the agreed plan."""
import re

from tests.conftest import sign_in_as
from tests.safety_plan.conftest import make_plan
from webapp.extensions import db
from webapp.notify.models import PushSubscription
from webapp.safety_plan.services import AgreementInput, agreements_for

VISITS = AgreementInput("Gwen visits twice a week, unannounced.", who="Grandma Gwen", how_checked="Ned asks Kim.")
WINDOW = AgreementInput("Kim puts the bear in the window when worried.", who="Kim. Ned looks at the window.")
OTHER_GRANDMA = AgreementInput("Grandma Tess bakes on Sundays.", who="Grandma Tess")


def _home(client, family) -> str:
    return client.get(f"/h/{family.household.id}").text


def _mine(page: str) -> str:
    found = re.search(r'<section class="card mine".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_what_you_do_lists_the_agreements_that_name_you_then_those_you_check(client, family):
    version = make_plan(family, VISITS, WINDOW, OTHER_GRANDMA, agreed=True)
    gwen = agreements_for(db.session, version, family.users["safety_person"])
    assert [(m.agreement.what, m.checks) for m in gwen] == [(VISITS.what, False)]  # not Grandma Tess's
    ned = agreements_for(db.session, version, family.users["network_member"])
    assert [(m.agreement.what, m.checks) for m in ned] == [(WINDOW.what, False), (VISITS.what, True)]
    sign_in_as(client, family.users["network_member"])
    mine = _mine(_home(client, family))
    assert WINDOW.what in mine and "You check:" in mine and "Ned asks Kim." in mine
    assert OTHER_GRANDMA.what not in mine


def test_what_you_do_is_not_taken_from_a_draft_and_not_shown_without_agreements_for_you(client, family):
    make_plan(family, VISITS, agreed=False)
    sign_in_as(client, family.users["safety_person"])
    assert _mine(_home(client, family)) == ""
    sign_in_as(client, family.users["household_member"])  # Parent Pat is named nowhere
    assert _mine(_home(client, family)) == ""


def test_the_signal_button_is_named_after_the_safe_object(client, family):
    sign_in_as(client, family.users["safety_person"])
    assert "I saw the safe object moved" in _home(client, family)  # no plan yet
    make_plan(family, agreed=True)
    page = _home(client, family)
    assert "Teddy bear is in the agreed place" in page and "In the front window" in page


def test_a_banner_says_when_you_get_no_alerts_on_any_phone(client, family):
    sign_in_as(client, family.users["safety_person"])
    assert "You get no alerts on a phone yet." in _home(client, family)
    db.session.add(PushSubscription(user_id=family.users["safety_person"].id, endpoint="https://push.example/g",
                                    p256dh="k", auth="a", device_name="Phone"))
    db.session.commit()
    assert "You get no alerts on a phone yet." not in _home(client, family)


def test_a_person_hidden_from_signals_gets_no_alert_banner_and_no_signal_button(client, family):
    family.membership("household_member").signals_hidden = True
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    page = _home(client, family)
    assert "You get no alerts" not in page and "/signals/new" not in page


def test_the_plan_opens_with_what_you_do_each_a_link_to_the_agreement(client, family):
    version = make_plan(family, VISITS, WINDOW, agreed=True)
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{family.household.id}/plan/").text
    mine = _mine(page)
    assert page.index('class="card mine"') < page.index('id="agreements"')
    assert f'href="#agreement-{version.agreements[1].id}"' in mine and f'href="#agreement-{version.agreements[0].id}"' in mine
