"""A danger statement's charts on the scales page (the latest round, the scores over time and the people who gave
them), and the score page's choices from 0 to 10, rendered on their own from plain values and kept per process, as
the log's and the calendar's parts are.

The charts were most of the scales page: a line and a marker for every score, the month ticks, a text alternative
naming every score and its date, each through a template macro. They are kept under exactly what they are made of:
the statement and its scale's question, every score of the scale (who, what, when, the note), the names of the people
in the household now, the hour the chart runs up to, the time zone, the page's language and the folder Kring is served
under. A new score, a renamed or departed member or the next hour makes a new key, never a stale chart.
"""
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from markupsafe import Markup

from webapp.kept_parts import page_key, render
from webapp.safety_scales import charts, services
from webapp.safety_scales.forms import ScoreForm

PARTS_KEPT = 512  # per process: some tens of kilobytes each, one per statement, hour and language


@dataclass
class ChartsOf:
    """What the chart macros (_charts.html) draw for one statement's scale."""
    question: str
    series: list[services.Series]
    latest: services.LatestRound
    history: charts.HistoryChart | None
    round: charts.RoundChart
    trend: services.Trend | None  # the sentence the chart over time starts with


def charts_of(question: str, scores: list[services.Score], members: dict[int, str], now: datetime,
              tz: ZoneInfo) -> ChartsOf:
    """The charts of a scale with these scores, for the people in the household now, running up to `now`."""
    series = services.series_per_person(scores, members)
    latest = services.latest_round(series)
    rounds = services.monthly_rounds(series, tz, since=charts.window_start(now))
    return ChartsOf(question, series, latest, charts.history_chart(series, now, rounds),
                    charts.round_chart(series, latest.median), services.trend_sentence_parts(rounds))


def statement_charts(statement_id: int, question: str, scores: list[services.Score], members: dict[int, str],
                     now: datetime, tz: ZoneInfo) -> Markup:
    """The statement's charts on the scales page, from what is kept."""
    return _statement_charts(statement_id, question, tuple(scores), tuple(members.items()), charts.chart_end(now),
                             str(tz), *page_key())


@lru_cache(maxsize=PARTS_KEPT)
def _statement_charts(statement_id: int, question: str, scores: tuple, members: tuple, now: datetime, zone: str,
                      _language: str, _folder: str) -> Markup:
    s = charts_of(question, list(scores), dict(members), now, ZoneInfo(zone))
    return render("safety_scales/_statement_charts.html", s=s, statement_id=statement_id, chart_marker=charts.marker)


def score_choices(form: ScoreForm) -> Markup:
    """The score page's eleven choices: for a form not sent yet from what is kept (they were a third of the page);
    for a sent one, with what was chosen and its error, made now."""
    if form.is_submitted():
        return render("safety_scales/_score_choices.html", form=form)
    return _new_score_choices(*page_key())


@lru_cache(maxsize=PARTS_KEPT)
def _new_score_choices(_language: str, _folder: str) -> Markup:
    return render("safety_scales/_score_choices.html", form=ScoreForm(formdata=None))
