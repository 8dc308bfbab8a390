"""The scales pages through the client: writing statements (and a fifth refused, text kept), scoring (bad input
explained, text kept), charts without JavaScript, the phase page and moves, the home's phase progress, and who may
do what."""
import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.households.models import Phase
from webapp.safety_scales import services
from webapp.safety_scales.models import DangerStatement, PhaseMove, ScaleScore

FORM = {"who_is_worried": "The school", "what_adults_do": "Shouting at bedtime", "worst_case": "Mila gets hurt",
        "goal": "Calm bedtimes with a story", "scale_name": "Calm bedtimes"}

AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # the households' time zone (KRING_TIMEZONE's default)


def statement(family, n=1, who="chair"):
    return services.add_statement(db.session, family.household, family.users[who], services.StatementInput(
        f"School {n}", f"Shouting {n}", f"Hurt {n}", f"Calm {n}", f"Scale {n}"), utcnow())


def score(family, st, who, value, days_ago=0, note="Saw a calm evening"):
    return services.add_score(db.session, st.scale, family.users[who], value, note, utcnow() - timedelta(days=days_ago))


def base(family):
    return f"/h/{family.household.id}"


def test_chair_writes_a_statement_with_its_goal_and_scale(client, family):
    sign_in_as(client, family.users["chair"])
    page = client.get(f"{base(family)}/scales/new")
    assert page.status_code == 200
    assert len(re.findall(r"<textarea[^>]*data-plain-language", page.text)) == 4
    response = client.post(f"{base(family)}/scales/new", data=FORM)
    assert response.status_code == 302 and "#statement-" in response.headers["Location"]
    saved = db.session.scalar(select(DangerStatement))
    assert (saved.goal.text, saved.scale.question, saved.priority) == ("Calm bedtimes with a story", "Calm bedtimes", 1)
    overview = client.get(f"{base(family)}/scales")
    assert "Calm bedtimes with a story" in overview.text and "Shouting at bedtime" in overview.text


def test_missing_part_is_explained_and_what_was_typed_stays(client, family):
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"{base(family)}/scales/new", data={**FORM, "worst_case": "  "})
    assert response.status_code == 422
    assert "error-summary" in response.text and "Write what could happen to the child if nothing changes." in response.text
    assert "Shouting at bedtime" in response.text and 'value="Calm bedtimes"' in response.text
    assert db.session.scalar(select(func.count()).select_from(DangerStatement)) == 0


def test_a_fifth_statement_gets_a_clear_message_and_keeps_the_text(client, family):
    for n in range(4):
        statement(family, n)
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    assert "archive one first" in client.get(f"{base(family)}/scales/new").text
    response = client.post(f"{base(family)}/scales/new", data=FORM)
    assert response.status_code == 422
    assert "There are already 4 danger statements" in response.text and 'role="alert"' in response.text
    assert "Shouting at bedtime" in response.text and "Calm bedtimes with a story" in response.text
    assert db.session.scalar(select(func.count()).select_from(DangerStatement)) == 4
    overview = client.get(f"{base(family)}/scales")
    assert "Write a danger statement" not in overview.text and "the most there can be" in overview.text


def test_edit_archive_restore_and_reorder(client, family):
    first, second = statement(family, 1), statement(family, 2)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    edit = client.get(f"{base(family)}/scales/statements/{first.id}/edit")
    assert "Shouting 1" in edit.text
    client.post(f"{base(family)}/scales/statements/{first.id}/edit", data={**FORM, "scale_name": "Renamed"})
    assert db.session.get(DangerStatement, first.id).scale.question == "Renamed"
    client.post(f"{base(family)}/scales/statements/{second.id}/move", data={"direction": "up"})
    assert [s.id for s in services.active_statements(db.session, family.household.id)] == [second.id, first.id]
    assert client.post(f"{base(family)}/scales/statements/{second.id}/move", data={"direction": "sideways"}).status_code == 400
    client.post(f"{base(family)}/scales/statements/{first.id}/archive")
    overview = client.get(f"{base(family)}/scales")
    assert "Archived danger statements" in overview.text and "Renamed" in overview.text
    assert client.get(f"{base(family)}/scales/statements/{first.id}/edit").status_code == 404  # archived: read only
    assert client.get(f"{base(family)}/scales/{first.scale.id}").status_code == 200
    client.post(f"{base(family)}/scales/statements/{first.id}/restore")
    assert db.session.get(DangerStatement, first.id).active


