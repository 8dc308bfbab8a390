"""The sentence a chart over time starts with (better, worse, the same, a first round, nothing yet), the rounds it
compares, and the chart's geometry a phone needs: markers big enough to see and a last month name inside the
picture."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from webapp.safety_scales import charts, services
from webapp.safety_scales.models import ScaleScore
from webapp.safety_scales.services import Direction, Round, Trend, trend_sentence_parts

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def rounds(*medians: float) -> list[Round]:
    """One round per month from July 2026 on."""
    return [Round(date(2026, 7 + i, 1), datetime(2026, 7 + i, 15, 12), m) for i, m in enumerate(medians)]


@pytest.mark.parametrize("medians, direction", [
    ((3, 5, 7), Direction.better),
    ((6, 6.5, 7), Direction.better),  # exactly one point higher is better
    ((6, 5, 4), Direction.worse),
    ((6, 5), Direction.worse),  # exactly one point lower is worse
    ((5, 2, 5), Direction.same),  # the first round against the latest, not the way in between
    ((5, 5.5), Direction.same),  # half a point is no change yet
    ((5, 4.5), Direction.same),
])
def test_the_latest_middle_score_against_the_first_says_the_direction(medians, direction):
    trend = trend_sentence_parts(rounds(*medians))
    assert trend == Trend(direction, medians[0], date(2026, 7, 1), medians[-1])


def test_one_round_is_a_first_score():
    assert trend_sentence_parts(rounds(5)) == Trend(Direction.first, 5, date(2026, 7, 1), 5)


def test_no_rounds_no_sentence():
    assert trend_sentence_parts([]) is None


def person(index, user_id, *scores, name="Someone"):
    return services.Series(index, user_id, name, [ScaleScore(score=v, scored_at=at) for at, v in scores])


def test_a_round_is_everyones_latest_score_at_the_end_of_the_month():
    series = [
        person(0, 1, (datetime(2026, 7, 3, 10), 3), (datetime(2026, 9, 20, 10), 7)),
        person(1, 2, (datetime(2026, 7, 10, 10), 5), (datetime(2026, 7, 25, 10), 4)),  # two in July: the last counts
        person(2, 3, (datetime(2026, 8, 5, 10), 6)),
        person(3, None, (datetime(2026, 7, 4, 10), 0), name=None),  # someone who left does not count
    ]
    found = services.monthly_rounds(series, AMSTERDAM)
    assert [(r.month, r.median) for r in found] == [(date(2026, 7, 1), 3.5), (date(2026, 8, 1), 4),
                                                   (date(2026, 9, 1), 6)]
    assert found[-1].median == services.latest_round(series).median  # the newest round is the latest round
    assert found[0].at == datetime(2026, 7, 25, 10)
    later = services.monthly_rounds(series, AMSTERDAM, since=datetime(2026, 8, 1))
    assert [(r.month, r.median) for r in later] == [(date(2026, 8, 1), 4), (date(2026, 9, 1), 6)]  # July carried


def test_a_score_late_on_the_last_evening_of_a_month_counts_for_that_month_where_the_family_lives():
    series = [person(0, 1, (datetime(2026, 7, 31, 22, 30), 4))]  # 00:30 on 1 August in Amsterdam
    assert services.monthly_rounds(series, AMSTERDAM)[0].month == date(2026, 8, 1)


def test_chart_markers_are_at_least_14_px_on_a_phone():
    # the charts are drawn about 335 px wide in a card on a 390 px phone; the square is the smallest shape (2r - 1)
    assert (2 * charts.MARKER_R - 1) * 335 / charts.WIDTH >= 14
    assert (2 * charts.ROUND_MARKER_R - 1) * 335 / charts.ROUND_WIDTH >= 14


@pytest.mark.parametrize("day", [1, 2, 5, 15, 28])
def test_the_last_month_name_stays_inside_the_chart(day):
    now = datetime(2026, 12, day, 9)
    series = [person(0, 1, (datetime(2026, 7, 10, 10), 3), (datetime(2026, 12, 1, 8), 7))]
    chart = charts.history_chart(series, now, services.monthly_rounds(series, AMSTERDAM))
    last = [t for t in chart.x_ticks if t.named][-1]
    assert last.month == datetime(2026, 12, 1)
    if last.anchor == "start":
        assert last.label_x + charts.LABEL_ROOM <= chart.width
    else:
        assert last.anchor == "end" and last.label_x <= chart.width - 1
    assert len(chart.medians) == 2 and chart.medians[-1][0] == chart.lines[0].markers[-1].x



@pytest.mark.parametrize("first", [datetime(2026, 7, 1, 0, 30), datetime(2026, 6, 28), datetime(2026, 1, 2)])
def test_month_names_do_not_run_into_each_other_at_the_right_edge(first):
    series = [person(0, 1, (first, 3), (datetime(2026, 12, 1, 8), 7))]
    chart = charts.history_chart(series, datetime(2026, 12, 1, 9))
    spans = [(t.label_x, t.label_x + charts.LABEL_TYPICAL) if t.anchor == "start"
             else (t.label_x - charts.LABEL_TYPICAL, t.label_x) for t in chart.x_ticks if t.named]
    assert spans[-1][1] <= chart.width
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
