"""The end-of-program target against the period targets, by the indicator's cumulative rule.

- per period: each period's target is that period's own amount, so the end target is their sum;
- cumulative: each period's target is the running total, so the end target is the last
  period's target, and for an increasing (decreasing) indicator the targets never go down (up);
- cumulative, non-summing (a rate, a share): the level counts, so the end target is the last
  period's target.

The messages say what is wrong and with which numbers, so the form can show them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import CumulativeRule, Direction


@dataclass(frozen=True)
class PeriodTarget:
    label: str
    value: Decimal


def plain_decimal(value: Decimal | None) -> str | None:
    """``Decimal("120.0000")`` as ``"120"``, ``Decimal("75.5000")`` as ``"75.5"`` (for inputs)."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def _n(value: Decimal) -> str:
    normalised = value.normalize()
    places = max(0, -normalised.as_tuple().exponent)  # type: ignore[operator]
    return number_format(normalised, decimal_pos=places, use_l10n=True, force_grouping=True)


def expected_end_target(rule: str, periods: Sequence[PeriodTarget]) -> Decimal | None:
    """The end target the period targets imply, or None without period targets."""
    if not periods:
        return None
    if rule == CumulativeRule.PER_PERIOD:
        return sum((p.value for p in periods), Decimal("0"))
    return periods[-1].value


def check_targets(
    *,
    rule: str,
    direction: str,
    periods: Sequence[PeriodTarget],
    end_target: Decimal | None,
) -> list[str]:
    """What is wrong with these targets (an empty list when they agree). ``periods`` in
    chronological order, only those with a target."""
    errors: list[str] = []
    if rule == CumulativeRule.CUMULATIVE and direction in (Direction.INCREASE, Direction.DECREASE):
        for before, after in pairwise(periods):
            if direction == Direction.INCREASE and after.value < before.value:
                errors.append(
                    _(
                        "The targets of a cumulative, increasing indicator must not go down: "
                        "%(later)s (%(later_value)s) is lower than %(earlier)s (%(earlier_value)s)."
                    )
                    % {
                        "later": after.label,
                        "later_value": _n(after.value),
                        "earlier": before.label,
                        "earlier_value": _n(before.value),
                    }
                )
            if direction == Direction.DECREASE and after.value > before.value:
                errors.append(
                    _(
                        "The targets of a cumulative, decreasing indicator must not go up: "
                        "%(later)s (%(later_value)s) is higher than %(earlier)s "
                        "(%(earlier_value)s)."
                    )
                    % {
                        "later": after.label,
                        "later_value": _n(after.value),
                        "earlier": before.label,
                        "earlier_value": _n(before.value),
                    }
                )
    expected = expected_end_target(rule, periods)
    if end_target is None or expected is None or end_target == expected:
        return errors
    if rule == CumulativeRule.PER_PERIOD:
        errors.append(
            _(
                "The end-of-program target (%(end)s) must equal the sum of the period targets "
                "(%(sum)s), because this indicator counts each period on its own."
            )
            % {"end": _n(end_target), "sum": _n(expected)}
        )
    elif rule == CumulativeRule.CUMULATIVE:
        errors.append(
            _(
                "The end-of-program target (%(end)s) must equal the target of the last period, "
                "%(label)s (%(last)s), because this indicator is cumulative: each period's target "
                "already includes the ones before."
            )
            % {"end": _n(end_target), "label": periods[-1].label, "last": _n(expected)}
        )
    else:
        errors.append(
            _(
                "The end-of-program target (%(end)s) must equal the target of the last period, "
                "%(label)s (%(last)s), because this indicator is a level (such as a rate) that is "
                "not summed over periods."
            )
            % {"end": _n(end_target), "label": periods[-1].label, "last": _n(expected)}
        )
    return errors
