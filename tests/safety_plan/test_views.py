"""The safety plan through its pages: starting, writing agreements and the safe object, agreeing, approvals,
new versions and what changed, print, pictures; bad input explained and kept; who may see and change what."""
import io
import re
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import BOMB
from tests.safety_plan.conftest import BEDTIME, VISITS, make_plan, photo_bytes
from webapp.auth.models import utcnow
from webapp.authz import allows
from webapp.extensions import db
from webapp.households.models import Role
from webapp.uploads import upload_folder
from webapp.safety_plan import services
from webapp.safety_plan.models import Agreement, PlanVersion, VersionStatus


def t_nl(text: str) -> str:
    """`text` as a Dutch reader sees it in the HTML."""
    from flask_babel import force_locale, gettext
    from flask import current_app
    with current_app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(text)))


def url(family, path: str = "") -> str:
    return f"/h/{family.household.id}/plan{path}"


def agreement_data(**fields) -> dict:
    data = {"what": "", "who": "", "when": "", "how_checked": "", "if_it_goes_wrong": "", "danger_statement": ""}
    data.update(fields)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def chair(client, family):
    sign_in_as(client, family.users["chair"])
    return family.users["chair"]


# --- the plan page -------------------------------------------------------------------------------------

def test_without_a_plan_an_editor_can_start_one_and_others_read_that_there_is_none(client, family):
    sign_in_as(client, family.users["network_member"])
    page = client.get(url(family, "/"))
    assert page.status_code == 200
    assert "There is no safety plan yet." in page.text and "Start the safety plan" not in page.text
    sign_in_as(client, family.users["household_member"])
    assert "Start the safety plan" in client.get(url(family, "/")).text
    response = client.post(url(family, "/start"))
    version = db.session.scalar(select(PlanVersion))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plan/versions/{version.id}")
    assert (version.number, version.status) == (1, VersionStatus.draft)


def test_the_plan_shows_safety_person_with_call_link_safe_object_agreements_and_the_log(client, family):
    family.users["safety_person"].phone = "06 12 34 56 78"
    make_plan(family, agreed=True)
    sign_in_as(client, family.users["network_member"])
    html = client.get(url(family, "/")).text
    assert "Grandma Gwen" in html and 'href="tel:0612345678"' in html
    assert "Teddy bear" in html and "In the front window" in html and "Call Sanne, then come by." in html
    safe_object = html[html.index('id="safe-object"'):html.index('id="agreements"')]
    assert "Neighbour Ned" in safe_object  # who watches
    assert BEDTIME.what in html and VISITS.what in html and BEDTIME.how_checked in html
    assert f'href="/h/{family.household.id}/log/"' in html
    assert "Agreed on" in html
    assert "Change the safe object" not in html and "We agree on this plan" not in html  # a reader, and agreed


def test_a_network_member_reads_the_plan_without_any_way_to_change_it(client, family):
    version = make_plan(family)
    sign_in_as(client, family.users["network_member"])
    html = client.get(url(family, f"/versions/{version.id}")).text
    assert BEDTIME.what in html
    for action in ("Add an agreement", "Change the safe object", "We agree on this plan", "/edit"):
        assert action not in html


def test_editors_see_the_draft_with_its_buttons(client, family, chair):
    version = make_plan(family)
    html = client.get(url(family, "/")).text
    assert "This version is a draft: you can still change it." in html
    for action in ("Add an agreement", "Change the safe object", "We agree on this plan",
                   f"/plan/agreements/{version.agreements[0].id}/edit"):
        assert action in html


def test_text_is_shown_escaped(client, family, chair):
    version = make_plan(family, services.AgreementInput('<script>alert("x")</script>', who="<b>Sanne</b>"))
    for path in ("/", f"/versions/{version.id}/print"):
        html = client.get(url(family, path)).text
        assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;Sanne" in html


# --- writing agreements ----------------------------------------------------------------------------------