def test_every_button_on_the_scales_page_names_its_scale_for_a_screen_reader(client, family):
    """Each button and link on a statement says which scale it is about (hidden text after the visible word), for
    the active statements and the archived ones alike; an empty name would leave "Archive" five times over."""
    active, other, archived = statement(family, 1), statement(family, 2), statement(family, 3)
    services.archive_statement(db.session, archived, utcnow())
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    page = client.get(f"{base(family)}/scales").text
    named = re.findall(r'<span class="visually-hidden">: ([^<]*)</span>', page)
    assert set(named) == {"Scale 1", "Scale 2", "Scale 3"}
    assert named.count("Scale 3") == 1  # archived: "Make active again"
    assert f'/scales/{archived.scale.id}">Scale 3</a>' in page


def test_member_scores_and_goes_on_to_the_next_scale(client, family):
    first, second = statement(family, 1), statement(family, 2)
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"{base(family)}/scales/{first.scale.id}/score")
    assert page.text.count('class="score-choice__input"') == 11
    assert "data-plain-language" in page.text and "Calm 1" in page.text and "Hurt 1" in page.text
    response = client.post(f"{base(family)}/scales/{first.scale.id}/score",
                           data={"score": "6", "behaviour": "She called Grandma when angry"})
    assert response.headers["Location"].endswith(f"/scales/{second.scale.id}/score")
    response = client.post(f"{base(family)}/scales/{second.scale.id}/score", data={"score": "4", "behaviour": "Shouting"})
    assert response.headers["Location"].endswith(f"#statement-{second.id}")
    rows = db.session.scalars(select(ScaleScore).order_by(ScaleScore.id)).all()
    assert [(r.score, r.user_id) for r in rows] == [(6, family.users["network_member"].id)] * 1 + [(4, family.users["network_member"].id)]
    overview = client.get(f"{base(family)}/scales")
    assert "You scored 6" in overview.text and "You scored 4" in overview.text
    again = client.get(f"{base(family)}/scales/{first.scale.id}/score")
    assert "Your last score was 6" in again.text


@pytest.mark.parametrize("value", ["11", "-1", "seven", ""])
def test_a_score_outside_0_to_10_is_explained_and_the_note_stays(client, family, value):
    st = statement(family)
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    response = client.post(f"{base(family)}/scales/{st.scale.id}/score", data={"score": value, "behaviour": "Calm dinner"})
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in response.text and 'href="#score-0"' in response.text
    assert "Calm dinner" in response.text
    assert db.session.scalar(select(func.count()).select_from(ScaleScore)) == 0


def test_a_missing_note_is_explained_and_the_number_stays_chosen(client, family):
    st = statement(family)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    response = client.post(f"{base(family)}/scales/{st.scale.id}/score", data={"score": "7", "behaviour": " "})
    assert response.status_code == 422 and "Write what you saw that makes it this number." in response.text
    assert re.search(r'<input[^>]*checked[^>]*value="7"|<input[^>]*value="7"[^>]*checked', response.text)


def test_the_kept_choices_of_a_new_score_show_nothing_chosen_in_the_readers_language(client, family):
    """A score page not sent yet draws its eleven choices from what is kept (safety_scales/parts.py): never the
    choice or error of a page sent back before it, and in each reader's language."""
    st = statement(family)
    parent = family.users["household_member"]
    parent.locale = "nl"
    db.session.commit()
    url = f"{base(family)}/scales/{st.scale.id}/score"
    chosen = re.compile(r'<input[^>]*checked[^>]*name="score"|<input[^>]*name="score"[^>]*checked')
    sign_in_as(client, family.users["safety_person"])  # English
    first = client.get(url).text
    assert len(re.findall(r'name="score"', first)) == 11 and not chosen.search(first)
    refused = client.post(url, data={"score": "7", "behaviour": " "}).text
    assert chosen.search(refused) and "Write what you saw that makes it this number." in refused
    again = client.get(url).text
    assert not chosen.search(again) and "Write what you saw" not in again and "from 0 to 10" in again
    sign_in_as(client, parent)
    dutch = client.get(url).text
    assert not chosen.search(dutch) and "from 0 to 10" not in dutch and "van 0 tot 10" in dutch


def test_an_archived_scale_cannot_be_scored(client, family):
    st = statement(family)
    services.archive_statement(db.session, st, utcnow())
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    response = client.post(f"{base(family)}/scales/{st.scale.id}/score", data={"score": "7", "behaviour": "Calm"})
    assert response.status_code == 302 and db.session.scalar(select(func.count()).select_from(ScaleScore)) == 0


