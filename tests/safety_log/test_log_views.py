"""The safety log through its pages: bad input keeps what was typed and is explained in the person's
language; corrections, withdrawals and highlights; keyset paging; who may see and change what."""
import io
import re
import uuid
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from tests.safety_log.test_images import BOMB
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.safety_log import services
from webapp.safety_log.models import EntryKind, LogEntry, LogHighlight

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


def test_keyset_paging_returns_the_next_page_without_repeating_entries(app, client, family):
    base = utcnow() - timedelta(days=3)
    # Groups of seven share the exact same time, so that both page boundaries (20, 40) fall inside a group.
    made = [write(app, family, when=base - timedelta(minutes=(n // 7)), what_happened=f"Bericht {n}").id
            for n in range(47)]
    sign_in_as(client, family.users["safety_person"])
    url, seen, pages = f"/h/{family.household.id}/log/", [], 0
    while url:
        html = client.get(url).text
        ids = _entry_ids(html)
        assert ids and len(ids) <= services.PAGE_SIZE
        seen += ids
        pages += 1
        url = _older_link(html)
    assert pages == 3
    assert len(seen) == len(set(seen)) == 47 and set(seen) == set(made)
    newest_first = [e.id for e in sorted(db.session.scalars(select(LogEntry)), key=lambda e: (e.occurred_at, e.id),
                                         reverse=True)]
    assert seen == newest_first


def test_keyset_paging_keeps_the_filter(app, client, family):
    for n in range(25):
        write(app, family, kind=EntryKind.calm_moment, when=utcnow() - timedelta(hours=n + 1))
        write(app, family, kind=EntryKind.went_wrong, when=utcnow() - timedelta(hours=n + 1, minutes=30))
    sign_in_as(client, family.users["household_member"])
    first = client.get(f"/h/{family.household.id}/log/?kind=calm_moment").text
    older = _older_link(first)
    assert "kind=calm_moment" in older
    second = client.get(older).text
    kinds = {db.session.get(LogEntry, i).kind for i in _entry_ids(first) + _entry_ids(second)}
    assert kinds == {EntryKind.calm_moment} and len(_entry_ids(first) + _entry_ids(second)) == 25


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