def test_the_chair_adds_an_agreement_with_a_picture_and_every_textarea_gets_the_plain_language_helper(
        app, client, family, chair):
    version = make_plan(family)
    form = client.get(url(family, f"/versions/{version.id}/agreements/new")).text
    for name in ("what", "how_checked", "if_it_goes_wrong"):
        assert re.search(rf'<textarea[^>]*data-plain-language[^>]*name="{name}"|<textarea[^>]*name="{name}"[^>]*data-plain-language', form), name
    response = client.post(url(family, f"/versions/{version.id}/agreements/new"), content_type="multipart/form-data",
                           data=agreement_data(what="Kees looks at the window every day.", who="Kees",
                                               when="Every day", picture=(io.BytesIO(photo_bytes()), "bear.jpg")))
    assert response.status_code == 302
    added = db.session.scalar(select(Agreement).where(Agreement.what == "Kees looks at the window every day."))
    assert (added.position, added.lineage_id, added.who) == (3, added.id, "Kees")
    assert added.picture and (upload_folder(app.instance_path, family.household.id) / added.picture).exists()
    page = client.get(url(family, f"/versions/{version.id}")).text
    assert f"/plan/agreements/{added.id}/picture" in page


def test_an_empty_agreement_is_refused_and_what_was_typed_is_kept(client, family, chair):
    version = make_plan(family)
    response = client.post(url(family, f"/versions/{version.id}/agreements/new"),
                           data=agreement_data(who="Oma Ria", how_checked="Twice a week."))
    assert response.status_code == 422
    assert "error-summary" in response.text and "Write what you agree." in response.text
    assert 'value="Oma Ria"' in response.text and "Twice a week.</textarea>" in response.text
    assert count(Agreement) == 2


def test_a_picture_declaring_huge_dimensions_is_refused_as_too_big_in_dutch(client, family, chair):
    family.users["chair"].locale = "nl"
    db.session.commit()
    version = make_plan(family)
    response = client.post(url(family, f"/versions/{version.id}/agreements/new"), content_type="multipart/form-data",
                           data=agreement_data(what="Bedtijd om acht uur.", picture=(io.BytesIO(BOMB), "groot.png")))
    assert response.status_code == 422
    assert t_nl("This photo is too big (too many pixels). Choose a smaller photo and try again.") in response.text
    assert "Bedtijd om acht uur.</textarea>" in response.text
    assert count(Agreement) == 2


def test_a_text_file_named_jpg_is_refused_and_the_text_is_kept(client, family, chair):
    version = make_plan(family)
    response = client.post(url(family, f"/versions/{version.id}/agreements/new"), content_type="multipart/form-data",
                           data=agreement_data(what="Bedtime at eight.", picture=(io.BytesIO(b"not a photo"), "x.jpg")))
    assert response.status_code == 422
    assert "This file is not a photo." in response.text
    assert "What you typed is kept." in response.text and "Bedtime at eight.</textarea>" in response.text
    assert count(Agreement) == 2


def test_too_long_text_is_refused_and_kept(client, family, chair):
    version = make_plan(family)
    long_who = "Oma Ria " * 40
    response = client.post(url(family, f"/versions/{version.id}/agreements/new"),
                           data=agreement_data(what="Visits.", who=long_who))
    assert response.status_code == 422
    assert "Use at most 300 characters." in response.text and str(escape(long_who)) in response.text


def test_the_worry_an_agreement_answers_is_chosen_from_the_active_danger_statements(client, family, chair):
    from webapp.safety_scales.models import DangerStatement
    active = DangerStatement(household_id=family.household.id, priority=1, what_adults_do="Shouting when Mila is there")
    archived = DangerStatement(household_id=family.household.id, priority=2, what_adults_do="Old worry", active=False)
    elsewhere = DangerStatement(household_id=family.other_household.id, priority=1, what_adults_do="Not ours")
    db.session.add_all([active, archived, elsewhere])
    version = make_plan(family)
    db.session.commit()
    form = client.get(url(family, f"/versions/{version.id}/agreements/new")).text
    assert "1. Shouting when Mila is there" in form and "Old worry" not in form and "Not ours" not in form
    refused = client.post(url(family, f"/versions/{version.id}/agreements/new"),
                          data=agreement_data(what="No shouting.", danger_statement=str(elsewhere.id)))
    assert refused.status_code == 422 and "This worry is not in the plan any more." in refused.text
    assert client.post(url(family, f"/versions/{version.id}/agreements/new"),
                       data=agreement_data(what="No shouting.", danger_statement=str(active.id))).status_code == 302
    added = db.session.scalar(select(Agreement).where(Agreement.what == "No shouting."))
    assert added.danger_statement_id == active.id
    assert "Shouting when Mila is there" in client.get(url(family, "/")).text