def test_charts_are_svg_with_a_text_alternative_and_every_note_on_the_scale_page(client, family):
    st = statement(family)
    for days, who, value in [(70, "chair", 3), (40, "chair", 5), (10, "chair", 7), (35, "safety_person", 4),
                             (5, "safety_person", 6), (8, "household_member", 5)]:
        score(family, st, who, value, days, note=f"{who} saw {value}")
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    overview = client.get(f"{base(family)}/scales")
    assert overview.status_code == 200
    assert overview.text.count('<polyline class="chart__line') == 2  # two people with more than one score
    assert overview.text.count('<polyline class="chart__median') == 1  # and the middle score of each month
    assert 'role="img"' in overview.text and "Aunt Chris: 3" in overview.text
    assert "Lowest: 5" in overview.text and "Middle: 6" in overview.text
    assert "Score now" in overview.text and "Write a danger statement" not in overview.text  # scores, not edits
    page = client.get(f"{base(family)}/scales/{st.scale.id}")
    for who, value in [("chair", 3), ("safety_person", 6), ("household_member", 5)]:
        assert f"{who} saw {value}" in page.text


def test_phase_page_explains_the_criterion_and_the_chair_moves_on(client, family):
    family.household.phase = Phase.direct_safety
    st = statement(family)
    score(family, st, "chair", 7)
    score(family, st, "network_member", 5)
    db.session.commit()
    sign_in_as(client, family.users["network_member"])
    page = client.get(f"{base(family)}/phase")
    assert "Next step: when everyone gives a 6 or higher. Neighbour Ned gave a 5 now." in " ".join(page.text.split())
    assert "Neighbour Ned: 5" in page.text and "Move the household" not in page.text
    assert client.post(f"{base(family)}/phase/move", data={"to_phase": "risk_driven"}).status_code == 403
    sign_in_as(client, family.users["chair"])
    page = client.get(f"{base(family)}/phase")
    assert "Move the household" in page.text and "The scores do not show this yet" in page.text
    assert re.search(r'value="risk_driven"[^>]*checked|checked[^>]*value="risk_driven"', page.text)
    bad = client.post(f"{base(family)}/phase/move", data={"to_phase": "direct_safety", "note": "Kept note"})
    assert bad.status_code == 422 and "Kept note" in bad.text
    response = client.post(f"{base(family)}/phase/move", data={"to_phase": "risk_driven", "note": "Meeting of 3 March"})
    assert response.status_code == 302
    assert family.household.phase == Phase.risk_driven
    move = db.session.scalar(select(PhaseMove))
    assert (move.from_phase, move.to_phase, move.note) == (Phase.direct_safety, Phase.risk_driven, "Meeting of 3 March")
    history = client.get(f"{base(family)}/phase")
    assert "Meeting of 3 March" in history.text and "Aunt Chris" in history.text


def test_home_shows_the_phase_progress_in_plain_words(client, family):
    family.household.phase = Phase.risk_driven
    st = statement(family)
    # Four whole months before this one, as the household counts months (its own time zone: on New Year's night
    # the UTC month is still December); this month not scored yet.
    this_month = datetime.now(AMSTERDAM).date().replace(day=1)
    for back in range(1, 5):
        month = datetime.combine(services.months_before(this_month, back).replace(day=15), time(12), tzinfo=AMSTERDAM)
        services.add_score(db.session, st.scale, family.users["chair"], 7, "Calm",
                           month.astimezone(timezone.utc).replace(tzinfo=None))
    db.session.commit()
    sign_in_as(client, family.users["safety_person"])
    home = client.get(base(family))
    assert "4 of the 6 months done" in home.text
    assert "This month, not every scale has a score yet." in home.text
    assert f'href="{base(family)}/phase"' in home.text


def test_a_professional_sees_the_phase_progress_in_the_summary_without_links_to_pages_they_cannot_open(client, family):
    family.household.phase = Phase.direct_safety
    score(family, statement(family), "chair", 7)
    db.session.commit()
    sign_in_as(client, family.users["professional"])
    home = client.get(base(family))
    assert home.status_code == 302 and home.headers["Location"].endswith("/summary")
    summary = client.get(home.headers["Location"])
    assert "Direct safety" in summary.text and "Done:" in summary.text
    assert "/scales" not in summary.text
    sign_in_as(client, family.users["chair"])
    assert "Done: everyone’s latest score on every scale is 6 or higher." in client.get(base(family)).text


