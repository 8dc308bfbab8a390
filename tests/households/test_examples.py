"""Form hints give examples with the household's own names, or neutral words; never the demo's names."""
import re

from tests.conftest import make_user, sign_in_as
from tests.test_route_policy import ROUTES
from webapp.extensions import db
from webapp.children.services import remove_child
from webapp.households.models import Child, Role
from webapp.households.services import ExampleNames, add_member, create_household, example_names

# Everyone in the demo household, the people its books and scales speak of, and its address.
DEMO_NAMES = ["Mila", "Ria", "Sanne", "Kees", "Fatima", "Jeroen", "de Vries", "Bakker", "Anja", "Dorpsstraat"]
NO_HOUSEHOLD_DATA = re.compile(r"<(?!int:household_id>)[^>]+>")  # a form page needs nothing but the household


def _new_household(locale: str = "en"):
    """A brand-new household, as the operator command makes one: its manager and nobody else yet."""
    petra = make_user("Petra Jansen", "petra", locale=locale)
    household = create_household(db.session, "Familie Jansen", petra, {Role.household_member, Role.chair})
    db.session.commit()
    return household, petra


def test_example_names_are_the_households_own_child_and_grown_ups(app):
    household, petra = _new_household()
    assert example_names(db.session, household) == ExampleNames(child=None, adults=("Petra",))

    db.session.add(Child(household_id=household.id, first_name="Noor"))
    add_member(db.session, household, make_user("Opa Henk", "henk"), {Role.safety_person})
    add_member(db.session, household, make_user("Pro Paula", "paula"), {Role.professional})
    add_member(db.session, household, make_user("Buurvrouw Els", "els"), {Role.network_member})
    assert example_names(db.session, household) == ExampleNames(child="Noor", adults=("Opa", "Petra"))


def test_the_example_child_is_the_first_one_still_in_the_household_and_the_safety_person_comes_first(app):
    household, petra = _new_household()
    first = Child(household_id=household.id, first_name="Noor")
    db.session.add(first)
    db.session.flush()
    db.session.add(Child(household_id=household.id, first_name="Sem"))
    add_member(db.session, household, make_user("Tante Lies de Wit", "lies"), {Role.network_member, Role.safety_person})
    add_member(db.session, household, make_user("Aaron Bakker", "aaron"), {Role.network_member})
    db.session.commit()
    assert example_names(db.session, household) == ExampleNames(child="Noor", adults=("Tante", "Petra"))

    remove_child(db.session, first, petra)
    db.session.commit()
    assert example_names(db.session, household).child == "Sem"  # a removed child is never an example


def test_a_new_household_shows_no_demo_name_on_any_page(app, client):
    household, petra = _new_household()
    sign_in_as(client, petra)
    walked = []
    for endpoint, rule, method in ROUTES:
        if method != "GET" or "<int:household_id>" not in rule or NO_HOUSEHOLD_DATA.search(rule):
            continue
        url = rule.replace("<int:household_id>", str(household.id))
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, url
        if not response.mimetype.startswith("text/"):
            continue
        body = response.get_data(as_text=True)
        found = [name for name in DEMO_NAMES if name in body]
        assert found == [], f"{url} shows {found}"
        walked.append(url)
    # The form pages with examples were among them.
    h = household.id
    for url in (f"/h/{h}/calendar/new", f"/h/{h}/scales/new", f"/h/{h}/meetings/new"):
        assert url in walked


def test_the_calendar_hint_names_this_households_child_and_grown_up(app, client):
    household, petra = _new_household(locale="nl")
    sign_in_as(client, petra)
    page = client.get(f"/h/{household.id}/calendar/new").get_data(as_text=True)
    assert "Bijvoorbeeld “Je kind met oma”." in page  # no child yet: neutral words

    db.session.add(Child(household_id=household.id, first_name="Noor"))
    db.session.commit()
    page = client.get(f"/h/{household.id}/calendar/new").get_data(as_text=True)
    assert "Bijvoorbeeld “Noor met Petra”." in page
    assert "Mila" not in page and "Ria" not in page


def test_the_danger_statement_hints_use_the_child_and_never_name_a_grown_up_as_the_cause(app, client):
    household, petra = _new_household()
    db.session.add(Child(household_id=household.id, first_name="Noor"))
    db.session.commit()
    sign_in_as(client, petra)
    page = client.get(f"/h/{household.id}/scales/new").get_data(as_text=True)
    assert "“Noor’s teacher, Petra and the youth protection worker.”" in page
    assert "while Noor hears it" in page
    assert "When the parents argue" in page and "When Petra" not in page


def test_names_in_hints_are_escaped(app, client):
    household, petra = _new_household()
    db.session.add(Child(household_id=household.id, first_name="<b>Noor</b>"))
    db.session.commit()
    sign_in_as(client, petra)
    page = client.get(f"/h/{household.id}/calendar/new").get_data(as_text=True)
    assert "<b>Noor</b>" not in page
    assert "“&lt;b&gt;Noor&lt;/b&gt; with Petra”" in page
