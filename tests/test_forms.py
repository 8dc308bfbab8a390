"""Every form's WTForms messages ("Not a valid choice.") are in the page's language, read once per language."""
import pytest
from babel import support
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from tests.conftest import sign_in_as
from webapp import forms
from webapp.forms import KringForm


class PickForm(KringForm):
    class Meta:
        csrf = False

    pick = SelectField(choices=[("a", "A")])


@pytest.mark.parametrize("locale, message", [
    ("nl", "Ongeldige keuze."),
    ("en", "Not a valid choice."),
    ("ar", "اختيار غير صحيح."),
])
def test_a_choice_that_is_not_offered_is_refused_in_the_pages_language(app, locale, message):
    with app.test_request_context(), force_locale(locale):
        form = PickForm(MultiDict({"pick": "b"}))
        assert not form.validate()
        assert form.pick.errors == [message]


def test_wtforms_messages_are_read_from_disk_once_per_language_not_on_every_page(client, family, monkeypatch):
    """The log's timeline validates its filters on every view: Flask-WTF read WTForms' catalog each time."""
    reads = []
    load = support.Translations.load.__func__

    def counted(cls, dirname=None, locales=None, domain=None):
        if domain == "wtforms":
            reads.append(tuple(map(str, locales)))
        return load(cls, dirname, locales, domain)
    monkeypatch.setattr(support.Translations, "load", classmethod(counted))
    forms._wtforms_translations.cache_clear()
    sign_in_as(client, family.users["household_member"])
    for _ in range(3):
        assert client.get(f"/h/{family.household.id}/log/?kind=went_well",
                          headers={"Accept-Language": "nl"}).status_code == 200
    assert len(reads) == 1, reads


def test_every_form_is_a_kring_form():
    """A form made straight from Flask-WTF's class would read WTForms' catalog from disk on every request again."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "webapp"
    direct = [str(path.relative_to(root)) for path in root.rglob("*.py")
              if path.name != "forms.py" or path.parent != root
              if "FlaskForm" in path.read_text(encoding="utf-8")]
    assert direct == []


def test_every_drop_down_list_is_krings_own():
    """One drop-down list everywhere: webapp.forms.SelectField, which writes WTForms' HTML without its formatting
    cost. A form that imports WTForms' own would be the one page that differs."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "webapp"
    direct = [str(path.relative_to(root)) for path in root.rglob("*.py") if path != root / "forms.py"
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.ImportFrom) and node.module == "wtforms"
              and any(alias.name == "SelectField" for alias in node.names)]
    assert direct == []


def test_the_quick_drop_down_list_writes_the_same_html_as_wtforms_own(app):
    """webapp.forms.SelectField writes its options itself (the log's filters, on every view of the timeline); the page
    must not change by a byte: what is chosen, values and labels that need escaping, true/false values, an empty
    choice, and an option with attributes of its own (which goes the library's way)."""
    import wtforms
    from markupsafe import Markup

    choices = [("", "All kinds"), ("went_well", "Went well"), ('a"b<c>&d', 'Tom & "Jerry" <b>'), (True, "Yes"),
               ("7", Markup("<em>seven</em>")), ("x", "")]

    def form_with(field_class):
        class Form(KringForm):
            class Meta:
                csrf = False

            pick = field_class("Pick", choices=choices, validate_choice=False)
            kinds = field_class("Kinds", choices=[("a", "A", {"data-note": "n"}), ("b", "B")])
        return Form

    with app.test_request_context("/"):
        for data in ({}, {"pick": "went_well", "kinds": "b"}, {"pick": 'a"b<c>&d'}, {"pick": "True"}, {"pick": "x"}):
            ours = form_with(forms.SelectField)(MultiDict(data))
            theirs = form_with(wtforms.SelectField)(MultiDict(data))
            assert str(ours.pick(class_="input")) == str(theirs.pick(class_="input")), data
            assert str(ours.kinds()) == str(theirs.kinds()), data
        chosen = str(form_with(forms.SelectField)(MultiDict({"pick": "went_well"})).pick())
    assert '<option selected value="went_well">Went well</option>' in chosen
    assert '<option value="a&#34;b&lt;c&gt;&amp;d">Tom &amp; &#34;Jerry&#34; &lt;b&gt;</option>' in chosen
