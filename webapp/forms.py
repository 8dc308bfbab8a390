"""The base of every form in Kring: Flask-WTF's form, with WTForms' own messages ("Not a valid choice.") in the page's
language read once per language for the whole process. Flask-WTF reads them from disk again on every request that
validates a form (about 0.3 ms; the log's timeline validates its filters on every view)."""
from functools import lru_cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
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
