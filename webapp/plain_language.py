"""Plain language: spots professional jargon, long sentences and long words in what people write for the
household and the child, each with a simpler suggestion.

`check` gives the hints on the server (after saving); the same lists reach static/js/plain-language.js as
JSON, so that the hints show while typing in any field marked `data-plain-language`.
"""
import re
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, jsonify
from flask_babel import force_locale, gettext as _

from webapp.authz import public
from webapp.i18n import lazy_gettext as _l

# Words per sentence at most; "young_child" for a household whose youngest child is six or under; "daily" for
# Kring's own text on the screens people use every day (B1: about 12 words).
SENTENCE_WORDS = {"young_child": 8, "child": 15, "adult": 20, "daily": 12}
LONG_WORD = 12  # letters

# Professional words, grouped by what they mean, with a plain way to say it. The words are per language
# (they are what people type) and all are looked for; the suggestion is in the reader's language (Babel).
JARGON: list[tuple[object, dict[str, list[str]]]] = [
    (_l("who keeps the overview of the help"), {
        "nl": ["casusregie", "casusregisseur", "regiehouder", "casemanagement", "casemanager"],
        "en": ["case management", "case manager", "case director", "care coordination"]}),
    (_l("making a plan together so that the child is safe"), {
        "nl": ["veiligheidsplanning", "veiligheidsplanner"],
        "en": ["safety planning", "safety planner"]}),
    (_l("looking at how big the danger is"), {
        "nl": ["risicotaxatie", "risico-inschatting", "risicoanalyse", "risicofactor"],
        "en": ["risk assessment", "risk analysis", "risk factor"]}),
    (_l("a judge decided that someone helps the family"), {
        "nl": ["jeugdbeschermingsmaatregel", "kinderbeschermingsmaatregel", "ondertoezichtstelling", "OTS",
               "gezinsvoogd", "jeugdbeschermer"],
        "en": ["child protection order", "supervision order", "care order", "youth protection worker"]}),
    (_l("helpers from different places work together"), {
        "nl": ["multidisciplinair", "ketenpartner", "ketensamenwerking"],
        "en": ["multidisciplinary", "multi-agency", "interagency"]}),
    (_l("help, or something that is done"), {
        "nl": ["interventie", "hulpverleningstraject", "zorgtraject", "traject", "indicatie"],
        "en": ["intervention", "care pathway", "referral"]}),
    (_l("noticing that something is wrong, and telling someone"), {
        # Not "melding": in everyday Dutch that is the notification on a phone, Kring's own word for it.
        "nl": ["signalering", "signaleren", "meldcode"],
        "en": ["safeguarding", "signposting", "disclosure"]}),
    (_l("a talk about how it is going"), {
        "nl": ["evaluatiemoment", "casusoverleg", "MDO"],
        "en": ["case conference", "case review"]}),
    (_l("what the family is good at, and who helps"), {
        "nl": ["beschermende factoren", "krachtenanalyse", "protectieve factoren"],
        "en": ["protective factors", "strengths assessment"]}),
    (_l("arguing and hurting each other at home"), {
        "nl": ["huiselijk geweld", "partnergeweld", "kindermishandeling"],
        "en": ["domestic violence", "domestic abuse", "maltreatment"]}),
    (_l("is going well again"), {
        "nl": ["stabilisatie", "stabiliseren"],
        "en": ["stabilisation", "stabilization"]}),
    (_l("is not good for the child"), {
        "nl": ["ontwikkelingsbedreiging", "bedreigd in de ontwikkeling"],
        "en": ["developmental risk", "significant harm"]}),
]
# The method's own words. Pages about the method use them, with an explanation; the screens people use every
# day say it plainly instead (audience "daily").
METHOD_WORDS: list[tuple[object, dict[str, list[str]]]] = [
    (_l("the worry"), {"nl": ["gevaarsomschrijving"], "en": ["danger statement"]}),
    (_l("the scale from 0 to 10"), {"nl": ["veiligheidsschaal"], "en": ["safety scale"]}),
    (_l("the score in the middle"), {"nl": ["middelste"], "en": ["median"]}),
    (_l("the last scores"), {"nl": ["laatste ronde"], "en": ["latest round"]}),
]
# Long words that the household knows well from Kring itself: not worth a hint.
FAMILIAR = {
    "nl": {"veiligheidspersoon", "veiligheidspersonen", "veiligheidsplan", "veiligheidsplannen", "netwerkberaad",
           "veiligheidsafspraak", "veiligheidsafspraken", "veiligheidslogboek", "veiligheidsschaal"},
    "en": set(),
}