WRITES = [("POST", "/scales/new"), ("POST", "/scales/statements/{st}/edit"), ("POST", "/scales/statements/{st}/archive"),
          ("POST", "/scales/statements/{st}/restore"), ("POST", "/scales/statements/{st}/move"),
          ("POST", "/scales/{sc}/score"), ("POST", "/phase/move")]
READS = [("GET", "/scales"), ("GET", "/scales/{sc}"), ("GET", "/phase")]
EDIT_PAGES = [("GET", "/scales/new"), ("GET", "/scales/statements/{st}/edit"), ("GET", "/scales/{sc}/score")]


def _open(client, family, method, path, st):
    url = base(family) + path.format(st=st.id, sc=st.scale.id)
    return client.open(url, method=method, data={"direction": "up", "score": "5", "behaviour": "x", **FORM})


@pytest.mark.parametrize("method,path", WRITES + READS + EDIT_PAGES)
def test_member_of_another_household_gets_404(client, family, method, path):
    st = statement(family)
    db.session.commit()
    sign_in_as(client, family.users["outsider"])
    assert _open(client, family, method, path, st).status_code == 404


@pytest.mark.parametrize("method,path", WRITES + READS + EDIT_PAGES)
def test_professional_gets_403_they_see_their_own_summary_instead(client, family, method, path):
    st = statement(family)
    db.session.commit()
    sign_in_as(client, family.users["professional"])
    assert _open(client, family, method, path, st).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ScaleScore)) == 0


def test_statement_of_another_household_is_not_found_through_mine(client, family):
    theirs = services.add_statement(db.session, family.other_household, family.users["outsider"],
                                    services.StatementInput("a", "b", "c", "d", "e"), utcnow())
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    assert client.get(f"{base(family)}/scales/{theirs.scale.id}").status_code == 404
    assert client.get(f"{base(family)}/scales/{theirs.scale.id}/score").status_code == 404
    assert client.post(f"{base(family)}/scales/statements/{theirs.id}/archive").status_code == 404
    assert db.session.get(DangerStatement, theirs.id).active


# --- the trend sentence and the chart on a phone ---------------------------------------------------------------

FROZEN_NOW = datetime(2026, 12, 1, 9)  # early on the 1st: the last month's tick is at the chart's right edge
MONTH_LABEL = re.compile(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(start|end)" class="chart__label chart__month">'
                         r'([^<]+)</text>')
FONT = 14  # .chart__label's font size, in the chart's units


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr("webapp.safety_scales.views.utcnow", lambda: FROZEN_NOW)


def scores_over_months(family, rows):
    st = statement(family)
    for at, who, value in rows:
        services.add_score(db.session, st.scale, family.users[who], value, f"{who} saw {value}", at)
    db.session.commit()
    return st


def trend_text(page):
    found = re.search(r'<p class="chart-trend"[^>]*>([^<]*)</p>', page.text)
    return found and " ".join(found.group(1).split())


RISING = [(datetime(2026, 7, 10, 10), "chair", 3), (datetime(2026, 7, 12, 10), "safety_person", 2),
          (datetime(2026, 7, 14, 10), "household_member", 4), (datetime(2026, 11, 20, 10), "chair", 7),
          (datetime(2026, 11, 21, 10), "safety_person", 8), (datetime(2026, 12, 1, 8), "household_member", 6)]


@pytest.mark.parametrize("locale, sentence", [("en", "Going better: from 3 in July to 7 now."),
                                              ("nl", "Het gaat beter: van 3 in juli naar 7 nu.")])
def test_the_chart_starts_with_the_trend_on_the_overview_and_the_scale_page(client, family, frozen, locale, sentence):
    st = scores_over_months(family, RISING)
    reader = family.users["network_member"]
    reader.locale = locale
    db.session.commit()
    sign_in_as(client, reader)
    overview = client.get(f"{base(family)}/scales")
    assert trend_text(overview) == sentence
    assert overview.text.index(sentence) < overview.text.index('class="chart score-chart"')  # before the chart
    page = client.get(f"{base(family)}/scales/{st.scale.id}")
    assert trend_text(page) == sentence
    assert "Middle score" in page.text or "Middelste cijfer" in page.text  # the thick line is in the legend


