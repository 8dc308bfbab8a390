"""The safety log through its pages: bad input keeps what was typed and is explained in the person's
language; corrections, withdrawals and highlights; a week per page, keyset paging within a busy week; who may see
and change what."""
import io
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, format_date, gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import BOMB
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.safety_log import services
from webapp.safety_log.models import EntryKind, LogEntry, LogHighlight
from webapp.safety_plan import services as plan

YESTERDAY = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def t(app, text: str, locale: str, **variables) -> str:
    """`text` as Kring shows it in `locale`, escaped as it appears in the HTML."""
    with app.test_request_context(), force_locale(locale):
        return str(escape(gettext(text, **variables)))


def composer_data(**fields) -> dict:
    data = {"client_id": str(uuid.uuid4()), "kind": "went_well", "what_happened": "", "what_was_done": "",
            "occurred_at": YESTERDAY}
    data.update(fields)
    return data


def write(app, family, author_key: str = "household_member", when=None, **fields) -> LogEntry:
    new = services.NewEntry(kind=fields.pop("kind", EntryKind.went_well), occurred_at=when or utcnow() - timedelta(hours=1),
                            **{"what_happened": "Samen gegeten.", **fields})
    entry, _ = services.write_entry(db.session, app.instance_path, family.household, family.users[author_key],
                                    str(uuid.uuid4()), new)
    db.session.commit()
    return entry


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LogEntry))


@pytest.fixture(params=["nl", "en"])
def parent(request, client, family):
    """The parent, signed in, with Dutch or English as their language."""
    user = family.users["household_member"]
    user.locale = request.param
    db.session.commit()
    sign_in_as(client, user)
    return request.param


# --- bad input ------------------------------------------------------------------------------------

