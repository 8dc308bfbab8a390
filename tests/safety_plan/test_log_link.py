"""The safety log names the plan's agreement an entry is about (by its lineage, so it holds across
versions): chosen in the composer, shown on the entry, and a filter of the timeline."""
import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import sign_in_as
from tests.safety_plan.conftest import BEDTIME, VISITS, make_plan
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.safety_log import services as log
from webapp.safety_log.models import EntryKind, LogEntry
from webapp.safety_plan import services as plan
from webapp.safety_plan.services import AgreementInput

YESTERDAY = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def composer(**fields):
    return {"client_id": str(uuid.uuid4()), "kind": "went_well", "what_happened": "Mila slept at half past seven.",
            "what_was_done": "", "occurred_at": YESTERDAY, **fields}


def write(app, family, text: str, agreement_id: int | None = None) -> LogEntry:
    entry, _ = log.write_entry(db.session, app.instance_path, family.household, family.users["network_member"],
                               str(uuid.uuid4()), log.NewEntry(kind=EntryKind.went_well, agreement_id=agreement_id,
                                                               occurred_at=utcnow() - timedelta(hours=1),
                                                               what_happened=text))
    db.session.commit()
    return entry


def test_without_a_plan_the_composer_and_timeline_do_not_ask_about_agreements(client, family):
    sign_in_as(client, family.users["network_member"])
    assert 'name="agreement"' not in client.get(f"/h/{family.household.id}/log/new").text
    assert 'name="agreement"' not in client.get(f"/h/{family.household.id}/log/").text


def test_the_composer_lists_the_agreements_in_force_and_saves_the_lineage(client, family):
    version = make_plan(family, agreed=True)
    bedtime = version.agreements[0]
    sign_in_as(client, family.users["network_member"])
    form = client.get(f"/h/{family.household.id}/log/new").text
    assert "Which agreement is this about? (optional)" in form
    assert f'<option value="{bedtime.lineage_id}">1. {BEDTIME.what}</option>' in form
    response = client.post(f"/h/{family.household.id}/log/new", data=composer(agreement=str(bedtime.lineage_id)))
    assert response.status_code == 302
    assert db.session.scalar(select(LogEntry.agreement_id)) == bedtime.lineage_id
    assert client.post(f"/h/{family.household.id}/log/new", data=composer(agreement="")).status_code == 302
    assert db.session.scalars(select(LogEntry.agreement_id).order_by(LogEntry.id)).all() == [bedtime.lineage_id, None]


def test_an_agreement_the_plan_never_had_is_refused_and_the_text_is_kept(client, family):
    make_plan(family, agreed=True)
    other = make_plan_in_other_household(family)
    sign_in_as(client, family.users["network_member"])
    for bad in (str(other.agreements[0].lineage_id), "bedtime"):
        response = client.post(f"/h/{family.household.id}/log/new", data=composer(agreement=bad))
        assert response.status_code == 422
        assert "This agreement is not in the safety plan." in response.text
        assert "Mila slept at half past seven.</textarea>" in response.text
    json = client.post(f"/h/{family.household.id}/log/new", data=composer(agreement="bedtime"),
                       headers={"Accept": "application/json"})
    assert json.status_code == 422 and "agreement" in json.get_json()["errors"]
    assert db.session.scalar(select(LogEntry.id)) is None


def make_plan_in_other_household(family):
    version = plan.start_plan(db.session, family.other_household, family.users["outsider"])
    plan.add_agreement(db.session, version, plan.AgreementInput("Not ours"))
    db.session.commit()
    return version


def test_an_offline_entry_may_name_an_agreement_a_later_version_dropped(client, family):
    first = make_plan(family, agreed=True)
    visits = first.agreements[1]
    second = plan.new_version(db.session, family.household, family.users["chair"])
    plan.remove_agreement(db.session, second.agreements[1])
    plan.agree(db.session, second)
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    assert client.post(f"/h/{family.household.id}/log/new", data=composer(agreement=str(visits.lineage_id))).status_code == 302