@pytest.mark.parametrize("rows, sentence", [
    ([(datetime(2026, 9, 3, 10), "chair", 6), (datetime(2026, 11, 28, 10), "chair", 4)],
     "Het gaat slechter: van 6 in september naar 4 nu."),
    ([(datetime(2026, 10, 3, 10), "chair", 5), (datetime(2026, 10, 4, 10), "safety_person", 6),
      (datetime(2026, 11, 28, 10), "safety_person", 5)],
     "Het blijft gelijk: 5,5 in oktober en 5 nu."),
    ([(datetime(2026, 11, 3, 10), "chair", 5)], "Eerste keer gescoord: 5."),
])
def test_worse_the_same_and_a_first_score_in_dutch(client, family, frozen, rows, sentence):
    scores_over_months(family, rows)
    family.users["chair"].locale = "nl"
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    assert trend_text(client.get(f"{base(family)}/scales")) == sentence


def test_no_scores_no_trend_and_no_chart(client, family, frozen):
    statement(family)
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    overview = client.get(f"{base(family)}/scales")
    assert trend_text(overview) is None and "No scores yet." in overview.text and "<polyline" not in overview.text


@pytest.mark.parametrize("locale", ["en", "nl", "ar"])
def test_the_last_month_name_is_inside_the_chart(client, family, frozen, locale):
    st = scores_over_months(family, RISING)
    family.users["chair"].locale = locale
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    page = client.get(f"{base(family)}/scales/{st.scale.id}")
    width = float(re.search(r'<svg viewBox="0 0 ([\d.]+) [\d.]+" role="img"', page.text).group(1))
    labels = MONTH_LABEL.findall(page.text)
    x, anchor, name = labels[-1]
    estimated = len(name) * 0.6 * FONT  # an average letter is about 0.6 of the font size wide
    start, end = (float(x), float(x) + estimated) if anchor == "start" else (float(x) - estimated, float(x))
    assert 0 <= start and end <= width, (name, anchor, x)
    chart = page.text[page.text.index('role="img"'):]
    chart = chart[:chart.index("</svg>")]
    radii = [float(r) for r in re.findall(r'<circle class="chart__marker[^"]*" cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"',
                                          chart)]
    assert radii and min(radii) * 2 * 335 / width >= 14  # 14 px and more in a card on a 390 px phone


def test_the_chart_reads_as_a_scale_from_0_to_10_with_each_line_through_its_own_markers(client, family, frozen):
    """The grid's numbers sit on their lines, 0 at the bottom and 10 at the top, the shaded goal zone ends at the line
    at 6, and every person's line runs through that person's markers (as the chart's text says their scores)."""
    st = scores_over_months(family, RISING + [(datetime(2026, 9, 5, 10), "chair", 5)])
    sign_in_as(client, family.users["chair"])
    page = client.get(f"{base(family)}/scales/{st.scale.id}").text
    chart = page[page.index('role="img"'):]
    chart = chart[:chart.index("</svg>")]
    grid = {int(v): float(y) for y, v in re.findall(
        r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="\1" class="chart__grid"/>\s*'
        r'<text x="[\d.]+" y="[\d.]+" text-anchor="end" class="chart__label">(\d+)</text>', chart)}
    assert sorted(grid) == [0, 2, 4, 6, 8, 10]
    steps = [grid[v] - grid[v + 2] for v in range(0, 10, 2)]
    assert all(abs(step - steps[0]) < 0.2 for step in steps) and steps[0] > 20  # evenly spaced, 0 lowest
    for value, y in grid.items():
        found = re.search(rf'y="([\d.]+)" text-anchor="end" class="chart__label">{value}<', chart)
        assert found, (value, chart[:1500])
        label_y = float(found.group(1))
        assert abs(label_y - 5 - y) < 0.2  # the number beside its line
    threshold = float(re.search(r'y1="([\d.]+)" y2="\1" class="chart__threshold"', chart).group(1))
    zone = re.search(r'class="chart__goal-zone" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', chart)
    assert abs(threshold - grid[6]) < 0.2 and abs(float(zone.group(1)) + float(zone.group(2)) - threshold) < 0.2
    assert abs(float(zone.group(1)) - grid[10]) < 0.2

    def score_at(y):  # read a height back as a score on the grid
        return (grid[0] - y) / (grid[0] - grid[10]) * 10

    lines = re.findall(r'<polyline class="chart__line series--(\d)" points="([^"]+)"/>', chart)
    scores = {}
    for index, points in lines:
        points = [tuple(float(v) for v in p.split(",")) for p in points.split()]
        markers = re.findall(rf'<(?:circle|rect|path) class="chart__marker series--{index}[ "]', chart)
        assert len(markers) == len(points)
        if index == "0":  # circles: their centres are the line's corners
            centres = re.findall(r'<circle class="chart__marker series--0" cx="([\d.]+)" cy="([\d.]+)"', chart)
            assert [float(v) for c in centres for v in c] == pytest.approx([v for p in points for v in p], abs=0.11)
        scores[index] = [round(score_at(y)) for _, y in points]
    assert sorted(scores.values()) == [[2, 8], [3, 5, 7], [4, 6]]  # each person's scores, oldest first
    assert chart.index("chart__line") < chart.index("chart__marker")  # markers are drawn over the lines


