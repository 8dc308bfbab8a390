"""Which language a page is in: the person's setting, then their choice on this device, then the browser's."""
from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

RTL = {"ar"}
# Each language named in itself, so a person who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "ar": "العربية"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


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