def test_a_photo_declaring_huge_dimensions_is_refused_as_too_big_and_the_text_is_kept(app, client, family, parent):
    data = composer_data(what_happened="Mila hielp met koken.", photos=(io.BytesIO(BOMB), "groot.png", "image/png"))
    response = client.post(f"/h/{family.household.id}/log/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert t(app, "This photo is too big (too many pixels). Choose a smaller photo and try again.", parent) in response.text
    assert t(app, "This file is not a photo. Choose a photo (JPG, PNG or WebP) and try again.", parent) not in response.text
    assert "Mila hielp met koken.</textarea>" in response.text
    assert entry_count() == 0


def test_text_file_named_jpg_is_refused_in_the_persons_language_and_the_text_is_kept(app, client, family, parent):
    data = composer_data(what_happened="Mila hielp met koken.", what_was_done="Ik gaf haar een schort.",
                         photos=(io.BytesIO(b"just some words, not a picture"), "foto.jpg", "image/jpeg"))
    response = client.post(f"/h/{family.household.id}/log/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert t(app, "This file is not a photo. Choose a photo (JPG, PNG or WebP) and try again.", parent) in response.text
    assert t(app, "What you typed is kept. Choose the photo again, or leave it out.", parent) in response.text
    assert "Mila hielp met koken.</textarea>" in response.text and "Ik gaf haar een schort.</textarea>" in response.text
    assert 'value="went_well"' in response.text and re.search(r'<input checked[^>]*value="went_well"', response.text)
    assert entry_count() == 0


def test_empty_entry_asks_for_text_in_the_persons_language(app, client, family, parent):
    response = client.post(f"/h/{family.household.id}/log/new", data=composer_data(kind="calm_moment"))
    assert response.status_code == 422
    assert t(app, "Write what happened, or add a photo.", parent) in response.text
    assert re.search(r'<input checked[^>]*value="calm_moment"', response.text)  # the chosen kind is kept
    assert entry_count() == 0


def test_too_long_text_is_refused_in_the_persons_language_and_kept(app, client, family, parent):
    long_text = "a" * (services.MAX_TEXT + 1)
    response = client.post(f"/h/{family.household.id}/log/new",
                           data=composer_data(what_happened=long_text, what_was_done="Kort."))
    assert response.status_code == 422
    assert t(app, "Write at most %(n)s characters. Split a long story over two entries.", parent,
             n=services.MAX_TEXT) in response.text
    assert f">{long_text}</textarea>" in response.text or f"\n{long_text}</textarea>" in response.text
    assert entry_count() == 0


def test_error_texts_are_really_translated_to_dutch(app):
    for text in ("This file is not a photo. Choose a photo (JPG, PNG or WebP) and try again.",
                 "Write what happened, or add a photo."):
        assert t(app, text, "nl") != t(app, text, "en")


def test_a_good_entry_is_saved_once_even_when_sent_twice(client, family, parent):
    data = composer_data(kind="nearly_wrong", what_happened="Harde woorden aan tafel.", what_was_done="Even naar buiten.")
    first = client.post(f"/h/{family.household.id}/log/new", data=data)
    again = client.post(f"/h/{family.household.id}/log/new", data=data)
    assert first.status_code == again.status_code == 302
    assert entry_count() == 1


# --- correcting, withdrawing, highlighting -----------------------------------------------------------

def test_author_corrects_and_the_earlier_text_shows_in_the_history(app, client, family):
    entry = write(app, family, what_happened="Mila sliep om acht uur.")
    sign_in_as(client, family.users["household_member"])
    base = f"/h/{family.household.id}/log/{entry.id}"
    assert client.get(f"{base}/edit").status_code == 200
    response = client.post(f"{base}/edit", data={"kind": "calm_moment", "what_happened": "Mila sliep om negen uur.",
                                                "what_was_done": "", "occurred_at": YESTERDAY},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Your correction is saved." in response.text
    assert "Mila sliep om negen uur." in response.text
    history = response.text[response.text.index('id="history-title"'):]
    assert "Corrected by Parent Pat" in history and "Mila sliep om acht uur." in history
    db.session.refresh(entry)
    assert entry.version == 2 and entry.versions[0].what_happened == "Mila sliep om acht uur."


@pytest.mark.parametrize("other", ["safety_person", "network_member", "chair"])
def test_other_member_gets_403_on_edit_and_withdraw(app, client, family, other):
    entry = write(app, family)
    sign_in_as(client, family.users[other])
    base = f"/h/{family.household.id}/log/{entry.id}"
    assert client.get(f"{base}/edit").status_code == 403
    assert client.post(f"{base}/edit", data={"kind": "went_wrong", "what_happened": "Anders.",
                                             "occurred_at": YESTERDAY}).status_code == 403
    assert client.post(f"{base}/withdraw").status_code == 403
    db.session.refresh(entry)
    assert entry.version == 1 and not entry.withdrawn and entry.what_happened == "Samen gegeten."


def test_withdrawn_entry_stays_visible_marked_as_withdrawn(app, client, family):
    entry = write(app, family, what_happened="Per ongeluk bij de verkeerde familie.")
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"/h/{family.household.id}/log/{entry.id}/withdraw", follow_redirects=True)
    assert response.status_code == 200
    assert "Withdrawn by the author" in response.text and "Withdrawn by Parent Pat" in response.text
    timeline = client.get(f"/h/{family.household.id}/log/").text
    assert "Per ongeluk bij de verkeerde familie." in timeline and "Withdrawn by the author" in timeline
    assert "entry--withdrawn" in timeline
    assert client.get(f"/h/{family.household.id}/log/{entry.id}/edit").status_code == 403  # no more changes


def test_highlight_toggles_on_and_off(app, client, family):
    entry = write(app, family)
    sign_in_as(client, family.users["network_member"])
    url = f"/h/{family.household.id}/log/{entry.id}/highlight"
    marked = client.post(url, follow_redirects=True)
    assert "Marked for the next network meeting." in marked.text
    assert "Marked for the network meeting by: Neighbour Ned" in marked.text
    assert db.session.scalar(select(func.count()).select_from(LogHighlight)) == 1
    filtered = client.get(f"/h/{family.household.id}/log/?highlighted=y").text
    assert f"/log/{entry.id}\"" in filtered
    unmarked = client.post(url, follow_redirects=True)
    assert "No longer marked for the network meeting." in unmarked.text
    assert db.session.scalar(select(func.count()).select_from(LogHighlight)) == 0
    assert f"/log/{entry.id}\"" not in client.get(f"/h/{family.household.id}/log/?highlighted=y").text


# --- timeline ------------------------------------------------------------------------------------

def _entry_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="entry-(\d+)-title"', html)]


def _older_link(html: str) -> str | None:
    found = re.search(r'href="([^"]*)">Older entries</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # the app's time zone in the tests


def this_monday() -> date:
    today = utcnow().replace(tzinfo=timezone.utc).astimezone(AMSTERDAM).date()
    return today - timedelta(days=today.weekday())


def in_week(weeks_ago: int, day: int = 2, at: str = "12:00") -> datetime:
    """A moment (naive UTC) `day` days after the Monday `weeks_ago` weeks back, at local time `at`."""
    local = datetime.combine(this_monday() - timedelta(weeks=weeks_ago) + timedelta(days=day), time.fromisoformat(at),
                             tzinfo=AMSTERDAM)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def test_keyset_paging_within_a_busy_week_returns_the_next_page_without_repeating_entries(app, client, family,
                                                                                           monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 20)
    base = in_week(1)
    # Groups of seven share the exact same time, so that both page boundaries (20, 40) fall inside a group.
    made = [write(app, family, when=base - timedelta(minutes=(n // 7)), what_happened=f"Bericht {n}").id
            for n in range(47)]
    sign_in_as(client, family.users["safety_person"])
    url, seen, pages = f"/h/{family.household.id}/log/", [], 0
    while url:
        html = client.get(url).text
        ids = _entry_ids(html)
        assert ids and len(ids) <= 20
        seen += ids
        pages += 1
        url = _older_link(html)
    assert pages == 3
    assert len(seen) == len(set(seen)) == 47 and set(seen) == set(made)
    newest_first = [e.id for e in sorted(db.session.scalars(select(LogEntry)), key=lambda e: (e.occurred_at, e.id),
                                         reverse=True)]
    assert seen == newest_first


def test_keyset_paging_keeps_the_filter_and_the_week(app, client, family, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 20)
    for n in range(25):
        write(app, family, kind=EntryKind.calm_moment, when=in_week(1, at="20:00") - timedelta(hours=n))
        write(app, family, kind=EntryKind.went_wrong, when=in_week(1, at="20:00") - timedelta(hours=n, minutes=30))
    sign_in_as(client, family.users["household_member"])
    first = client.get(f"/h/{family.household.id}/log/?kind=calm_moment").text
    older = _older_link(first)
    assert "kind=calm_moment" in older and f"week={this_monday() - timedelta(weeks=1)}" in older
    second = client.get(older).text
    kinds = {db.session.get(LogEntry, i).kind for i in _entry_ids(first) + _entry_ids(second)}
    assert kinds == {EntryKind.calm_moment} and len(_entry_ids(first) + _entry_ids(second)) == 25


# --- a week per page ----------------------------------------------------------------------------------

def _pager_link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _week_range(app, weeks_ago: int) -> str:
    monday = this_monday() - timedelta(weeks=weeks_ago)
    with app.test_request_context(), force_locale("en"):
        return f"{format_date(monday, 'long')} to {format_date(monday + timedelta(days=6), 'long')}"


@pytest.fixture
def three_weeks(app, family):
    """Entries one, three and four weeks back; nothing this week and two weeks back."""
    return {weeks_ago: [write(app, family, when=in_week(weeks_ago, day=d), what_happened=f"Week -{weeks_ago} dag {d}").id
                        for d in (0, 3, 6)]
            for weeks_ago in (1, 3, 4)}


def test_the_log_opens_on_the_newest_week_with_entries_and_shows_only_that_week(app, client, family, three_weeks):
    sign_in_as(client, family.users["household_member"])
    html = client.get(f"/h/{family.household.id}/log/").text
    assert _entry_ids(html) == list(reversed(three_weeks[1]))  # Sunday, Thursday, Monday of that week
    assert _week_range(app, 1) in html
    assert _pager_link(html, "next") is None  # nothing newer: no link to an empty week


def test_previous_week_skips_the_empty_week_and_next_week_comes_back(app, client, family, three_weeks):
    sign_in_as(client, family.users["household_member"])
    first = client.get(f"/h/{family.household.id}/log/").text
    previous = _pager_link(first, "prev")
    assert f"week={this_monday() - timedelta(weeks=3)}" in previous  # two weeks back is empty: skipped
    assert "Previous week" in first and _week_range(app, 3) in first  # the link says which dates it goes to
    older = client.get(previous).text
    assert sorted(_entry_ids(older)) == three_weeks[3]
    assert f"week={this_monday() - timedelta(weeks=4)}" in _pager_link(older, "prev")
    back = client.get(_pager_link(older, "next")).text
    assert sorted(_entry_ids(back)) == three_weeks[1]
    oldest = client.get(_pager_link(older, "prev")).text
    assert sorted(_entry_ids(oldest)) == three_weeks[4] and _pager_link(oldest, "prev") is None


def test_an_empty_week_says_so_and_leads_to_the_nearest_older_week_with_entries(app, client, family, three_weeks):
    sign_in_as(client, family.users["household_member"])
    empty = this_monday() - timedelta(weeks=2)
    response = client.get(f"/h/{family.household.id}/log/?week={empty}")
    assert response.status_code == 200 and _entry_ids(response.text) == []
    assert "Nothing was written in this week." in response.text
    assert f"week={this_monday() - timedelta(weeks=3)}" in _pager_link(response.text, "prev")
    assert f"week={this_monday() - timedelta(weeks=1)}" in _pager_link(response.text, "next")


@pytest.mark.parametrize("week", ["nonsense", "2026-13-40", "0001-01-01", "9999-12-27", "", "30-11-2026", "%00", "2026-11-30x"])
def test_an_invalid_week_shows_this_week(app, client, family, three_weeks, week):
    sign_in_as(client, family.users["household_member"])
    response = client.get(f"/h/{family.household.id}/log/?week={week}")
    assert response.status_code == 200
    assert _entry_ids(response.text) == [] and "This week" in response.text and _week_range(app, 0) in response.text
    assert f"week={this_monday() - timedelta(weeks=1)}" in _pager_link(response.text, "prev")


def test_any_day_of_a_week_shows_that_whole_week(app, client, family, three_weeks):
    sign_in_as(client, family.users["household_member"])
    thursday = this_monday() - timedelta(weeks=3) + timedelta(days=3)
    html = client.get(f"/h/{family.household.id}/log/?week={thursday}").text
    assert sorted(_entry_ids(html)) == three_weeks[3]


def test_a_week_is_monday_to_sunday_in_the_households_time_zone(app, client, family):
    # Sunday 23:30 and Monday 00:30 in Amsterdam are both still Sunday in UTC.
    sunday_late = write(app, family, when=in_week(2, day=6, at="23:30")).id
    monday_early = write(app, family, when=in_week(1, day=0, at="00:30")).id
    sign_in_as(client, family.users["household_member"])
    html = client.get(f"/h/{family.household.id}/log/?week={this_monday() - timedelta(weeks=1)}").text
    assert _entry_ids(html) == [monday_early]
    assert _entry_ids(client.get(_pager_link(html, "prev")).text) == [sunday_late]


def test_filters_survive_paging_through_weeks(app, client, family, three_weeks):
    calm = write(app, family, kind=EntryKind.calm_moment, when=in_week(3, day=1)).id
    older_calm = write(app, family, kind=EntryKind.calm_moment, when=in_week(5, day=1)).id
    sign_in_as(client, family.users["household_member"])
    first = client.get(f"/h/{family.household.id}/log/?kind=calm_moment").text
    assert _entry_ids(first) == [calm]  # the newest week with a calm moment, not the newest week
    previous = _pager_link(first, "prev")
    assert "kind=calm_moment" in previous and f"week={this_monday() - timedelta(weeks=5)}" in previous
    second = client.get(previous).text
    assert _entry_ids(second) == [older_calm] and _pager_link(second, "prev") is None
    assert "kind=calm_moment" in _pager_link(second, "next")
    assert 'value="calm_moment" selected' in second or re.search(r'<option selected[^>]*value="calm_moment"', second)


def test_the_highlighted_entries_page_through_the_weeks_that_have_one(app, client, family, three_weeks):
    reader = family.users["household_member"]
    for entry_id in (three_weeks[1][1], three_weeks[4][0]):
        services.toggle_highlight(db.session, db.session.get(LogEntry, entry_id), reader)
    db.session.commit()
    sign_in_as(client, reader)
    first = client.get(f"/h/{family.household.id}/log/?highlighted=y").text
    assert _entry_ids(first) == [three_weeks[1][1]] and _pager_link(first, "next") is None
    previous = _pager_link(first, "prev")
    assert "highlighted=y" in previous and f"week={this_monday() - timedelta(weeks=4)}" in previous  # -3 has none
    older = client.get(previous).text
    assert _entry_ids(older) == [three_weeks[4][0]] and _pager_link(older, "prev") is None
    assert f"week={this_monday() - timedelta(weeks=1)}" in _pager_link(older, "next")


def test_the_print_view_still_prints_every_entry_of_the_period(app, client, family, three_weeks):
    sign_in_as(client, family.users["household_member"])
    html = client.get(f"/h/{family.household.id}/log/print?week={this_monday() - timedelta(weeks=3)}").text
    assert sorted(_entry_ids(html)) == sorted(i for ids in three_weeks.values() for i in ids)


def test_a_member_hidden_from_signals_sees_no_signal_entry_on_any_week_page(app, client, family, three_weeks):
    membership = family.membership("household_member")
    membership.signals_hidden = True
    from_signal = {weeks_ago: write(app, family, author_key="chair", when=in_week(weeks_ago, day=4), from_signal=True,
                                    what_happened="Uit een signaal.").id
                   for weeks_ago in (0, 2, 3, 6)}  # also in weeks that have nothing else
    sign_in_as(client, family.users["household_member"])
    url, weeks_seen = f"/h/{family.household.id}/log/", []
    while url:
        html = client.get(url).text
        assert "Uit een signaal." not in html and not set(_entry_ids(html)) & set(from_signal.values())
        weeks_seen.append(sorted(_entry_ids(html)))
        url = _pager_link(html, "prev")
    assert weeks_seen == [three_weeks[1], three_weeks[3], three_weeks[4]]  # the signal's weeks are not even offered
    for weeks_ago in range(8):
        html = client.get(f"/h/{family.household.id}/log/?week={this_monday() - timedelta(weeks=weeks_ago)}").text
        assert "Uit een signaal." not in html
        for rel in ("prev", "next"):
            link = _pager_link(html, rel)
            assert link is None or "Uit een signaal." not in client.get(link).text
    # Someone who is not hidden finds them, so the pages above could have shown them.
    witness = app.test_client()
    sign_in_as(witness, family.users["safety_person"])
    assert "Uit een signaal." in witness.get(f"/h/{family.household.id}/log/").text


def test_professional_gets_403_on_the_timeline_and_an_entry(app, client, family):
    entry = write(app, family)
    sign_in_as(client, family.users["professional"])
    assert client.get(f"/h/{family.household.id}/log/").status_code == 403
    assert client.get(f"/h/{family.household.id}/log/{entry.id}").status_code == 403


def test_member_of_another_household_gets_404_for_a_log_entry(app, client, family):
    entry = write(app, family)
    sign_in_as(client, family.users["outsider"])
    assert client.get(f"/h/{family.household.id}/log/{entry.id}").status_code == 404
    assert client.get(f"/h/{family.other_household.id}/log/{entry.id}").status_code == 404  # own household, not its entry


def test_script_in_text_is_shown_escaped(app, client, family):
    entry = write(app, family, what_happened='<script>alert("x")</script>', what_was_done="<b>vet</b>")
    sign_in_as(client, family.users["chair"])
    for url in (f"/h/{family.household.id}/log/", f"/h/{family.household.id}/log/{entry.id}",
                f"/h/{family.household.id}/log/print"):
        html = client.get(url).text
        assert '<script>alert("x")</script>' not in html and "<b>vet</b>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "&lt;b&gt;vet&lt;/b&gt;" in html


def _card(html: str, entry_id: int) -> str:
    return re.search(rf'<article[^>]*aria-labelledby="entry-{entry_id}-title">.*?</article>', html, re.S).group(0)


def test_each_card_shows_its_own_pictures_and_meeting_mark_on_the_week_and_in_print(app, client, family):
    """The timeline loads every entry's pictures and marks for the meeting together: each must land on its own card."""
    from tests.safety_log.test_images import jpeg_with_gps
    from webapp.uploads import clean
    photo = clean(jpeg_with_gps(size=(600, 400)))
    with_photo = write(app, family, when=in_week(0, day=0), photos=[photo, photo])
    marked = write(app, family, when=in_week(0, day=0, at="13:00"))
    plain = write(app, family, when=in_week(0, day=0, at="14:00"))
    db.session.add(LogHighlight(entry_id=marked.id, user_id=family.users["network_member"].id))
    db.session.commit()
    pictures = [a.id for a in with_photo.attachments]
    sign_in_as(client, family.users["household_member"])
    week = client.get(f"/h/{family.household.id}/log/?week={this_monday().isoformat()}").text
    printed = client.get(f"/h/{family.household.id}/log/print").text
    for page in (week, printed):
        cards = {entry.id: _card(page, entry.id) for entry in (with_photo, marked, plain)}
        assert all(f"/log/pictures/{i}\"" in cards[with_photo.id] for i in pictures)
        assert cards[with_photo.id].count("<img") == 2 and "<img" not in cards[marked.id] + cards[plain.id]
        assert "For the network meeting" in cards[marked.id]
        assert "For the network meeting" not in cards[with_photo.id] + cards[plain.id]


def _reads(user, locale: str) -> None:
    user.locale = locale
    db.session.commit()


def _parent_reading(client, family, locale: str):
    """The parent, signed in, reading Kring in `locale` (the tests below change it halfway)."""
    parent = family.users["household_member"]
    _reads(parent, locale)
    sign_in_as(client, parent)
    return parent


def _author_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="author".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_show_only_panel_follows_a_renamed_member_a_new_agreement_and_the_persons_language(app, client, family):
    """The unfiltered panel is kept per process (webapp/safety_log/parts.py): never a stale one."""
    parent = _parent_reading(client, family, "nl")
    url = f"/h/{family.household.id}/log/"
    first = client.get(url).text
    assert "Grandma Gwen" in _author_options(first) and t(app, "Who wrote it", "nl") in first

    family.users["safety_person"].display_name = "Oma Gwen"
    version = plan.start_plan(db.session, family.household, family.users["chair"])
    plan.add_agreement(db.session, version, plan.AgreementInput("Oma belt elke avond om zeven uur", who="Oma Gwen"))
    plan.agree(db.session, version)
    db.session.commit()
    second = client.get(url).text
    assert "Oma Gwen" in _author_options(second) and "Grandma Gwen" not in _author_options(second)
    assert "1. Oma belt elke avond om zeven uur" in second

    _reads(parent, "en")
    third = client.get(url).text
    assert "Who wrote it" in third and t(app, "Who wrote it", "nl") not in third
    assert "Oma Gwen" in _author_options(third)

    chosen = client.get(url + f"?author={family.users['safety_person'].id}").text  # filtered: made for this choice
    assert re.search(rf'<option selected value="{family.users["safety_person"].id}">Oma Gwen</option>', chosen)
    assert t(app, "Show everything", "en") in chosen and t(app, "Show everything", "en") not in third


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input checked[^>]*name="{name}"[^>]*value="([^"]*)"', html)


def test_the_composers_kinds_and_moods_follow_the_address_the_language_and_what_was_sent(app, client, family):
    """A new entry's kinds and moods are kept per process (webapp/safety_log/parts.py); what was sent is not."""
    parent = _parent_reading(client, family, "nl")
    url = f"/h/{family.household.id}/log/new"
    new = client.get(url).text
    assert t(app, "What kind of moment?", "nl") in new and _checked(new, "kind") == [] and _checked(new, "child_mood") == []
    assert _checked(client.get(url + "?kind=calm_moment").text, "kind") == ["calm_moment"]
    assert _checked(client.get(url + "?kind=not_a_kind").text, "kind") == []
    assert _checked(client.get(url).text, "kind") == []  # the kind in an address is not kept for the next one

    _reads(parent, "en")
    english = client.get(url + "?kind=calm_moment").text
    assert "What kind of moment?" in english and t(app, "What kind of moment?", "nl") not in english
    assert _checked(english, "kind") == ["calm_moment"]

    refused = client.post(url, data=composer_data(kind="nearly_wrong", child_mood="4", occurred_at="not a time"))
    assert refused.status_code == 422
    assert _checked(refused.text, "kind") == ["nearly_wrong"] and _checked(refused.text, "child_mood") == ["4"]
    assert _checked(client.get(url).text, "child_mood") == []
    no_kind = client.post(url, data=composer_data(kind="", what_happened="Mila sliep goed."))
    assert no_kind.status_code == 422 and 'id="kind-error"' in no_kind.text
    assert "Choose what kind of moment it was." in no_kind.text and "Mila sliep goed.</textarea>" in no_kind.text
