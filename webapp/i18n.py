"""Which language a page is in: the person's setting, then their choice on this device, then the browser's."""
from functools import lru_cache

import flask_babel
from flask import Flask, current_app, g, has_app_context, request, session
from flask_babel import Domain, get_locale, get_timezone, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

RTL = {"ar"}
# Each language named in itself, so a person who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "ar": "العربية"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    user = current_user._get_current_object()  # one look-up, not three (_page_translations)
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


class RequestDomain(Domain):
    """flask-babel's message domain, but a request looks its translations up once per language instead of for every
    message. flask-babel's own look-up (its context, the locale, the locale's name as the cache key) takes about
    16 µs, the message itself a third of a µs, and a page shows a hundred messages or more.

    The translations are kept beside the locale they belong to, in flask-babel's own per-request context: when
    the locale changes (force_locale, for an e-mail in the recipient's language), the next message looks up again.
    """

    def get_translations(self):
        locale = get_locale()  # None outside a request
        context = g.get("_flask_babel") if locale is not None else None  # flask-babel's context, made by get_locale
        if context is None:
            return super().get_translations()
        kept = getattr(context, "kring_translations", None)
        if kept is not None and kept[0] is locale and kept[1] is self:
            return kept[2]
        translations = super().get_translations()
        context.kring_translations = (locale, self, translations)
        return translations


def _page_translations():
    """The request's translations, kept by RequestDomain: one look-up in `g` instead of six. `g` itself is looked
    up through its proxy's _get_current_object: an attribute of the proxy (g.get) first fails on the proxy, raising
    and formatting an AttributeError, and costs five times as much (a page asks a hundred times)."""
    context = g._get_current_object().get("_flask_babel")
    kept = getattr(context, "kring_translations", None)
    if kept is not None and kept[0] is getattr(context, "babel_locale", None):
        return kept[2]
    return get_translations()


def locale_name() -> str:
    """The page's language as text ("nl"), for a key of what is kept per language. flask-babel's Locale is turned
    into text once per request (and again when force_locale changes it): get_locale(), str() and == of a babel Locale
    are Python code of some microseconds each, and a calendar week asked forty times."""
    request_g = g._get_current_object()
    context = request_g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    if locale is None:  # not chosen yet in this request: flask-babel chooses it, in a context of its own
        locale = get_locale()
        context = request_g.get("_flask_babel")
        if locale is None or context is None:
            return str(locale or "")
    kept = getattr(context, "kring_locale_name", None)
    if kept is None or kept[0] is not locale:
        kept = context.kring_locale_name = (locale, str(locale))
    return kept[1]


def gettext(string: str, **variables) -> str:
    """flask-babel's gettext, through the request's kept translations."""
    if not has_app_context():
        return flask_babel.gettext(string, **variables)
    text = _page_translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask-babel's lazy_gettext, for labels defined once and shown on every page (a week's element tags show a
    hundred): each is translated through the kept translations when it is shown."""
    return LazyString(gettext, string, **variables)


_l = lazy_gettext


DATES_KEPT = 8192  # formatted dates kept per process: a few hundred bytes each


def _kept_per_process(date_filter):
    """flask-babel's date filter, each (moment, format, language, time zone) formatted once per process: a chart's
    dates and months repeat on every page, and a formatting costs about 25 microseconds. The language and zone are
    the ones the text is made in (force_locale changes them for an e-mail), so a text never reaches a page in
    another language or zone."""
    def format_for(value, args, locale, zone):  # locale and zone are in the key; date_filter reads them itself
        return date_filter(value, *args)

    def formatted(value, *args, **kwargs):
        context = g._get_current_object().get("_flask_babel")
        if context is None or kwargs:
            return date_filter(value, *args, **kwargs)
        extensions = current_app._get_current_object().extensions
        kept = extensions.get(key := ("kring_dates", date_filter))
        if kept is None:
            kept = extensions[key] = lru_cache(maxsize=DATES_KEPT)(format_for)
        locale = locale_name()
        zone = getattr(context, "babel_tzinfo", None) or get_timezone()
        try:
            return kept(value, args, locale, zone)
        except TypeError:  # not a moment (unhashable): formatted as flask-babel would
            return date_filter(value, *args)
    return formatted


def install_page_gettext(app: Flask) -> None:
    """The templates' _() and ngettext(), as flask-babel installs them, through the kept translations; and the date
    filters, each date kept per process."""
    for name in ("dateformat", "datetimeformat", "timeformat"):
        app.jinja_env.filters[name] = _kept_per_process(app.jinja_env.filters[name])
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),  # replaced below, kept for Jinja's own set-up
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # A page calls _() a hundred times. Jinja's newstyle _() passes through three calls of its own (the alias, the
    # wrapper, the callable above); this is the same thing in one: translated, Markup where the template escapes,
    # and always formatted with its variables (so "%%" reads "%" with or without them).
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext


@pass_eval_context
def _template_gettext(eval_context, string: str, **variables) -> str:
    if not variables:  # most of a page's messages: each made once per process (_plain_message)
        return _plain_message(_page_translations(), string, eval_context.autoescape)
    text = _page_translations().ugettext(string)
    if eval_context.autoescape:
        text = Markup(text)
    return text % variables


@lru_cache(maxsize=8192)
def _plain_message(translations, string: str, autoescape: bool) -> str:
    """A message without variables as a template shows it: translated, Markup where the template escapes, and
    formatted (so "%%" reads "%"). It depends only on these three, and a calendar week shows ninety of them."""
    text = translations.ugettext(string)
    return (Markup(text) if autoescape else text) % {}


def text_direction(locale: str) -> str:
    return "rtl" if locale in RTL else "ltr"


ROLE_LABELS = {
    "household_member": _l("Household member"),
    "child": _l("Child"),
    "safety_person": _l("Safety person"),
    "network_member": _l("Network member"),
    "chair": _l("Network chair"),
    "professional": _l("Professional"),
}

ROLE_HINTS = {
    "household_member": _l("Lives in the household: a parent or carer."),
    "safety_person": _l("The special adult the child may tell everything. Is the first to be alerted."),
    "network_member": _l("Family, friend, neighbour or teacher who helps keep the child safe."),
    "chair": _l("Prepares the network meetings and keeps the plan up to date."),
    "professional": _l("Paid helper. Can only read a summary, never change anything."),
}

PHASE_LABELS = {
    "alignment": _l("Getting started"),
    "direct_safety": _l("Direct safety"),
    "risk_driven": _l("Working on the risks"),
    "recovery": _l("Recovery"),
}

PHASE_EXPLANATIONS = {
    "alignment": _l("The professionals agree who works with your household. Invite the people who will help."),
    "direct_safety": _l("Together you make a first safety plan, keep the safety log and choose a safety person for the child."),
    "risk_driven": _l("You work on the worries one by one, score the safety scales every month and meet as a network."),
    "recovery": _l("Things are safe. Help and treatment can start, and the network keeps watching."),
}
