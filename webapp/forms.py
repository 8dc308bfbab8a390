"""The base of every form in Kring, and a quicker drop-down list. The form is Flask-WTF's, with WTForms' own messages
("Not a valid choice.") in the page's language read once per language for the whole process. Flask-WTF reads them
from disk again on every request that validates a form (about 0.3 ms; the log's timeline validates its filters on
every view)."""
from functools import lru_cache

import wtforms
from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.i18n import messages_path


@lru_cache(maxsize=16)
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class KringForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            locale = get_locale()  # None outside a request
            if locale is None or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_translations(str(locale))


class QuickSelect(widgets.Select):
    """WTForms' select, each plain option written at once. WTForms writes an option's attributes through
    `Markup.format`, which parses its pattern again for every attribute: the log's filters (three lists on every
    view of the timeline, the page opened most) spent about a millisecond on it. The same HTML, byte for byte; an
    option with attributes of its own goes the library's way."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')


class SelectField(wtforms.SelectField):
    """A drop-down list, drawn by QuickSelect."""
    widget = QuickSelect()
