"""The end-of-program target against the period targets, one worked example per rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bakti.programs import services
from bakti.programs.targets import PeriodTarget, check_targets, expected_end_target

from .factories import framework, program


def periods(*values):
    return [PeriodTarget(f"Q{i + 1} 2026", Decimal(v)) for i, v in enumerate(values)]


def test_per_period_end_target_is_the_sum_of_the_periods():
    # 100 + 150 + 150 + 100 people trained, each quarter on its own: 500 at the end.
    assert expected_end_target("per_period", periods(100, 150, 150, 100)) == Decimal("500")
    assert (
        check_targets(
            rule="per_period",
            direction="increase",
            periods=periods(100, 150, 150, 100),
            end_target=Decimal("500"),
        )
        == []
    )


def test_per_period_end_target_that_is_not_the_sum_is_refused_with_both_numbers():
    errors = check_targets(
        rule="per_period",
        direction="increase",
        periods=periods(100, 150, 150, 100),
        end_target=Decimal("400"),
    )
    assert len(errors) == 1
    assert "400" in errors[0] and "500" in errors[0] and "sum" in errors[0]


def test_cumulative_end_target_is_the_last_period_not_the_sum():
    # Households graduated, running total: 50, 120, 200, 300 -> 300 at the end (not 670).
    values = periods(50, 120, 200, 300)
    assert expected_end_target("cumulative", values) == Decimal("300")
    assert (
        check_targets(
            rule="cumulative", direction="increase", periods=values, end_target=Decimal("300")
        )
        == []
    )
    errors = check_targets(
        rule="cumulative", direction="increase", periods=values, end_target=Decimal("670")
    )
    assert len(errors) == 1 and "Q4 2026" in errors[0] and "300" in errors[0]


def test_cumulative_increasing_targets_must_not_go_down():
    errors = check_targets(
        rule="cumulative",
        direction="increase",
        periods=periods(50, 120, 100, 300),
        end_target=Decimal("300"),
    )
    assert len(errors) == 1
    assert "Q3 2026" in errors[0] and "Q2 2026" in errors[0]


def test_cumulative_decreasing_targets_must_not_go_up():
    errors = check_targets(
        rule="cumulative",
        direction="decrease",
        periods=periods(40, 30, 35, 20),
        end_target=Decimal("20"),
    )
    assert len(errors) == 1 and "Q3 2026" in errors[0]


def test_cumulative_maintain_targets_may_move_both_ways():
    assert (
        check_targets(
            rule="cumulative",
            direction="maintain",
            periods=periods(40, 30, 35, 40),
            end_target=Decimal("40"),
        )
        == []
    )


def test_non_summing_end_target_is_the_last_period_level():
    # A rate: 60%, 65%, 70%, 75% of elderly with a care plan: 75% at the end, never summed.
    values = periods("60", "65", "70", "75.5")
    assert expected_end_target("non_summing", values) == Decimal("75.5")
    assert (
        check_targets(
            rule="non_summing", direction="increase", periods=values, end_target=Decimal("75.5")
        )
        == []
    )
    errors = check_targets(
        rule="non_summing", direction="increase", periods=values, end_target=Decimal("270.5")
    )
    assert len(errors) == 1 and "75" in errors[0]


def test_non_summing_level_may_dip_between_periods():
    assert (
        check_targets(
            rule="non_summing",
            direction="increase",
            periods=periods(60, 55, 70),
            end_target=Decimal("70"),
        )
        == []
    )


def test_no_end_target_or_no_periods_is_not_an_error():
    assert (
        check_targets(
            rule="per_period", direction="increase", periods=periods(1, 2), end_target=None
        )
        == []
    )
    assert (
        check_targets(rule="cumulative", direction="increase", periods=[], end_target=Decimal("5"))
        == []
    )


def test_the_service_refuses_inconsistent_targets_and_keeps_the_old_ones(cast):
    prog = program(cast)
    indicator = framework(prog)["indicator"]
    with pytest.raises(ValidationError) as error:
        services.indicator_set_targets(
            actor=cast.manager,
            indicator=indicator,
            targets=[
                services.TargetInput(dt.date(2026, 1, 1), dt.date(2026, 3, 31), Decimal(5), "Q1"),
                services.TargetInput(dt.date(2026, 4, 1), dt.date(2026, 6, 30), Decimal(5), "Q2"),
            ],
            end_target=Decimal("20"),
        )
    assert "end_target" in error.value.message_dict
    assert sorted(indicator.targets.values_list("value", flat=True)) == [10, 20, 30, 40]


def test_changing_the_rule_rechecks_the_saved_targets(cast):
    prog = program(cast)
    indicator = framework(prog)["indicator"]  # per period 10+20+30+40 = end 100
    with pytest.raises(ValidationError) as error:
        services.indicator_update(
            actor=cast.manager, indicator=indicator, data={"cumulative_rule": "cumulative"}
        )
    assert "end_target" in error.value.message_dict
    indicator.refresh_from_db()
    services.indicator_update(
        actor=cast.manager,
        indicator=indicator,
        data={"cumulative_rule": "cumulative", "end_target": Decimal("40")},
    )
    indicator.refresh_from_db()
    assert indicator.cumulative_rule == "cumulative"