def test_editing_moving_and_removing_an_agreement(client, family, chair):
    version = make_plan(family)
    bedtime, visits = version.agreements
    edit = client.get(url(family, f"/agreements/{bedtime.id}/edit")).text
    assert BEDTIME.what in edit and 'value="Sanne"' in edit
    assert client.post(url(family, f"/agreements/{bedtime.id}/edit"),
                       data=agreement_data(what="Bed at eight.", who="Sanne")).status_code == 302
    assert client.post(url(family, f"/agreements/{visits.id}/move"), data={"step": "up"}).status_code == 302
    db.session.expire_all()
    assert [a.what for a in version.agreements] == [VISITS.what, "Bed at eight."]
    assert client.post(url(family, f"/agreements/{visits.id}/move"), data={"step": "sideways"}).status_code == 400
    confirm = client.get(url(family, f"/agreements/{visits.id}/remove")).text
    assert "Remove agreement 1?" in confirm and VISITS.what in confirm
    assert client.post(url(family, f"/agreements/{visits.id}/remove")).status_code == 302
    db.session.expire_all()
    assert [(a.position, a.what) for a in version.agreements] == [(1, "Bed at eight.")]


def test_the_safe_object_with_its_watchers(client, family, chair):
    version = make_plan(family, watchers=())
    form = client.get(url(family, f"/versions/{version.id}/safe-object")).text
    assert "Neighbour Ned" in form and "Grandma Gwen" in form and "Pro Paula" not in form and "Kid Kim" not in form
    refused = client.post(url(family, f"/versions/{version.id}/safe-object"),
                          data={"what": "", "where": "On the stairs", "action": "Come by"})
    assert refused.status_code == 422 and "Write what the safe object is." in refused.text
    assert 'value="On the stairs"' in refused.text and "Come by</textarea>" in refused.text
    ids = [family.membership("safety_person").id, family.membership("network_member").id]
    assert client.post(url(family, f"/versions/{version.id}/safe-object"),
                       data={"what": "Stone", "where": "On the stairs", "action": "Come by",
                             "watchers": [str(i) for i in ids]}).status_code == 302
    db.session.expire_all()
    assert version.safe_object_what == "Stone" and sorted(m.id for m in services.watchers(version)) == sorted(ids)
    page = client.get(url(family, f"/versions/{version.id}")).text
    watching = re.search(r"Who watches for it</dt>\s*<dd[^>]*>([^<]*)</dd>", page).group(1)
    assert sorted(watching.split(", ")) == ["Grandma Gwen", "Neighbour Ned"]


def test_details_with_a_date_the_browser_could_not_read(client, family, chair):
    version = make_plan(family)
    refused = client.post(url(family, f"/versions/{version.id}/details"),
                          data={"how_we_inform": "We call.", "evaluation_date": "next spring"})
    assert refused.status_code == 422 and "Enter the day, like 24-11-2026." in refused.text
    assert "We call.</textarea>" in refused.text
    assert client.post(url(family, f"/versions/{version.id}/details"),
                       data={"how_we_inform": "We call.", "evaluation_date": "2026-06-01"}).status_code == 302
    db.session.expire_all()
    assert (version.how_we_inform, version.evaluation_date) == ("We call.", date(2026, 6, 1))


# --- status, versions and what changed ------------------------------------------------------------------

def test_agreeing_locks_the_version_and_a_new_version_shows_what_changed(client, family, chair):
    version = make_plan(family)
    assert client.post(url(family, f"/versions/{version.id}/agree")).status_code == 302
    db.session.expire_all()
    assert version.status == VersionStatus.agreed
    locked = client.get(url(family, f"/agreements/{version.agreements[0].id}/edit"), follow_redirects=True)
    assert "cannot be changed any more" in locked.text
    refused = client.post(url(family, f"/versions/{version.id}/agreements/new"), data=agreement_data(what="More"))
    assert refused.status_code == 302 and count(Agreement) == 2

    assert client.post(url(family, "/new-version")).status_code == 302
    second = db.session.scalar(select(PlanVersion).where(PlanVersion.number == 2))
    bedtime = second.agreements[0]
    client.post(url(family, f"/agreements/{bedtime.id}/edit"),
                data=agreement_data(what=BEDTIME.what, who="Sanne and Oma Ria", when=BEDTIME.when,
                                    how_checked=BEDTIME.how_checked, if_it_goes_wrong=BEDTIME.if_it_goes_wrong))
    client.post(url(family, f"/versions/{second.id}/agreements/new"), data=agreement_data(what="Calls with dad at night."))
    page = client.get(url(family, f"/versions/{second.id}")).text
    assert "What changed since version 1" in page
    changes = client.get(url(family, "/changes")).text  # the latest against the one before
    assert "From version 1 to version 2" in changes
    assert "Calls with dad at night." in changes
    assert "Was:</span> Sanne" in changes and "Now:</span> Sanne and Oma Ria" in changes
    # The other way round is shown from the older to the newer too.
    assert "From version 1 to version 2" in client.get(url(family, f"/changes?from={second.id}&to={version.id}")).text
    # Version 1 still holds until version 2 is agreed.
    assert "Until everyone agrees on this version, version 1 holds." in page


