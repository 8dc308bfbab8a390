"""Exports: a person's own data, and a household's records, as ZIP files of JSON with the photos."""
import io
import json
import zipfile
from datetime import date, datetime

from tests.conftest import sign_in_as
from tests.safety_log.test_images import jpeg_with_gps
from webapp.extensions import db
from webapp.resilience_calendar.models import ResilienceElement
from webapp.resilience_calendar.services import ActivityInput, add_activity
from webapp.uploads import clean
from webapp.safety_log.models import EntryKind
from webapp.safety_log.services import NewEntry, correct_entry, toggle_highlight, write_entry


def _world(app, family):
    gwen, pat = family.users["safety_person"], family.users["household_member"]
    mine, _ = write_entry(db.session, app.instance_path, family.household, gwen, "gwen-1",
                          NewEntry(EntryKind.went_well, datetime(2026, 11, 2, 17), "Picked Kim up from school",
                                   photos=[clean(jpeg_with_gps())]))
    correct_entry(db.session, mine, gwen, EntryKind.went_well, mine.occurred_at, "Picked Kim up from school, all calm", "", None)
    write_entry(db.session, app.instance_path, family.household, pat, "pat-1",
                NewEntry(EntryKind.calm_moment, datetime(2026, 11, 3, 19), "Quiet dinner"))
    toggle_highlight(db.session, mine, family.users["chair"])
    add_activity(db.session, family.household, gwen, ActivityInput(date(2026, 11, 4), "Playground", {ResilienceElement.outdoors},
                                                                   part_of_day=None))
    db.session.commit()
    return mine


def _open(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_a_person_downloads_what_they_wrote_and_what_is_about_them(client, app, family):
    mine = _world(app, family)
    sign_in_as(client, family.users["safety_person"])
    archive = _open(client.get("/settings/export"))
    me = json.loads(archive.read("me.json"))
    assert me["name"] == "Grandma Gwen" and me["username"] == "safety-person"
    assert json.loads(archive.read("households.json"))[0]["roles"] == ["safety_person"]
    log = json.loads(archive.read("safety_log.json"))
    assert [e["what_happened"] for e in log] == ["Picked Kim up from school, all calm"]  # not Pat's entry
    assert log[0]["earlier_versions"][0]["what_happened"] == "Picked Kim up from school"
    assert log[0]["marked_for_meeting_by"] == ["Aunt Chris"]
    assert archive.read(log[0]["files"][0]) == (
        __import__("pathlib").Path(app.instance_path) / "uploads" / str(family.household.id) / mine.attachments[0].filename).read_bytes()
    assert json.loads(archive.read("calendar.json"))[0]["what"] == "Playground"


def test_a_household_member_downloads_all_the_households_records(client, app, family):
    _world(app, family)
    sign_in_as(client, family.users["household_member"])
    archive = _open(client.get(f"/h/{family.household.id}/export"))
    log = json.loads(archive.read("safety_log.json"))
    assert {e["author"] for e in log} == {"Grandma Gwen", "Parent Pat"}
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 1
    assert {p["name"] for p in json.loads(archive.read("people.json"))} >= {"Parent Pat"}
    [kim] = json.loads(archive.read("children.json"))
    assert kim["first_name"] == "Kim" and kim["added_by"] == "Parent Pat" and kim["safety_persons"] == ["Grandma Gwen"]


def test_only_household_members_download_the_households_records(app, family):
    for person, status in (("network_member", 403), ("chair", 403), ("professional", 403), ("outsider", 404)):
        client = app.test_client()
        sign_in_as(client, family.users[person])
        assert client.get(f"/h/{family.household.id}/export").status_code == status, person


def test_exports_hold_the_signals_and_answers(client, app, family):
    from webapp.auth.models import utcnow
    from webapp.signals import services as signals
    from webapp.signals.models import AckKind, SignalSource
    signal, _ = signals.raise_signal(db.session, family.household, family.users["household_member"], "export-1",
                                     SignalSource.safe_object, "Bear in the window", utcnow(), 0)
    signals.acknowledge(db.session, signal, family.users["safety_person"], AckKind.going, utcnow())
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    mine = json.loads(_open(client.get("/settings/export")).read("signals.json"))
    assert [(s["note"], s["answers"][0]["who"]) for s in mine] == [("Bear in the window", "Grandma Gwen")]
    sign_in_as(client, family.users["household_member"])
    theirs = json.loads(_open(client.get(f"/h/{family.household.id}/export")).read("signals.json"))
    assert theirs[0]["raised_by"] == "Parent Pat" and theirs[0]["steps"][0]["what"] == "Parent Pat sent the signal."


def test_the_household_records_hold_the_plan_scales_books_and_their_pictures(client, app, family):
    from webapp.auth.models import utcnow
    from webapp.uploads import clean
    from webapp.safety_plan import services as plan
    from webapp.safety_scales import services as scales
    from webapp.words_pictures.models import BookKind, PictureKind
    from webapp.words_pictures.services import Picture, add_page
    from tests.safety_log.test_images import jpeg_with_gps
    statement = scales.add_statement(db.session, family.household, family.users["chair"], scales.StatementInput(
        "Grandma", "Shouting at night", "Kim gets scared", "Calm talks", "Calm evenings"), utcnow())
    scales.add_score(db.session, statement.scale, family.users["safety_person"], 6, "A calm week", utcnow())
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    plan.add_agreement(db.session, version, plan.AgreementInput("Bedtime at half past seven"), clean(jpeg_with_gps()),
                       app.instance_path)
    add_page(db.session, app.instance_path, family.child, BookKind.story, "Oma helps you.",
             Picture(PictureKind.pictogram, pictogram="home"))
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    archive = _open(client.get(f"/h/{family.household.id}/export"))
    [written] = json.loads(archive.read("safety_plan.json"))
    assert written["agreements"][0]["what"] == "Bedtime at half past seven"
    assert archive.read(written["agreements"][0]["picture"])  # the picture itself is in the file
    [danger] = json.loads(archive.read("danger_statements_and_scales.json"))
    assert danger["goal"] == "Calm talks" and danger["scores"][0]["what_was_seen"] == "A calm week"
    [book] = json.loads(archive.read("words_and_pictures.json"))
    assert book["child"] == "Kim" and book["pages"][0]["text"] == "Oma helps you."
    sign_in_as(client, family.users["safety_person"])
    mine = json.loads(_open(client.get("/settings/export")).read("safety_scale_scores.json"))
    assert [(s["score"], s["what_was_seen"]) for s in mine] == [(6, "A calm week")]