def test_the_timeline_filters_by_agreement_and_entries_say_which_one(app, client, family):
    version = make_plan(family, agreed=True)
    bedtime, visits = version.agreements
    write(app, family, "Calm bedtime.", bedtime.lineage_id)
    write(app, family, "Oma Ria came by.", visits.lineage_id)
    write(app, family, "Nice walk.")
    # A new version changes the words; the entries keep pointing at the same agreement.
    second = plan.new_version(db.session, family.household, family.users["chair"])
    plan.update_agreement(db.session, second.agreements[0], plan.AgreementInput("Bed at eight, with a story."))
    plan.agree(db.session, second)
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    everything = client.get(f"/h/{family.household.id}/log/").text
    assert "Calm bedtime." in everything and "Nice walk." in everything
    assert "About the agreement" in everything and "Bed at eight, with a story." in everything
    filtered = client.get(f"/h/{family.household.id}/log/?agreement={bedtime.lineage_id}").text
    assert "Calm bedtime." in filtered and "Oma Ria came by." not in filtered and "Nice walk." not in filtered
    assert f'<option selected value="{bedtime.lineage_id}">' in filtered or \
        f'<option value="{bedtime.lineage_id}" selected>' in filtered
    printed = client.get(f"/h/{family.household.id}/log/print?agreement={visits.lineage_id}").text
    assert "Oma Ria came by." in printed and "Calm bedtime." not in printed and VISITS.what in printed


def test_the_plan_links_each_agreement_to_what_the_log_says_about_it(client, family):
    version = make_plan(family, agreed=True)
    sign_in_as(client, family.users["network_member"])
    html = client.get(f"/h/{family.household.id}/plan/").text
    assert f'/h/{family.household.id}/log/?agreement={version.agreements[0].lineage_id}' in html


def test_the_composer_asks_whether_the_entry_was_about_the_writers_own_agreement(client, family):
    """Grandma Gwen's own agreement is offered first ("was this about it?"), the plan's others in a list under
    "another agreement"; a choice in that list counts even without ticking "another"."""
    gwens = AgreementInput("Gwen visits twice a week without telling beforehand.", who="Grandma Gwen")
    version = make_plan(family, BEDTIME, gwens, agreed=True)
    bedtime, visits = version.agreements
    home = f"/h/{family.household.id}"
    sign_in_as(client, family.users["safety_person"])
    form = client.get(f"{home}/log/new").text
    assert "Was this about something you agreed to do?" in form
    radio = re.search(rf'<input class="choice__input" type="radio" name="agreement" id="(agreement-0)" '
                      rf'value="{visits.lineage_id}">\s*<label class="choice__label" for="agreement-0">([^<]+)</label>',
                      form)
    assert radio and radio.group(2) == gwens.what
    other_list = form[form.index('name="agreement_other"'):form.index("</select>", form.index('name="agreement_other"'))]
    assert f'value="{bedtime.lineage_id}"' in other_list and f'value="{visits.lineage_id}"' not in other_list
    assert "No, not about one agreement" in form

    assert client.post(f"{home}/log/new", data=composer(agreement=str(visits.lineage_id))).status_code == 302
    assert client.post(f"{home}/log/new", data=composer(agreement="", agreement_other=str(bedtime.lineage_id))
                       ).status_code == 302
    assert client.post(f"{home}/log/new", data=composer(agreement="")).status_code == 302
    answered = client.post(f"{home}/log/new", data=composer(agreement="other", agreement_other=""))
    assert answered.status_code == 422 and "Choose which agreement, or choose “No”." in answered.text
    assert "Mila slept at half past seven." in answered.text  # nothing typed is lost
    assert db.session.scalars(select(LogEntry.agreement_id).order_by(LogEntry.id)).all() == [
        visits.lineage_id, bedtime.lineage_id, None]

    # Someone the plan does not name gets the plain list of every agreement.
    sign_in_as(client, family.users["network_member"])
    plain = client.get(f"{home}/log/new").text
    assert "Which agreement is this about? (optional)" in plain and "Was this about" not in plain
