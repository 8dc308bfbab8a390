"""The plain-language helper: jargon with a simpler suggestion, long sentences (stricter for children), long
words; and the lists that the browser uses, as JSON."""
from flask_babel import force_locale

from webapp.plain_language import LONG_WORD, Hint, check, message, sentences


def kinds(hints):
    return [(h.kind, h.text) for h in hints]


def test_dutch_jargon_is_found_with_a_simpler_suggestion(app):
    with app.test_request_context(), force_locale("en"):
        [hint] = check("De casusregie ligt bij Jeroen.", "nl")
        assert hint.kind == "jargon" and hint.text == "casusregie"
        assert hint.suggestion == "who keeps the overview of the help"  # through Babel, in the reader's language


def test_jargon_is_found_in_other_forms_and_in_any_case(app):
    with app.test_request_context():
        assert kinds(check("Er komen twee Interventies.", "nl")) == [("jargon", "Interventies")]
        assert kinds(check("We did a risk  assessment.", "en")) == [("jargon", "risk  assessment")]
        assert kinds(check("Safeguarding comes first.", "en_GB")) == [("jargon", "Safeguarding")]


def test_jargon_is_only_whole_words_in_any_of_the_languages(app):
    with app.test_request_context():
        assert check("Ik ging naar het trajectding.", "nl") == []  # more than a few letters on: another word
        assert check("Een extraject.", "nl") == []
        # A Dutch text read by someone who uses Kring in English: the Dutch word is found all the same.
        assert kinds(check("Het traject loopt.", "en")) == [("jargon", "traject")]


def test_a_sentence_is_long_for_a_child_sooner_than_for_a_grown_up(app):
    sixteen = "Oma Ria komt elke dag na school bij jou en ze blijft tot mama thuis is."
    assert len(sixteen.split()) == 16
    with app.test_request_context():
        [hint] = check(sixteen, "nl", "child")
        assert (hint.kind, hint.count, hint.text) == ("long_sentence", 16, "Oma Ria komt elke dag na")
        assert check(sixteen, "nl", "adult") == []
        assert check(sixteen + " " + sixteen, "nl", "child")[1].kind == "long_sentence"


def test_long_words_are_flagged_once_but_familiar_and_jargon_words_are_not_counted_twice(app):
    with app.test_request_context():
        text = "Ontwikkelingsgericht spelen. Ontwikkelingsgericht! De veiligheidspersoon. Een risicotaxatie."
        assert kinds(check(text, "nl")) == [("long_word", "Ontwikkelingsgericht"), ("jargon", "risicotaxatie")]
        assert check("a" * LONG_WORD, "nl") == []
        assert kinds(check("b" * (LONG_WORD + 1), "nl")) == [("long_word", "b" * (LONG_WORD + 1))]


def test_hints_come_in_the_order_of_the_text(app):
    with app.test_request_context():
        hints = check("Signalering is belangrijk. De ondertoezichtstelling loopt.", "nl")
        assert kinds(hints) == [("jargon", "Signalering"), ("jargon", "ondertoezichtstelling")]


def test_sentences_are_split_on_end_marks_and_new_lines():
    assert sentences("Mama is boos. Ze gaat weg! Komt ze terug?") == ["Mama is boos.", "Ze gaat weg!", "Komt ze terug?"]
    assert sentences("Oma\nBeer") == ["Oma", "Beer"]
    assert sentences("  ") == [] and sentences("...") == []


def test_messages_say_what_to_do(app):
    with app.test_request_context(), force_locale("en"):
        assert message(Hint("jargon", "casusregie", suggestion="who helps")) == \
            "“casusregie” is a word for professionals. Try: “who helps”."
        assert "at most 15 words" in message(Hint("long_sentence", "Oma Ria komt", count=16), "child")
        assert "(13 letters)" in message(Hint("long_word", "x" * 13, count=13))


def test_lists_are_public_cacheable_json_per_language(client):
    response = client.get("/plain-language/nl.json")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    data = response.get_json()
    assert data["sentenceWords"] == {"young_child": 8, "child": 15, "adult": 20, "daily": 12} and data["longWord"] == LONG_WORD
    words = [w for group in data["jargon"] for w in group["words"]]
    assert {"casusregie", "veiligheidsplanning", "risicotaxatie", "jeugdbeschermingsmaatregel",
            "ondertoezichtstelling", "multidisciplinair", "interventie", "signalering"} <= set(words)
    assert "%(word)s" in data["messages"]["jargon"]
    english = client.get("/plain-language/en.json").get_json()
    assert {"case management", "risk assessment", "safeguarding", "intervention", "multidisciplinary"} <= {
        w for group in english["jargon"] for w in group["words"]}
    assert client.get("/plain-language/xx.json").status_code == 404
