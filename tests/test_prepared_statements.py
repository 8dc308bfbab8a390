"""Queries built once and kept (database.prepared) answer for the household and person they are asked about each
time: a statement first built while serving one household never shows its rows to the next, and the date filters
kept per page follow a change of language on the same page."""
import uuid
from datetime import date, timedelta

from flask import render_template_string
from flask_babel import force_locale

from tests.conftest import sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.safety_log import services as log
from webapp.safety_log.models import EntryKind
from webapp.signals.models import SignalSource
from webapp.signals.services import raise_signal


def _signal(household, user):
    signal, _ = raise_signal(db.session, household, user, str(uuid.uuid4()), SignalSource.safe_object, "", utcnow(), 0)
    return signal


def _entry(household, user, text, kind=EntryKind.went_well):
    new = log.NewEntry(kind=kind, occurred_at=utcnow() - timedelta(hours=1), what_happened=text)
    log.write_entry(db.session, "", household, user, str(uuid.uuid4()), new)


def test_each_household_sees_only_its_own_signals_and_entries_through_the_kept_queries(app, family):
    parent, outsider = family.users["household_member"], family.users["outsider"]
    ours, theirs = _signal(family.household, parent), _signal(family.other_household, outsider)
    _entry(family.household, parent, "Ours: we ate together.")
    _entry(family.other_household, outsider, "Theirs: a calm evening.", EntryKind.calm_moment)
    db.session.commit()
    ours_url = f"/h/{family.household.id}/signals/{ours.id}"
    theirs_url = f"/h/{family.other_household.id}/signals/{theirs.id}"

    # One after the other in the same process: the second person's pages run the statements the first one's built.
    for _round in range(2):
        for user, household, own, other, own_text, other_text in [
                (parent, family.household, ours_url, theirs_url, "Ours:", "Theirs:"),
                (outsider, family.other_household, theirs_url, ours_url, "Theirs:", "Ours:")]:
            client = app.test_client()
            sign_in_as(client, user)
            home = client.get(f"/h/{household.id}").get_data(as_text=True)
            assert own in home and other not in home
            timeline = client.get(f"/h/{household.id}/log/").get_data(as_text=True)
            assert own_text in timeline and other_text not in timeline
            # A filter changes the statement's shape; the values are still this household's.
            kind = "went_well" if own_text == "Ours:" else "calm_moment"
            filtered = client.get(f"/h/{household.id}/log/?kind={kind}").get_data(as_text=True)
            assert own_text in filtered and other_text not in filtered
            wrong_kind = client.get(f"/h/{household.id}/log/?kind=went_wrong").get_data(as_text=True)
            assert own_text not in wrong_kind and other_text not in wrong_kind


def test_a_date_shown_again_on_the_same_page_follows_a_change_of_language(app):
    page = "{{ day|dateformat('d MMMM') }}"
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        dutch = render_template_string(page, day=date(2026, 3, 5))
        with force_locale("en"):
            english = render_template_string(page, day=date(2026, 3, 5))
        again = render_template_string(page, day=date(2026, 3, 5))
    assert (dutch, english, again) == ("5 maart", "5 March", "5 maart")
