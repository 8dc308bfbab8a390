"""One date style everywhere: whatever size a template asks for, a date reads "4 december 2026" (with the weekday
for "full"), a moment "4 december 2026, 21:55"; never a numeric date that reads differently per country."""
from datetime import date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale


@pytest.mark.parametrize("locale, day, moment, full", [
    ("nl", "4 december 2026", "4 december 2026, 21:55", "vrijdag 4 december 2026"),
    ("en", "4 December 2026", "4 December 2026, 21:55", "Friday 4 December 2026"),
])
def test_every_size_of_date_reads_the_same_way(app, locale, day, moment, full):
    with app.test_request_context(), force_locale(locale):
        for size in ("short", "medium", "long"):
            assert render_template_string("{{ d|dateformat(size) }}", d=date(2026, 12, 4), size=size) == day
            # Times are shown in the household's zone (Europe/Amsterdam): 20:55 UTC is 21:55 there.
            assert render_template_string("{{ m|datetimeformat(size) }}", m=datetime(2026, 12, 4, 20, 55),
                                          size=size) == moment
        assert render_template_string("{{ d|dateformat('full') }}", d=date(2026, 12, 4)) == full
        assert render_template_string("{{ d|dateformat }}", d=date(2026, 12, 4)) == day


def test_no_template_or_module_asks_for_a_shortened_month():
    """'d MMM' gives "20 nov": the same day must not read "20 november 2026" on one page and "20 nov" on the next.
    (A month alone, shortened, names a chart's axis tick: that is not a date.)"""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "webapp"
    short = re.compile(r"d MMM(?!M)")
    found = [f"{path.relative_to(root)}:{n}" for path in [*root.rglob("*.html"), *root.rglob("*.py")]
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if short.search(line)]
    assert found == []


def test_a_date_formatted_for_one_language_is_never_shown_in_another(app):
    """Formatted dates are kept between pages (webapp.i18n): a Dutch page's date must not turn up on an English
    page, in the next request or after force_locale (an e-mail in the recipient's language) in the same one."""
    page = "{{ d|dateformat('EEEE d MMMM') }} {{ m|datetimeformat('EEEE HH:mm') }}"
    values = {"d": date(2026, 12, 4), "m": datetime(2026, 12, 4, 20, 55)}
    for locale, expected in [("nl", "vrijdag 4 december vrijdag 21:55"), ("en", "Friday 4 December Friday 21:55"),
                             ("nl", "vrijdag 4 december vrijdag 21:55")]:
        with app.app_context(), app.test_request_context(headers={"Accept-Language": locale}):  # a request's own g
            assert render_template_string(page, **values) == expected
            with force_locale("en" if locale == "nl" else "nl"):
                assert render_template_string(page, **values) != expected
            assert render_template_string(page, **values) == expected