_LETTER = r"[^\W\d_]"
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass(frozen=True)
class Hint:
    kind: str  # "jargon", "long_sentence" or "long_word"
    text: str  # the word, or the start of the sentence
    count: int = 0  # words in the sentence, letters in the word
    suggestion: str = ""


def sentences(text: str) -> list[str]:
    """The sentences of `text`: ended by . ! ? (or a new line); a text without an end mark is one sentence."""
    parts = re.split(r"(?<=[.!?…])[\"'”’)]*\s+|\n+", (text or "").strip())
    return [p.strip() for p in parts if _WORD.search(p or "")]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def _jargon_pattern(term: str) -> re.Pattern:
    # A few letters more are allowed, for plurals and other forms: "interventies", "interventions".
    body = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(rf"(?<!{_LETTER}){body}{_LETTER}{{0,3}}(?!{_LETTER})", re.IGNORECASE)


def _jargon_terms(audience: str = "adult") -> list[tuple[str, object]]:
    # Every language's words: a Dutch household may write Dutch while its chair reads Kring in English.
    groups = JARGON + METHOD_WORDS if audience == "daily" else JARGON
    return [(term, suggestion) for suggestion, per_language in groups for terms in per_language.values()
            for term in terms]


def check(text: str, locale: str, audience: str = "adult") -> list[Hint]:
    """Hints to make `text` easier to read, in the order they appear; each jargon word or long word once."""
    language = (locale or "").split("_")[0].split("-")[0].lower()
    hints: list[tuple[int, Hint]] = []
    taken: list[tuple[int, int]] = []
    for term, suggestion in _jargon_terms(audience):
        match = _jargon_pattern(term).search(text or "")
        if match:
            hints.append((match.start(), Hint("jargon", match.group(0), suggestion=str(suggestion))))
            taken.append(match.span())
    limit = SENTENCE_WORDS.get(audience, SENTENCE_WORDS["adult"])
    offset = 0
    for sentence in sentences(text):
        at = (text or "").find(sentence, offset)
        offset = max(at, offset)
        count = len(words(sentence))
        if count > limit:
            hints.append((at, Hint("long_sentence", " ".join(words(sentence)[:6]), count=count)))
    familiar = FAMILIAR.get(language, set())
    seen = set()
    for match in _WORD.finditer(text or ""):
        word = match.group(0)
        letters = len(re.findall(_LETTER, word))
        inside_jargon = any(start <= match.start() < end for start, end in taken)
        if letters > LONG_WORD and not inside_jargon and word.lower() not in familiar and word.lower() not in seen:
            seen.add(word.lower())
            hints.append((match.start(), Hint("long_word", word, count=letters)))
    return [hint for _, hint in sorted(hints, key=lambda pair: pair[0])]


def messages() -> dict[str, str]:
    """The hint texts with %(name)s placeholders, in the current language (filled in by `message` or by JS)."""
    return {
        "title": _("Tips to make it easier to read:"),
        "jargon": _("“%(word)s” is a word for professionals. Try: “%(suggestion)s”."),
        "long_sentence": _("A long sentence (%(count)s words): “%(start)s…”. Try at most %(limit)s words, "
                           "or make two sentences."),
        "long_word": _("“%(word)s” is a long word (%(count)s letters). Is there a shorter word?"),
    }


def message(hint: Hint, audience: str = "adult") -> str:
    template = messages()[hint.kind]
    return template % {"word": hint.text, "start": hint.text, "suggestion": hint.suggestion, "count": hint.count,
                       "limit": SENTENCE_WORDS.get(audience, SENTENCE_WORDS["adult"])}


def lists(locale: str) -> dict:
    """What plain-language.js needs for `locale`, its texts in that language."""
    with force_locale(locale):
        return {
            "locale": locale,
            "sentenceWords": SENTENCE_WORDS,
            "longWord": LONG_WORD,
            "jargon": [{"words": [term for terms in per_language.values() for term in terms],
                        "suggestion": str(suggestion)} for suggestion, per_language in JARGON],
            "familiar": sorted(FAMILIAR.get(locale, set())),
            "messages": messages(),
        }


bp = Blueprint("plain_language", __name__)


@bp.route("/plain-language/<locale>.json")
@public
def lists_json(locale: str):
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    response = jsonify(lists(locale))
    # The same for everyone and it changes only with a new release: the phone may keep it for a day.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
