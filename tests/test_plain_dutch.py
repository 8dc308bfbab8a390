"""Kring's own Dutch on the screens people use every day is plain (B1): sentences of at most about twelve words,
no professional jargon, and none of the method's hard words; the plain-language helper's lists are the measure.

The messages are taken from the daily screens' templates the way `make translations` extracts them, and checked
in the Dutch catalog, so a new daily-screen text is held to it as soon as it is translated."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from webapp.plain_language import METHOD_WORDS, check

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")  # a name or a number filled in: one word
ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "webapp" / "templates"
# What a household member, safety person, network member or chair opens on an ordinary day, and the child view.
DAILY_SCREENS = [
    "base.html", "households/home.html", "households/child.html", "first_steps/*.html",
    "signals/_home.html", "signals/raise.html", "signals/signal.html", "signals/_call_list.html",
    "signals/_offline.html", "signals/_child_status.html", "signals/child_*.html",
    "safety_plan/_mine.html", "safety_plan/_home.html", "safety_plan/_plan.html", "components/_plan_status.html",
    "safety_log/timeline.html", "safety_log/write.html", "components/_log_entry.html", "safety_log/child_*.html",
    "words_pictures/_home.html", "words_pictures/book.html", "words_pictures/child_page.html",
    "components/_phase.html", "safety_scales/_phase_progress.html", "shell/offline.html",
]


def _daily_messages() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for pattern in DAILY_SCREENS:
        paths = sorted(TEMPLATES.glob(pattern))
        assert paths, f"no template matches {pattern}: keep DAILY_SCREENS in step with the templates"
        for path in paths:
            for _line, message, _comments, _context in extract_from_file("jinja2", str(path), DEFAULT_KEYWORDS):
                for msgid in (message if isinstance(message, tuple) else (message,)):
                    if msgid:
                        found.setdefault(msgid, set()).add(str(path.relative_to(TEMPLATES)))
    return found


@pytest.fixture(scope="module")
def dutch():
    with open(ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale="nl")
    texts = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            texts[msgid] = [s for s in strings if s]
    return texts


def test_the_daily_screens_speak_plain_dutch(dutch):
    flagged = []
    for msgid, where in sorted(_daily_messages().items()):
        for text in dutch.get(msgid, []):
            hints = [h for h in check(PLACEHOLDER.sub("X", text), "nl", audience="daily") if h.kind != "long_word"]
            if hints:
                flagged.append(f"{sorted(where)[0]}: {text!r}: " + ", ".join(
                    f"{h.kind} {h.text!r}" + (f" ({h.count} words)" if h.count else "") for h in hints))
    assert flagged == [], "\n".join(flagged)


def test_the_check_flags_what_it_should_on_a_daily_screen():
    # The measure itself can fail: a long sentence, a professional word and a method word are each caught.
    long = "Als je een melding krijgt op je telefoon open je Kring en kijk je wie er al onderweg is."
    assert [h.kind for h in check(long, "nl", audience="daily")] == ["long_sentence"]
    assert [h.text for h in check("Lees de gevaarsomschrijving.", "nl", audience="daily")] == ["gevaarsomschrijving"]
    assert [h.kind for h in check("Er was een interventie.", "nl", audience="daily")] == ["jargon"]
    # The method's own words stay allowed where people write about the method itself.
    assert [h.kind for h in check("Lees de gevaarsomschrijving.", "nl", audience="adult")] == ["long_word"]
    assert {term for _, words in METHOD_WORDS for term in words["nl"]} >= {
        "gevaarsomschrijving", "veiligheidsschaal", "middelste", "laatste ronde"}


def test_a_phone_notification_is_not_professional_jargon():
    assert check("Je krijgt een melding op je telefoon.", "nl", audience="daily") == []
