"""The safety log as a person uses it on a phone, in Dutch: writing an entry in three taps from home,
a photo whose location is gone, filtering the timeline, other households kept out, bad input explained
(in English too, for a person who chose English) without losing what was typed."""
import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, gettext
from PIL import Image
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, sign_in
from webapp.auth.models import User, utcnow
from webapp.extensions import db
from webapp.households.models import Household, Role
from webapp import uploads as images
from webapp.safety_log import services
from webapp.safety_log.models import EntryKind, LogAttachment, LogEntry

pytestmark = pytest.mark.e2e

ADULT_KINDS = {
    "went_well": "Went well",
    "nearly_wrong": "Nearly went wrong",
    "went_wrong": "Went wrong",
    "calm_moment": "Calm moment",
    "child_wellbeing": "How the child is doing",
}
GPS_IFD = 0x8825
NOT_A_PHOTO = "This file is not a photo. Choose a photo (JPG, PNG or WebP) and try again."
NO_TEXT = "Write what happened, or add a photo."
TOO_LONG = "Write at most %(n)s characters. Split a long story over two entries."
TYPED_KEPT = "What you typed is kept. Choose the photo again, or leave it out."


def text_in(live_server, msgid: str, locale: str, **variables) -> str:
    with live_server.app.test_request_context(), force_locale(locale):
        return gettext(msgid, **variables)