def test_changes_with_only_one_version_explains(client, family, chair):
    make_plan(family)
    response = client.get(url(family, "/changes"), follow_redirects=True)
    assert "There is only one version so far." in response.text


def test_agreeing_without_agreements_is_explained(client, family, chair):
    version = services.start_plan(db.session, family.household, family.users["chair"])
    db.session.commit()
    response = client.post(url(family, f"/versions/{version.id}/agree"), follow_redirects=True)
    assert "Add at least one agreement before you agree on the plan." in response.text
    db.session.expire_all()
    assert version.status == VersionStatus.draft


def test_recording_an_approval(client, family, chair):
    version = make_plan(family)
    draft = client.get(url(family, f"/versions/{version.id}/approve"), follow_redirects=True)
    assert "First agree on this version together." in draft.text
    services.agree(db.session, version)
    db.session.commit()
    form = client.get(url(family, f"/versions/{version.id}/approve")).text
    assert 'value="youth protection worker"' in form
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    refused = client.post(url(family, f"/versions/{version.id}/approve"),
                          data={"name": "", "role": "youth protection worker", "approved_on": tomorrow})
    assert refused.status_code == 422
    assert "Enter the name of the person who approved the plan." in refused.text
    assert "This day is still to come." in refused.text and f'value="{tomorrow}"' in refused.text
    assert client.post(url(family, f"/versions/{version.id}/approve"),
                       data={"name": "Jeroen Bakker", "role": "youth protection worker",
                             "approved_on": "2026-03-05"}).status_code == 302
    db.session.expire_all()
    assert version.status == VersionStatus.approved
    page = client.get(url(family, "/")).text
    assert "Jeroen Bakker (youth protection worker) approved this version on 5 March 2026." in page
    assert "Recorded by Aunt Chris." in page


def test_starting_the_stable_plan(client, family, chair):
    version = make_plan(family)
    refused = client.post(url(family, "/stable"), follow_redirects=True)
    assert "First agree on the direct plan." in refused.text
    services.agree(db.session, version)
    db.session.commit()
    assert "Start the stable plan" in client.get(url(family, "/")).text
    response = client.post(url(family, "/stable"), follow_redirects=True)
    assert "Stable safety plan" in response.text and "The stable plan is started" in response.text
    versions = client.get(url(family, "/versions/")).text
    assert "Direct safety plan" in versions and "Stable safety plan" in versions


def test_the_versions_page_lists_every_version_with_its_status(client, family, chair):
    version = make_plan(family, agreed=True)
    services.record_approval(db.session, version, "Jeroen Bakker", "youth protection worker", date(2026, 3, 5),
                             family.users["chair"])
    services.new_version(db.session, family.household, family.users["chair"])
    db.session.commit()
    html = client.get(url(family, "/versions/")).text
    assert "Version 1" in html and "Version 2" in html and "Approved by Jeroen Bakker" in html
    assert "Compare two versions" in html


def test_print_shows_the_plan_without_buttons(client, family, chair):
    family.users["safety_person"].phone = "0612345678"
    version = make_plan(family)
    html = client.get(url(family, f"/versions/{version.id}/print")).text
    assert "Safety plan of Family Test" in html and BEDTIME.what in html and "Teddy bear" in html
    assert "Phone: 0612345678" in html and "print-page" in html
    assert "Add an agreement" not in html and "/edit" not in html


# --- pictures and who may do what ------------------------------------------------------------------------