def test_each_marker_is_drawn_where_its_score_is_and_shapes_and_fills_tell_twelve_people_apart():
    """charts.marker draws the six shapes, solid and then hollow: whatever the shape, it is centred on the score's
    point and about 2r across, so a marker never seems to sit at another score."""
    from webapp.safety_scales.charts import marker
    x, y, r = 120.37, 64.81, 9
    seen = set()
    for index in range(12):
        svg = str(marker(index, x, y, r))
        element, cls = re.match(r'<(circle|rect|path) class="([^"]+)"', svg).groups()
        seen.add((element, cls.replace(" chart__marker--cross", "")))
        assert ("chart__marker--hollow" in cls) is (index >= 6) and f"series--{index % 6}" in cls
        if element == "circle":
            cx, cy, radius = (float(v) for v in re.search(r'cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg).groups())
            box = (cx - radius, cy - radius, cx + radius, cy + radius)
        else:
            numbers = [float(v) for v in re.findall(r"[\d.]+", svg.split('class="')[1].split('"', 1)[1])]
            if element == "rect":
                left, top, width, height = numbers
                box = (left, top, left + width, top + height)
            else:
                xs, ys = numbers[0::2], numbers[1::2]
                box = (min(xs), min(ys), max(xs), max(ys))
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        assert abs(centre[0] - x) < 1 and abs(centre[1] - y) < 1, (index, svg)
        assert 2 * r - 2 <= box[2] - box[0] <= 2 * r + 2 and 2 * r - 2 <= box[3] - box[1] <= 2 * r + 2, (index, svg)
    assert len(seen) == 12


def _charts_of(page) -> str:
    return page.text[page.text.index('<section class="card statement"'):page.text.index('<p class="my-score">')]


def test_the_charts_kept_per_process_show_a_new_score_a_renamed_or_departed_member_and_a_new_month(
        client, family, monkeypatch):
    """The scales page keeps each statement's charts for what they show (safety_scales/parts.py): every change to
    what they are made of shows on the next page, and only the hour the chart runs up to is rounded."""
    from webapp.households.models import Membership
    from webapp.households.services import remove_member
    clock = [datetime(2026, 11, 30, 22, 30)]
    monkeypatch.setattr("webapp.safety_scales.views.utcnow", lambda: clock[0])
    st = scores_over_months(family, [(at, who, value) for at, who, value in RISING if at.month < 12])
    reader = family.users["chair"]
    reader.locale = "en"
    db.session.commit()
    sign_in_as(client, reader)
    url = f"{base(family)}/scales"
    first = _charts_of(client.get(url))
    assert first == _charts_of(client.get(url))  # the same, from what is kept

    services.add_score(db.session, st.scale, family.users["network_member"], 9, "Calm all week",
                       datetime(2026, 11, 30, 20))
    db.session.commit()
    scored = _charts_of(client.get(url))
    assert scored != first and "9 (30 November)" in scored
    assert f"{family.users['network_member'].display_name}: 9" in scored

    safety_person = family.users["safety_person"]
    safety_person.display_name = "Gwen Renamed"
    db.session.commit()
    assert "Gwen Renamed" in _charts_of(client.get(url))

    remove_member(db.session, db.session.scalar(select(Membership).filter_by(
        household_id=family.household.id, user_id=family.users["household_member"].id)))
    db.session.commit()
    departed = _charts_of(client.get(url))
    assert family.users["household_member"].display_name not in departed and "Former member" in departed

    # Past midnight, the 1st of December: the chart over time runs into the new month.
    ticks = len(re.findall(r'class="chart__axis"/>', departed))
    clock[0] = datetime(2026, 12, 1, 0, 30)
    assert len(re.findall(r'class="chart__axis"/>', _charts_of(client.get(url)))) > ticks