def phone_photo_with_gps() -> bytes:
    """A JPEG as a phone makes it: EXIF with a GPS position and the camera's make."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 2.2)}
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 140, 200)).save(out, "JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo really has a location
    return data


def write_direct(live_server, household_id: int, author_id: int, kind: EntryKind, text: str,
                 photo: bytes | None = None, hours_ago: int = 1,
                 before: datetime | None = None) -> tuple[int, int | None]:
    """An entry written straight through the service, `hours_ago` hours before `before` (now when not given);
    returns (entry id, attachment id)."""
    app = live_server.app
    with app.app_context():
        household = db.session.get(Household, household_id)
        new = services.NewEntry(kind=kind, occurred_at=(before or utcnow()) - timedelta(hours=hours_ago),
                                what_happened=text,
                                photos=[images.clean(photo)] if photo else [])
        entry, _ = services.write_entry(db.session, app.instance_path, household, db.session.get(User, author_id),
                                        f"e2e-{household_id}-{text[:20].replace(' ', '-')}-{hours_ago}", new)
        db.session.commit()
        result = entry.id, (entry.attachments[0].id if entry.attachments else None)
        db.session.remove()
    return result


def a_moment_with_hours_of_its_week_before_it(live_server, hours: int) -> datetime:
    """Now, or, when the local week began less than `hours` ago (early on a Monday), the last minute of the week
    before: entries written up to `hours` before it fall in one week whatever the clock says."""
    tz = ZoneInfo(live_server.app.config["BABEL_DEFAULT_TIMEZONE"])
    now = utcnow()
    start = services.week_start(services.local_monday(now, tz), tz)
    return now if now - timedelta(hours=hours) >= start else start - timedelta(minutes=1)


def open_composer_from_home(page: Page, base: str, household_id: int, kind: str) -> None:
    """Home, then tap the kind: the composer opens with that kind already chosen."""
    page.goto(f"{base}/h/{household_id}")
    check_axe(page)
    page.locator(f"a.kind-link[href*='kind={kind}']").tap()
    expect(page).to_have_url(re.compile(rf"/h/{household_id}/log/new\?kind={kind}$"))
    expect(page.locator(f"input[name=kind][value={kind}]")).to_be_checked()
    check_axe(page)


def save(page: Page) -> None:
    with page.expect_navigation():
        page.locator("form[data-log-form] button[type=submit]").tap()


def test_writes_an_entry_of_each_kind_in_three_taps_from_home(live_server, factory, page):
    family = factory.household("Familie Visser", "Lotte Visser")
    base = live_server.url
    sign_in(page, base, family.people["creator"].username)
    check_axe(page)

    for kind, label in ADULT_KINDS.items():
        text = f"Moment van soort {kind}: Noor en mama lazen samen een boek."
        open_composer_from_home(page, base, family.id, kind)  # tap 1: the kind
        page.locator("#what_happened").fill(text)  # tap 2: type
        save(page)  # tap 3: save
        expect(page).to_have_url(re.compile(rf"/h/{family.id}/log/$"))
        expect(page.locator(".notice--success")).to_contain_text(live_server.t("Saved in the safety log."))
        card = page.locator(f"article.entry--{kind}").filter(has_text=text)
        expect(card).to_have_count(1)
        expect(card.locator(".entry__title")).to_have_text(live_server.t(label))
        expect(card.locator(".entry__meta")).to_contain_text("Lotte Visser")
        check_axe(page)

    expect(page.locator("article.entry")).to_have_count(5)
    with live_server.app.app_context():
        kinds = set(db.session.scalars(db.select(LogEntry.kind).filter_by(household_id=family.id)))
        db.session.remove()
    assert kinds == {EntryKind(k) for k in ADULT_KINDS}


def test_photo_is_stored_without_location_and_served_privately(live_server, factory, page, tmp_path):
    family = factory.household("Familie Smit", "Ilse Smit")
    base = live_server.url
    photo = tmp_path / "briefje.jpg"
    photo.write_bytes(phone_photo_with_gps())
    sign_in(page, base, family.people["creator"].username)
    check_axe(page)

    open_composer_from_home(page, base, family.id, "went_well")
    page.locator("#what_happened").fill("Noor schreef een lief briefje voor oma.")
    page.locator("input[name=photos]").set_input_files(str(photo))
    save(page)
    expect(page).to_have_url(re.compile(rf"/h/{family.id}/log/$"))
    picture = page.locator("article.entry--went_well .entry__pictures img")
    expect(picture).to_have_count(1)
    check_axe(page)

    with live_server.app.app_context():
        attachment = db.session.scalar(db.select(LogAttachment).filter_by(household_id=family.id))
        stored = Path(live_server.app.instance_path) / "uploads" / str(family.id) / attachment.filename
        attachment_id, mimetype = attachment.id, attachment.mimetype
        db.session.remove()
    data = stored.read_bytes()
    cleaned = Image.open(io.BytesIO(data))
    assert dict(cleaned.getexif()) == {} and not cleaned.getexif().get_ifd(GPS_IFD)
    assert "exif" not in cleaned.info and b"Exif" not in data and b"PhoneMaker" not in data
    assert mimetype == "image/jpeg"

    url = f"{base}/h/{family.id}/log/pictures/{attachment_id}"
    assert picture.get_attribute("src") == f"/h/{family.id}/log/pictures/{attachment_id}"
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-type"] == "image/jpeg"
    assert response.body() == data


def test_timeline_shows_one_week_and_pages_to_the_previous_week_with_entries(live_server, factory, page):
    family = factory.household("Familie Mulder", "Eva Mulder")
    eva = family.people["creator"]
    # Now, and 15 days back: at least one week with nothing in it lies between them, whatever day it is.
    write_direct(live_server, family.id, eva.id, EntryKind.went_well, "Eva: samen gefietst", hours_ago=0)
    write_direct(live_server, family.id, eva.id, EntryKind.calm_moment, "Eva: thee gedronken", hours_ago=15 * 24)
    base = live_server.url
    sign_in(page, base, eva.username)

    page.goto(f"{base}/h/{family.id}/log/")
    expect(page.locator("article.entry")).to_have_count(1)
    expect(page.locator("article.entry")).to_contain_text("Eva: samen gefietst")
    expect(page.locator(".week-range")).to_contain_text("Deze week")
    previous = page.get_by_role("link", name=re.compile("Vorige week"))
    box = previous.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    check_axe(page)
    with page.expect_navigation():
        previous.tap()
    expect(page).to_have_url(re.compile(r"\?week=\d{4}-\d{2}-\d{2}$"))
    expect(page.locator("article.entry")).to_have_count(1)
    expect(page.locator("article.entry")).to_contain_text("Eva: thee gedronken")  # the empty week was skipped
    expect(page.get_by_role("link", name=re.compile("Vorige week"))).to_have_count(0)
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Volgende week")).tap()
    expect(page.locator("article.entry")).to_contain_text("Eva: samen gefietst")


def test_timeline_filters_by_kind_and_by_person(live_server, factory, page):
    family = factory.household("Familie Mulder", "Eva Mulder")
    kees = factory.member(family, "neighbour", "Kees Bos", {Role.network_member})
    eva = family.people["creator"]
    # The timeline opens on the newest week with entries: all four in one week, also early on a Monday.
    before = a_moment_with_hours_of_its_week_before_it(live_server, 5)
    for author, kind, text, hours_ago in ((eva, EntryKind.went_well, "Eva: samen gefietst", 1),
                                          (eva, EntryKind.went_wrong, "Eva: ruzie bij het eten", 2),
                                          (kees, EntryKind.went_well, "Kees: Noor opgehaald", 3),
                                          (kees, EntryKind.calm_moment, "Kees: thee gedronken", 4)):
        write_direct(live_server, family.id, author.id, kind, text, hours_ago=hours_ago, before=before)
    base = live_server.url
    sign_in(page, base, kees.username)
    check_axe(page)

    page.goto(f"{base}/h/{family.id}/log/")
    entries = page.locator("article.entry")
    expect(entries).to_have_count(4)
    check_axe(page)

    page.locator("details.filters summary").tap()
    page.locator("#kind").select_option("went_well")
    with page.expect_navigation():
        page.locator("details.filters button[type=submit]").tap()
    expect(page).to_have_url(re.compile(r"kind=went_well"))
    expect(entries).to_have_count(2)
    expect(page.locator("article.entry--went_well")).to_have_count(2)
    check_axe(page)

    page.locator("#kind").select_option("")
    page.locator("#author").select_option(label="Kees Bos")
    with page.expect_navigation():
        page.locator("details.filters button[type=submit]").tap()
    expect(entries).to_have_count(2)
    for card in entries.all():
        expect(card.locator(".entry__meta")).to_contain_text("Kees Bos")
    check_axe(page)

    page.locator("#kind").select_option("went_well")
    with page.expect_navigation():
        page.locator("details.filters button[type=submit]").tap()
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Kees: Noor opgehaald")
    check_axe(page)

    page.locator("details.filters a", has_text=live_server.t("Show everything")).tap()
    expect(entries).to_have_count(4)
    check_axe(page)


def test_member_of_another_household_gets_404_for_an_entry_and_its_picture(live_server, factory, page):
    family = factory.household("Familie de Boer", "Sara de Boer")
    entry_id, attachment_id = write_direct(live_server, family.id, family.people["creator"].id, EntryKind.went_well,
                                           "Foto van de tekening", photo=phone_photo_with_gps())
    other = factory.household("Familie Peters", "Tom Peters")
    base = live_server.url
    sign_in(page, base, other.people["creator"].username)
    check_axe(page)

    for url in (f"{base}/h/{family.id}/log/{entry_id}", f"{base}/h/{family.id}/log/pictures/{attachment_id}",
                f"{base}/h/{other.id}/log/{entry_id}", f"{base}/h/{other.id}/log/pictures/{attachment_id}"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text(live_server.t("This page is not here"))
        expect(page.locator("body")).not_to_contain_text("Foto van de tekening")
        check_axe(page)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_bad_input_is_explained_in_the_persons_language_and_keeps_what_was_typed(live_server, factory, page,
                                                                                 tmp_path, locale):
    family = factory.household("Familie Jacobs", "Anna Jacobs")
    with live_server.app.app_context():
        db.session.get(User, family.people["creator"].id).locale = locale  # factory people start in Dutch
        db.session.commit()
        db.session.remove()
    base = live_server.url
    fake = tmp_path / "foto.jpg"
    fake.write_text("Dit is een boodschappenlijstje, geen foto.")

    def t(msgid, **variables):
        return text_in(live_server, msgid, locale, **variables)

    def expect_error(field: str, message: str) -> None:
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator(".error-summary")).to_contain_text(message)
        expect(page.locator(f"#{field}-error")).to_contain_text(message)

    sign_in(page, base, family.people["creator"].username)
    check_axe(page, lang=locale)

    # A text file named .jpg: refused as "not a photo", the text stays.
    page.goto(f"{base}/h/{family.id}/log/new?kind=nearly_wrong")
    check_axe(page, lang=locale)
    page.locator("#what_happened").fill("Bijna ruzie over de telefoon.")
    page.locator("#what_was_done").fill("Ik heb oma gebeld.")
    page.locator("input[name=photos]").set_input_files(str(fake))
    save(page)
    expect_error("photos", t(NOT_A_PHOTO))
    expect(page.locator("main")).to_contain_text(t(TYPED_KEPT))
    expect(page.locator("#what_happened")).to_have_value("Bijna ruzie over de telefoon.")
    expect(page.locator("#what_was_done")).to_have_value("Ik heb oma gebeld.")
    expect(page.locator("input[name=kind][value=nearly_wrong]")).to_be_checked()
    check_axe(page, lang=locale)

    # Nothing written at all.
    page.goto(f"{base}/h/{family.id}/log/new?kind=calm_moment")
    save(page)
    expect_error("what_happened", t(NO_TEXT))
    expect(page.locator("input[name=kind][value=calm_moment]")).to_be_checked()
    check_axe(page, lang=locale)

    # Too long: 5,001 characters.
    long_text = "Noor " * 1000 + "!"
    assert len(long_text) == services.MAX_TEXT + 1
    page.goto(f"{base}/h/{family.id}/log/new?kind=went_well")
    page.locator("#what_happened").evaluate("(field, text) => { field.value = text; }", long_text)
    page.locator("#what_was_done").fill("Voorgelezen.")
    save(page)
    expect_error("what_happened", t(TOO_LONG, n=services.MAX_TEXT))
    expect(page.locator("#what_happened")).to_have_value(long_text)
    expect(page.locator("#what_was_done")).to_have_value("Voorgelezen.")
    check_axe(page, lang=locale)

    with live_server.app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LogEntry).filter_by(household_id=family.id)) == 0
        db.session.remove()
    if locale == "nl":
        assert t(NOT_A_PHOTO) != NOT_A_PHOTO and t(NO_TEXT) != NO_TEXT  # really Dutch, not the English ids
