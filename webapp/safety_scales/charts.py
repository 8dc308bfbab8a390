"""The geometry of a scale's charts, for server-rendered SVG: each person's scores over time, and the latest round
on the 0-10 line. Templates only draw what is computed here, so the charts need no JavaScript and print as they are.

People are told apart by the marker's shape and the line's dash as well as by its colour, and every chart has a
text alternative in its template.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from markupsafe import Markup

from webapp.safety_scales.services import MAX_SCORE, Round, Series

SHAPES = 6  # circle, square, triangle, diamond, cross, triangle down: see _charts.html
# Width in SVG units close to a phone's CSS width, so that the text in the chart is about the page's size.
WIDTH, HEIGHT = 360, 230
LEFT, RIGHT, TOP, BOTTOM = 30, 14, 12, 30
MAX_MONTHS = 12  # older scores are in the table, not in the chart
MARKER_R = 9  # the smallest shape (the square) is 17 units across: at least 14 px on a 390 px phone
# Room a month's short name needs at the chart's font size (14 units): about six letters. A name that would not fit
# after the last tick is drawn ending at the right edge instead, so that it is never cut off.
LABEL_ROOM = 52
LABEL_TYPICAL = 40  # a name of five letters, or an Arabic one: two names closer than this would touch


@dataclass
class Marker:
    x: float
    y: float
    score: int
    at: datetime


@dataclass
class Line:
    index: int  # the person's series index: shape and dash
    name: str | None
    markers: list[Marker]

    @property
    def points(self) -> str:
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.markers)


@dataclass
class MonthTick:
    x: float
    month: datetime  # its start
    named: bool  # whether to write its name (every other month when there are many)
    label_x: float
    anchor: str  # the label's text-anchor: "start" after the tick, or "end" against the right edge


@dataclass
class HistoryChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: list[Line]
    x_ticks: list[MonthTick]
    threshold: int  # the score from which the goal zone starts (6)
    start: datetime
    end: datetime
    medians: list[tuple[float, float]]  # x, y of each round's middle score, oldest first
    marker_r: int = MARKER_R

    @property
    def median_points(self) -> str:
        """The middle scores' line; a single round is drawn as a short level stroke so that it shows."""
        points = self.medians if len(self.medians) != 1 else [(x + d, y) for x, y in self.medians for d in (-9, 9)]
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)

    @property
    def frame_svg(self) -> Markup:
        """The goal zone, the score grid with its numbers and the line at the threshold: the same for every chart."""
        return _frame_svg(self.threshold)

    @property
    def lines_svg(self) -> Markup:
        """Each person's line (from two scores on), the middle scores' line, then every marker on top. Only numbers
        and class names: written here in one piece rather than by the template, a chart holds dozens of markers."""
        parts = [f'<polyline class="chart__line series--{line.index % SHAPES}" points="{line.points}"/>'
                 for line in self.lines if len(line.markers) > 1]
        if self.medians:
            parts.append(f'<polyline class="chart__median chart__median--line" points="{self.median_points}"/>')
        parts += [marker(line.index, m.x, m.y, self.marker_r) for line in self.lines for m in line.markers]
        return Markup("".join(parts))


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def marker(index: int, x: float, y: float, r: float = 5) -> Markup:
    """A person's marker at (x, y), about 2r across: its shape (six) and its fill (solid, then hollow) tell people
    apart, not its colour alone. Written here rather than in a template macro: a chart draws dozens, and a macro
    call with its rounding filters cost ten times as much."""
    shape = index % SHAPES
    cls = f"chart__marker series--{shape}" + (" chart__marker--hollow" if (index // SHAPES) % 2 else "")
    x, y = round(x, 1), round(y, 1)
    n = _number
    if shape == 0:
        return Markup(f'<circle class="{cls}" cx="{n(x)}" cy="{n(y)}" r="{n(r)}"/>')
    if shape == 1:
        return Markup(f'<rect class="{cls}" x="{n(x - r + 0.5)}" y="{n(y - r + 0.5)}" width="{n(2 * r - 1)}" '
                      f'height="{n(2 * r - 1)}"/>')
    if shape == 2:
        d = f"M{n(x)} {n(y - r - 1)}L{n(x + r + 0.5)} {n(y + r - 0.5)}L{n(x - r - 0.5)} {n(y + r - 0.5)}Z"
    elif shape == 3:
        d = f"M{n(x)} {n(y - r - 1)}L{n(x + r + 1)} {n(y)}L{n(x)} {n(y + r + 1)}L{n(x - r - 1)} {n(y)}Z"
    elif shape == 4:
        cls += " chart__marker--cross"
        d = f"M{n(x - r)} {n(y - r)}L{n(x + r)} {n(y + r)}M{n(x + r)} {n(y - r)}L{n(x - r)} {n(y + r)}"
    else:
        d = f"M{n(x)} {n(y + r + 1)}L{n(x + r + 0.5)} {n(y - r + 0.5)}L{n(x - r - 0.5)} {n(y - r + 0.5)}Z"
    return Markup(f'<path class="{cls}" d="{d}"/>')


def _score_y(score: float) -> float:
    """Where a score sits in a history chart, from 10 at the top to 0 at the bottom."""
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / MAX_SCORE)


@cache
def _frame_svg(threshold: int) -> Markup:
    """A history chart's frame for a threshold, made once per process."""
    def y(score: float) -> float:
        return round(_score_y(score), 1)

    right = WIDTH - RIGHT
    parts = [f'<rect class="chart__goal-zone" x="{LEFT}" y="{TOP}" width="{right - LEFT}" '
             f'height="{round(y(threshold) - TOP, 1)}"/>']
    for value in range(0, MAX_SCORE + 1, 2):
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(value)}" y2="{y(value)}" class="chart__grid"/>'
                     f'<text x="{LEFT - 6}" y="{round(y(value) + 5, 1)}" text-anchor="end" class="chart__label">'
                     f'{value}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(threshold)}" y2="{y(threshold)}" class="chart__threshold"/>')
    return Markup("".join(parts))


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment: datetime) -> datetime:
    return (moment.replace(day=28) + timedelta(days=4)).replace(day=1)


