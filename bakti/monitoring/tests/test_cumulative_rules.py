"""Worked examples pinning the three cumulative rules, first on the arithmetic, then through
the tracking table with approved values in the database."""

import datetime as dt
from decimal import Decimal as D

import pytest

from bakti.monitoring.tracking import aggregate, percent_achieved, tracking_table, traffic_light

from .factories import make_indicator, make_program
from .helpers import approved_actuals


def test_per_period_to_date_is_the_sum_of_the_periods():
    assert aggregate("per_period", [D(80), D(120), D(90)]) == D(290)
    assert aggregate("per_period", [D(100), D(100), D(100)]) == D(300)


def test_cumulative_to_date_is_the_latest_running_total_never_a_sum():
    assert aggregate("cumulative", [D(80), D(210), D(280)]) == D(280)


def test_non_summing_to_date_is_the_latest_level():
    assert aggregate("non_summing", [D(55), D(62), D(71)]) == D(71)


def test_missing_periods_are_skipped_and_no_data_is_none():
    assert aggregate("per_period", [D(10), None, D(5)]) == D(15)
    assert aggregate("cumulative", [D(10), D(30), None]) == D(30)
    assert aggregate("non_summing", [None, None]) is None


def test_percent_achieved_for_increase_and_decrease():
    assert percent_achieved(D(290), D(300)) == D("96.7")
    # A reduction from 40 to 20 planned; down to 30 achieved: half the planned reduction.
    assert percent_achieved(D(30), D(20), direction="decrease", baseline=D(40)) == D("50.0")
    assert percent_achieved(None, D(10)) is None
    assert percent_achieved(D(10), D(0)) is None


def test_traffic_light_always_has_words():
    assert traffic_light(D("96.7"), on_track_from=90, behind_from=70).text == "On track"
    assert traffic_light(D("75"), on_track_from=90, behind_from=70).code == "amber"
    assert traffic_light(D("69.9"), on_track_from=90, behind_from=70).code == "red"
    light = traffic_light(None, on_track_from=90, behind_from=70)
    assert (light.code, light.text) == ("none", "No data yet")


@pytest.mark.parametrize(
    ("rule", "targets", "actuals", "to_date_target", "to_date_actual", "percent", "end_target"),
    [
        # Per period: Q1-Q3 reported; sums to date; end target = sum of all four targets.
        ("per_period", [100, 100, 100, 100], [80, 120, 90], 300, 290, "96.7", 400),
        # Cumulative: each figure is the running total; the latest counts, not the sum.
        ("cumulative", [100, 200, 300, 400], [80, 210, 280], 300, 280, "93.3", 400),
        # Non-summing (a rate): the latest level against the latest target.
        ("non_summing", [60, 65, 70, 75], [55, 62, 71], 70, 71, "101.4", 75),
    ],
)
def test_tracking_table_applies_each_rule(
    cast, rule, targets, actuals, to_date_target, to_date_actual, percent, end_target
):
    program = make_program(cast.department, manager=cast.manager)
    indicator = make_indicator(program, rule=rule, targets=targets)
    approved_actuals(cast, indicator, actuals)

    table = tracking_table(program, as_of=dt.date(2026, 9, 30))
    (row,) = table.indicators

    assert row.to_date_target == D(to_date_target)
    assert row.to_date_actual == D(to_date_actual)
    assert row.percent == D(percent)
    assert row.end_target == D(end_target)
    assert [p.actual for p in row.periods] == [D(a) for a in actuals] + [None]


def test_periods_not_yet_ended_and_without_actuals_do_not_count(cast):
    program = make_program(cast.department, manager=cast.manager)
    indicator = make_indicator(program, rule="per_period", targets=[100, 100, 100, 100])
    approved_actuals(cast, indicator, [80])

    row = tracking_table(program, as_of=dt.date(2026, 5, 15)).indicators[0]

    # Q2 has not ended and has no actual: only Q1's target counts so far.
    assert row.to_date_target == D(100)
    assert row.to_date_actual == D(80)
    assert row.light.code == "amber"


def test_disaggregations_follow_the_rule_too(cast):
    program = make_program(cast.department, manager=cast.manager)
    indicator = make_indicator(
        program, rule="cumulative", targets=[10, 20, 30, 40], disaggregations=["sex"]
    )
    approved_actuals(
        cast,
        indicator,
        [10, 25],
        breakdowns=[
            {("sex", "F"): 6, ("sex", "M"): 4},
            {("sex", "F"): 15, ("sex", "M"): 10},
        ],
    )

    row = tracking_table(program, as_of=dt.date(2026, 6, 30)).indicators[0]
    by_category = {(d.dimension, d.category): d for d in row.disaggregations}

    assert by_category[("sex", "F")].to_date == D(15)  # latest, not 6 + 15
    assert by_category[("sex", "F")].category_label == "Female"
    assert by_category[("sex", "M")].periods[:2] == [D(4), D(10)]
