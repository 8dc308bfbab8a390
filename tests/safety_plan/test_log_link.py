"""The safety log names the plan's agreement an entry is about (by its lineage, so it holds across
versions): chosen in the composer, shown on the entry, and a filter of the timeline."""
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
