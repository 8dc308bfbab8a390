"""The phase exit criteria at their edges: 5 against 6, five against six months, a month without a score, 6
against 7, and who counts."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from webapp.safety_scales.services import MonthState, Point, check_latest, check_months, local_month, months_before

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 15)
A, B = 1, 2  # two scales
ANN, BOB, CAT = 10, 11, 12


def at(year, month, day=10, hour=12):
    return datetime(year, month, day, hour)


def monthly(scale, user, score, months, year=2026):
    return [Point(scale, user, score, at(year, m)) for m in months]


# --- latest score of everyone (direct safety: 6, recovery: 7) ----------------------------------------

def test_direct_safety_is_met_when_everyones_latest_score_is_six():
    points = [Point(A, ANN, 3, at(2026, 9)), Point(A, ANN, 6, at(2026, 10)), Point(A, BOB, 8, at(2026, 10)),
              Point(B, ANN, 6, at(2026, 11)), Point(B, BOB, 7, at(2026, 11))]
    check = check_latest([A, B], points, 6)
    assert check.met and check.below == [] and check.lowest == 6 and check.people_at_minimum == check.people == 2


def test_direct_safety_is_not_met_when_one_latest_score_is_five():
    points = [Point(A, ANN, 7, at(2026, 10)), Point(A, BOB, 5, at(2026, 11)), Point(B, ANN, 9, at(2026, 11))]
    check = check_latest([A, B], points, 6)
    assert not check.met
    assert [(p.user_id, p.score) for p in check.below] == [(BOB, 5)]
    assert (check.people_at_minimum, check.people, check.lowest) == (1, 2, 5)


def test_the_next_step_names_each_person_held_back_once_with_their_lowest_score():
    points = [Point(A, ANN, 4, at(2026, 11)), Point(B, ANN, 5, at(2026, 11)), Point(A, BOB, 5, at(2026, 11)),
              Point(B, BOB, 9, at(2026, 11)), Point(A, CAT, 7, at(2026, 11)), Point(B, CAT, 6, at(2026, 11))]
    check = check_latest([A, B], points, 6)
    assert [(p.user_id, p.score) for p in check.below_by_person] == [(ANN, 4), (BOB, 5)]


def test_only_the_latest_score_of_each_person_counts():
    earlier_low = [Point(A, ANN, 2, at(2026, 8)), Point(A, ANN, 6, at(2026, 11))]
    assert check_latest([A], earlier_low, 6).met
    later_low = [Point(A, ANN, 8, at(2026, 8)), Point(A, ANN, 5, at(2026, 11))]
    assert not check_latest([A], later_low, 6).met


def test_every_active_scale_needs_a_score():
    check = check_latest([A, B], [Point(A, ANN, 9, at(2026, 11))], 6)
    assert not check.met and check.unscored == [B]
    assert not check_latest([], [], 6).met  # no scale at all: nothing to show yet


def test_recovery_needs_seven_so_six_is_not_enough():
    points = [Point(A, ANN, 7, at(2026, 11)), Point(A, BOB, 6, at(2026, 11))]
    assert check_latest([A], points, 6).met
    assert not check_latest([A], points, 7).met
    assert check_latest([A], points + [Point(A, BOB, 7, at(2026, 11, 12))], 7).met


def test_someone_who_left_no_longer_counts_for_the_latest_scores():
    points = [Point(A, ANN, 8, at(2026, 11)), Point(A, BOB, 2, at(2026, 11)), Point(A, None, 1, at(2026, 11))]
    assert not check_latest([A], points, 6).met
    assert check_latest([A], points, 6, people={ANN}).met


def test_scores_on_archived_scales_do_not_count():
    assert check_latest([A], [Point(A, ANN, 7, at(2026, 11)), Point(B, ANN, 1, at(2026, 11))], 6).met


# --- six months in a row (risk-driven) ---------------------------------------------------------------

def test_six_months_of_six_or_more_is_met():
    points = monthly(A, ANN, 6, range(6, 12)) + monthly(B, BOB, 7, range(6, 12))
    check = check_months([A, B], points, TODAY, AMSTERDAM)
    assert check.done == 6 and check.met and not check.current_open
    assert [m.month for m in check.months] == [date(2026, m, 1) for m in range(11, 5, -1)]


def test_five_months_is_not_enough():
    points = monthly(A, ANN, 6, range(7, 12)) + monthly(B, BOB, 7, range(7, 12))
    check = check_months([A, B], points, TODAY, AMSTERDAM)
    assert check.done == 5 and not check.met
    assert check.months[-1].state == MonthState.missing and check.months[-1].unscored == [A, B]


def test_a_five_in_a_month_breaks_the_run():
    points = monthly(A, ANN, 8, range(6, 12)) + [Point(A, BOB, 5, at(2026, 9, 20))]
    check = check_months([A], points, TODAY, AMSTERDAM)
    assert check.done == 2 and not check.met  # October and November
    assert check.months[2].state == MonthState.below and check.months[2].below == [A]


def test_a_month_without_a_score_breaks_the_run():
    points = monthly(A, ANN, 8, [6, 7, 9, 10, 11]) + monthly(B, ANN, 8, range(6, 12))
    check = check_months([A, B], points, TODAY, AMSTERDAM)
    assert check.done == 3 and not check.met
    august = check.months[3]
    assert august.month == date(2026, 8, 1) and august.state == MonthState.missing and august.unscored == [A]


def test_this_month_still_open_counts_from_last_month():
    points = monthly(A, ANN, 7, range(5, 11))  # May to October; nobody scored in November yet
    check = check_months([A], points, TODAY, AMSTERDAM)
    assert check.current_open and check.done == 6 and check.met
    assert check.months[0].month == date(2026, 10, 1)
    five = check_months([A], monthly(A, ANN, 7, range(6, 11)), TODAY, AMSTERDAM)
    assert five.current_open and five.done == 5 and not five.met


def test_a_low_score_this_month_stops_the_count_at_once():
    points = monthly(A, ANN, 7, range(5, 11)) + [Point(A, BOB, 4, at(2026, 11, 2))]
    check = check_months([A], points, TODAY, AMSTERDAM)
    assert not check.current_open and check.done == 0 and not check.met


def test_months_are_counted_back_over_new_year():
    points = monthly(A, ANN, 7, range(8, 13), year=2025) + monthly(A, ANN, 7, [1], year=2026)
    check = check_months([A], points, date(2026, 1, 20), AMSTERDAM)
    assert check.done == 6 and check.met


def test_a_score_late_on_the_last_evening_counts_for_that_local_month():
    # 31 October 23:30 in Amsterdam is 22:30 UTC: still October.
    assert local_month(datetime(2026, 10, 31, 22, 30), AMSTERDAM) == date(2026, 10, 1)
    assert local_month(datetime(2026, 10, 31, 23, 30), AMSTERDAM) == date(2026, 11, 1)


@pytest.mark.parametrize("month,back,expected", [(date(2026, 3, 1), 2, date(2026, 1, 1)),
                                                 (date(2026, 1, 1), 1, date(2025, 12, 1)),
                                                 (date(2026, 6, 1), 18, date(2024, 12, 1))])
def test_months_before(month, back, expected):
    assert months_before(month, back) == expected


def test_no_scales_means_no_progress():
    check = check_months([], [], TODAY, AMSTERDAM)
    assert check.done == 0 and not check.met