def test_an_agreement_picture_is_served_privately_to_the_household_only(app, client, family):
    from webapp import uploads as images
    version = make_plan(family)
    agreement = services.add_agreement(db.session, version, BEDTIME, images.clean(photo_bytes()), app.instance_path)
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    response = client.get(url(family, f"/agreements/{agreement.id}/picture"))
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get(url(family, f"/agreements/{version.agreements[0].id}/picture")).status_code == 404  # none
    sign_in_as(client, family.users["outsider"])
    assert client.get(url(family, f"/agreements/{agreement.id}/picture")).status_code == 404
    assert client.get(f"/h/{family.other_household.id}/plan/agreements/{agreement.id}/picture").status_code == 404


def _plan_urls(app, family, version, agreement):
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("safety_plan."):
            continue
        path = (rule.rule.replace("<int:household_id>", str(family.household.id))
                .replace("<int:version_id>", str(version.id)).replace("<int:agreement_id>", str(agreement.id)))
        out += [(method, path, rule.endpoint) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


def test_a_member_of_another_household_gets_404_on_every_plan_route(app, client, family):
    version = make_plan(family)
    sign_in_as(client, family.users["outsider"])
    urls = _plan_urls(app, family, version, version.agreements[0])
    assert len(urls) >= 17
    for method, path, _endpoint in urls:
        assert client.open(path, method=method, data={}).status_code == 404, (method, path)
        if re.search(r"/(versions|agreements)/\d+", path):  # their own household, but not its version or agreement
            own = path.replace(f"/h/{family.household.id}/", f"/h/{family.other_household.id}/")
            assert client.open(own, method=method, data={}).status_code == 404, (method, own)
    db.session.expire_all()
    assert count(Agreement) == 2 and version.status == VersionStatus.draft


def test_a_professional_gets_403_on_every_plan_change_and_reads_only_as_the_policy_says(app, client, family):
    version = make_plan(family)
    sign_in_as(client, family.users["professional"])
    may_read = allows({Role.professional}, "plan.read")
    for method, path, endpoint in _plan_urls(app, family, version, version.agreements[0]):
        status = client.open(path, method=method, data={}).status_code
        if app.view_functions[endpoint].kring_policy == "household:plan.edit":
            assert status == 403, (method, path)
        else:
            assert method == "GET" and status == (200 if may_read else 403), (method, path, status)
    db.session.expire_all()
    assert count(Agreement) == 2 and version.status == VersionStatus.draft


# --- home and menu ---------------------------------------------------------------------------------------

def test_home_shows_the_plan_card_with_the_version_in_force(client, family):
    sign_in_as(client, family.users["network_member"])
    assert "plan-card" not in client.get(f"/h/{family.household.id}").text  # no plan, and not an editor
    version = make_plan(family, agreed=True)
    html = client.get(f"/h/{family.household.id}").text
    assert "plan-card" in html and "Agreed on" in html
    assert f'href="/h/{family.household.id}/plan/"' in html
    services.record_approval(db.session, version, "J", "youth protection worker", date(2026, 3, 5), family.users["chair"])
    db.session.commit()
    assert "Approved on 5 March 2026" in client.get(f"/h/{family.household.id}").text


def test_an_editor_without_a_plan_is_invited_on_home_to_start_it(client, family):
    sign_in_as(client, family.users["chair"])
    assert "Not started yet. Start the safety plan." in client.get(f"/h/{family.household.id}").text


def test_the_menu_has_the_plan(client, family):
    sign_in_as(client, family.users["network_member"])
    nav = client.get(f"/h/{family.household.id}").text.split('class="mainnav"')[1].split("</nav>")[0]
    assert f'href="/h/{family.household.id}/plan/"' in nav and ">Plan</a>" in nav
    current = client.get(url(family, "/")).text.split('class="mainnav"')[1].split("</nav>")[0]
    assert re.search(r'href="/h/\d+/plan/" aria-current="page"', current)


def test_the_plan_page_is_in_dutch_for_a_dutch_person(app, client, family):
    from flask_babel import force_locale, gettext
    family.users["chair"].locale = "nl"
    make_plan(family)
    sign_in_as(client, family.users["chair"])
    html = client.get(url(family, "/")).text
    assert '<html lang="nl"' in html
    with app.test_request_context(), force_locale("nl"):
        assert str(escape(gettext("Safe object"))) in html