def chart_end(now: datetime) -> datetime:
    """Where a chart over time ends, at least: the start of this hour. An hour is less than a pixel on a chart of
    months, and a chart that changes only once an hour can be kept (parts.py)."""
    return now.replace(minute=0, second=0, microsecond=0)


def window_start(now: datetime) -> datetime:
    """The start of the oldest month a chart shows."""
    earliest = _month_start(now)
    for _ in range(MAX_MONTHS - 1):
        earliest = _month_start(earliest - timedelta(days=1))
    return earliest


def history_chart(series: list[Series], now: datetime, rounds: list[Round] = (),
                  threshold: int = 6) -> HistoryChart | None:
    """Each person's scores of the last MAX_MONTHS months as a line, and the middle score of each round (see
    services.monthly_rounds) as a thicker one; None when there are no scores in that time."""
    earliest = window_start(now)
    shown = [(s, [r for r in s.scores if r.scored_at >= earliest]) for s in series]
    shown = [(s, rows) for s, rows in shown if rows]
    if not shown:
        return None
    start = _month_start(min(rows[0].scored_at for _, rows in shown))
    end = max(now, max(rows[-1].scored_at for _, rows in shown))
    plot_w = WIDTH - LEFT - RIGHT
    span = (end - start).total_seconds() or 1.0

    def x(moment: datetime) -> float:
        return LEFT + plot_w * (moment - start).total_seconds() / span

    y = _score_y

    lines = [Line(s.index, s.name, [Marker(x(r.scored_at), y(r.score), r.score, r.scored_at) for r in rows])
             for s, rows in shown]
    months, month = [], start
    while month <= end:
        months.append(month)
        month = _next_month(month)
    every = 1 if len(months) <= 6 else 2  # month names need room on a phone
    x_ticks = [_tick(x(m), m, i % every == 0) for i, m in enumerate(months)]
    named = [t for t in x_ticks if t.named]
    if len(named) > 1 and named[-1].anchor == "end" and named[-2].label_x + LABEL_TYPICAL > WIDTH - 1 - LABEL_TYPICAL:
        named[-2].named = False  # the month before would run into the last one's name: the last one matters more
    medians = [(x(r.at), y(r.median)) for r in rounds if start <= r.at <= end]
    return HistoryChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, lines, x_ticks, threshold,
                        start, end, medians)


def _tick(x: float, month: datetime, named: bool) -> MonthTick:
    if x + 3 + LABEL_ROOM <= WIDTH:
        return MonthTick(x, month, named, x + 3, "start")
    return MonthTick(x, month, named, WIDTH - 1, "end")


ROUND_WIDTH, ROUND_LEFT, ROUND_RIGHT, ROUND_STEP = 300, 16, 16, 17
ROUND_MARKER_R = 8  # the round chart is drawn a little larger than its 300 units: at least 14 px


@dataclass
class RoundChart:
    width: int
    height: int
    axis_y: float
    ticks: list[tuple[float, int]]
    markers: list[tuple[float, float, int, str | None]]  # x, y, series index, name
    median_x: float | None
    marker_r: int


def round_chart(series: list[Series], median: float | None) -> RoundChart:
    """The latest round on the 0-10 line: one marker per person at their latest score, stacked when equal."""
    current = [s for s in series if s.name is not None]
    stacks: dict[int, int] = {}
    for s in current:
        stacks[s.latest.score] = stacks.get(s.latest.score, 0) + 1
    tallest = max(stacks.values(), default=1)
    axis_y = 14 + tallest * ROUND_STEP
    plot_w = ROUND_WIDTH - ROUND_LEFT - ROUND_RIGHT

    def x(score: float) -> float:
        return ROUND_LEFT + plot_w * score / MAX_SCORE

    placed: dict[int, int] = {}
    markers = []
    for s in current:
        level = placed.get(s.latest.score, 0)
        placed[s.latest.score] = level + 1
        markers.append((x(s.latest.score), axis_y - 12 - level * ROUND_STEP, s.index, s.name))
    ticks = [(x(v), v) for v in range(0, MAX_SCORE + 1)]
    return RoundChart(ROUND_WIDTH, int(axis_y + 26), axis_y, ticks, markers, x(median) if median is not None else None,
                      ROUND_MARKER_R)
