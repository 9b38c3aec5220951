"""The indicator tracking table (ITT): baseline, target and actual per period and to date, %
achieved and a traffic light, for every indicator of a program and every disaggregation.

One function, :func:`tracking_table`, computes it; the page, the PDF, the XLSX and the API all
show what it returns, so the numbers cannot differ between them.

Cumulative rules (from the programs app) are applied exactly:

- **per period**: each period's figure is that period's own amount; to date = the *sum* of the
  periods counted so far (targets likewise).
- **cumulative**: each period's figure is the running total at the period's end (for computed
  indicators the rule counts from the program's start, so a person reached in two periods
  counts once); to date = the *latest* counted period's figure, never a sum.
- **non-summing** (a rate, a level): each period's figure stands alone; to date = the latest
  counted period's figure.

A period is *counted* when it has ended by the as-of date or has an actual already.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import COUNTED_STATUSES, HealthSettings, IndicatorResult, ResultValue
from .rules import AGE_GROUPS

PER_PERIOD = "per_period"
CUMULATIVE = "cumulative"
NON_SUMMING = "non_summing"

HUNDRED = Decimal("100")


# ---------------------------------------------------------------------------------------------
# Pure arithmetic (pinned by worked examples in the tests)
# ---------------------------------------------------------------------------------------------


def aggregate(rule: str, values: Sequence[Decimal | None]) -> Decimal | None:
    """The to-date figure of a series of period figures under ``rule``."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == PER_PERIOD:
        return sum(present, Decimal("0"))
    return present[-1]


def percent_achieved(
    actual: Decimal | None,
    target: Decimal | None,
    *,
    direction: str = "increase",
    baseline: Decimal | None = None,
) -> Decimal | None:
    """% of the target achieved, one decimal. For a *decrease* with a baseline, the share of
    the planned reduction achieved; without a baseline, target / actual."""
    if actual is None or target is None:
        return None
    if direction == "decrease":
        if baseline is not None and baseline != target:
            result = (baseline - actual) * HUNDRED / (baseline - target)
        elif actual == 0:
            return HUNDRED if target == 0 else None
        else:
            result = target * HUNDRED / actual
    else:
        if target == 0:
            return None
        result = actual * HUNDRED / target
    return result.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Light:
    code: str  # green, amber, red, none
    text: str


def traffic_light(percent: Decimal | None, *, on_track_from: int, behind_from: int) -> Light:
    """A traffic light that always says in words what its colour means."""
    if percent is None:
        return Light("none", _("No data yet"))
    if percent >= on_track_from:
        return Light("green", _("On track"))
    if percent >= behind_from:
        return Light("amber", _("Behind target"))
    return Light("red", _("Off track"))


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


@dataclass
class PeriodCell:
    start: dt.date
    end: dt.date
    label: str
    target: Decimal | None
    actual: Decimal | None
    status: str | None  # the actual's status (draft/submitted/… or computed), None if none
    counted: bool
    percent: Decimal | None
    light: Light


@dataclass
class DisaggregationRow:
    dimension: str
    dimension_label: str
    category: str
    category_label: str
    periods: list[Decimal | None]
    to_date: Decimal | None


@dataclass
class IndicatorTrack:
    indicator: Any
    id: int
    code: str
    name: str
    result_label: str
    unit: str
    unit_label: str
    direction: str
    cumulative_rule: str
    cumulative_rule_label: str
    computed: bool
    baseline: Decimal | None
    baseline_date: dt.date | None
    end_target: Decimal | None
    periods: list[PeriodCell]
    to_date_target: Decimal | None
    to_date_actual: Decimal | None
    percent: Decimal | None
    light: Light
    end_percent: Decimal | None
    pending: int
    disaggregations: list[DisaggregationRow] = field(default_factory=list)


@dataclass
class TrackingTable:
    program: Any
    as_of: dt.date
    indicators: list[IndicatorTrack]

    @property
    def off_track(self) -> list[IndicatorTrack]:
        return [row for row in self.indicators if row.light.code == "red"]


DIMENSION_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age_group": gettext_lazy("Age group"),
    "disability": gettext_lazy("Disability"),
    "region": gettext_lazy("Region"),
    "ppks": gettext_lazy("PPKS category"),
}


def _category_labels(codes_by_dimension: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Readable names for disaggregation categories: at most one query for regions and one for
    PPKS categories, however many rows."""
    labels: dict[tuple[str, str], str] = {}
    for code in codes_by_dimension.get("sex", ()):
        labels[("sex", code)] = {"F": _("Female"), "M": _("Male")}.get(code, code)
    ages = {code: str(label) for code, label, _low, _high in AGE_GROUPS}
    for code in codes_by_dimension.get("age_group", ()):
        labels[("age_group", code)] = ages.get(code, _("Unknown") if code == "unknown" else code)
    for code in codes_by_dimension.get("disability", ()):
        labels[("disability", code)] = {
            "yes": _("With disability"),
            "no": _("Without disability"),
        }.get(code, code)
    region_codes = codes_by_dimension.get("region", set())
    if region_codes:
        from bakti.regions.models import Region

        names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))
        for code in region_codes:
            labels[("region", code)] = f"{names[code]} ({code})" if code in names else code
    ppks_codes = codes_by_dimension.get("ppks", set())
    if ppks_codes:
        PPKSCategory = apps.get_model("programs", "PPKSCategory")
        names = dict(PPKSCategory.objects.filter(code__in=ppks_codes).values_list("code", "name"))
        for code in ppks_codes:
            labels[("ppks", code)] = f"{code} {names.get(code, '')}".strip()
    return labels


def thresholds_for(program: Any) -> HealthSettings:
    """The program's thresholds, else the default row, else the built-in defaults."""
    rows = {
        row.program_id: row
        for row in HealthSettings.objects.filter(
            program_id__in=[program.pk] if program is not None else []
        )
        | HealthSettings.objects.filter(program__isnull=True)
    }
    return rows.get(getattr(program, "pk", None)) or rows.get(None) or HealthSettings()


def indicator_periods(indicator: Any, targets: Iterable[Any], results: Iterable[Any]) -> list:
    """The reporting periods of an indicator: those of its targets, plus any period that has an
    actual but no target; when there are neither, periods of the indicator's frequency over the
    program's dates."""
    periods: dict[dt.date, tuple[dt.date, dt.date, str]] = {}
    for target in targets:
        periods[target.period_start] = (target.period_start, target.period_end, target.label)
    for result in results:
        periods.setdefault(result.period_start, (result.period_start, result.period_end, ""))
    if not periods:
        from bakti.programs.periods import reporting_periods

        program = indicator.program
        for period in reporting_periods(indicator.frequency, program.start_date, program.end_date):
            periods[period.start] = (period.start, period.end, period.label)
    out = []
    for start, end, label in sorted(periods.values()):
        out.append((start, end, label or period_label(start, end)))
    return out


def period_label(start: dt.date, end: dt.date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day == 1 and months == 3 and start.month in (1, 4, 7, 10):
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if start.day == 1 and months == 12 and start.month == 1:
        return str(start.year)
    if start.day == 1 and months == 6 and start.month in (1, 7):
        return f"{start.year} S{1 if start.month == 1 else 2}"
    if start.day == 1 and months == 1:
        return f"{start:%Y-%m}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def _indicator_queryset(program: Any, indicator_ids: Iterable[int] | None = None) -> Any:
    Indicator = apps.get_model("programs", "Indicator")
    results = (
        IndicatorResult.objects.only(
            "id",
            "indicator_id",
            "period_start",
            "period_end",
            "status",
            "value",
        )
        .prefetch_related(
            Prefetch("values", queryset=ResultValue.objects.order_by("dimension", "category"))
        )
        .order_by("period_start")
    )
    queryset = (
        Indicator.objects.filter(program=program)
        .select_related("result", "program", "computation_rule")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=apps.get_model("programs", "IndicatorTarget").objects.order_by(
                    "period_start"
                ),
            ),
            Prefetch("actuals", queryset=results),
        )
        .order_by("result__tier", "result__order", "order", "code", "id")
    )
    if indicator_ids is not None:
        queryset = queryset.filter(id__in=list(indicator_ids))
    return queryset


def tracking_table(
    program: Any,
    *,
    as_of: dt.date | None = None,
    indicator_ids: Iterable[int] | None = None,
    thresholds: HealthSettings | None = None,
) -> TrackingTable:
    """The ITT of ``program`` as of ``as_of`` (today by default). A fixed number of queries,
    however many indicators, periods and disaggregations."""
    as_of = as_of or timezone.localdate()
    thresholds = thresholds or thresholds_for(program)
    rows = []
    category_codes: dict[str, set[str]] = defaultdict(set)
    for indicator in _indicator_queryset(program, indicator_ids):
        track = build_track(indicator, as_of=as_of, thresholds=thresholds)
        for row in track.disaggregations:
            category_codes[row.dimension].add(row.category)
        rows.append(track)
    labels = _category_labels(category_codes)
    for track in rows:
        for row in track.disaggregations:
            row.category_label = labels.get((row.dimension, row.category), row.category)
    return TrackingTable(program=program, as_of=as_of, indicators=rows)


def build_track(indicator: Any, *, as_of: dt.date, thresholds: HealthSettings) -> IndicatorTrack:
    rule = indicator.cumulative_rule
    targets = list(indicator.targets.all())
    results = list(indicator.actuals.all())
    target_by_start = {t.period_start: t.value for t in targets}
    result_by_start = {r.period_start: r for r in results}
    light_args = {
        "on_track_from": thresholds.on_track_from,
        "behind_from": thresholds.behind_from,
    }
    periods: list[PeriodCell] = []
    counted_targets: list[Decimal | None] = []
    counted_actuals: list[Decimal | None] = []
    per_dimension: dict[tuple[str, str], list[Decimal | None]] = defaultdict(list)
    pending = 0
    period_defs = indicator_periods(indicator, targets, results)
    counted_flags = []
    for index, (start, end, label) in enumerate(period_defs):
        result = result_by_start.get(start)
        counts = result is not None and result.status in COUNTED_STATUSES
        if result is not None and not counts:
            pending += 1
        actual = result.value if counts else None
        target = target_by_start.get(start)
        counted = end <= as_of or (counts and actual is not None)
        counted_flags.append(counted)
        percent = percent_achieved(
            actual, target, direction=indicator.direction, baseline=indicator.baseline_value
        )
        periods.append(
            PeriodCell(
                start=start,
                end=end,
                label=label,
                target=target,
                actual=actual,
                status=result.status if result is not None else None,
                counted=counted,
                percent=percent,
                light=traffic_light(percent, **light_args),
            )
        )
        if counted:
            counted_targets.append(target)
            counted_actuals.append(actual)
        if counts:
            for value in result.values.all():
                key = (value.dimension, value.category)
                series = per_dimension[key]
                series.extend([None] * (index - len(series)))
                series.append(value.value)
    to_date_target = aggregate(rule, counted_targets)
    to_date_actual = aggregate(rule, counted_actuals)
    percent = percent_achieved(
        to_date_actual,
        to_date_target,
        direction=indicator.direction,
        baseline=indicator.baseline_value,
    )
    end_target = indicator.end_target
    if end_target is None:
        end_target = aggregate(rule, [p.target for p in periods])
    end_percent = percent_achieved(
        to_date_actual, end_target, direction=indicator.direction, baseline=indicator.baseline_value
    )
    wanted = list(indicator.disaggregations or [])
    disaggregations = []
    order = {code: i for i, code in enumerate(["sex", "age_group", "disability", "region", "ppks"])}
    for (dimension, category), series in sorted(
        per_dimension.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1])
    ):
        if wanted and dimension not in wanted:
            continue
        series = series + [None] * (len(periods) - len(series))
        counted_series = [v for v, flag in zip(series, counted_flags, strict=True) if flag]
        disaggregations.append(
            DisaggregationRow(
                dimension=dimension,
                dimension_label=str(DIMENSION_LABELS.get(dimension, dimension)),
                category=category,
                category_label=category,
                periods=series,
                to_date=aggregate(rule, counted_series),
            )
        )
    rule_obj = getattr(indicator, "computation_rule", None) if _has_rule(indicator) else None
    return IndicatorTrack(
        indicator=indicator,
        id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        result_label=indicator.program.tier_label(indicator.result.tier)
        if indicator.result_id
        else "",
        unit=indicator.unit,
        unit_label=indicator.unit_label or indicator.get_unit_display(),
        direction=indicator.direction,
        cumulative_rule=rule,
        cumulative_rule_label=str(indicator.get_cumulative_rule_display()),
        computed=bool(rule_obj and rule_obj.is_active),
        baseline=None if indicator.baseline_not_applicable else indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        end_target=end_target,
        periods=periods,
        to_date_target=to_date_target,
        to_date_actual=to_date_actual,
        percent=percent,
        light=traffic_light(percent, **light_args),
        end_percent=end_percent,
        pending=pending,
        disaggregations=disaggregations,
    )


def _has_rule(indicator: Any) -> bool:
    try:
        indicator.computation_rule  # noqa: B018 - a reverse one-to-one raises when absent
    except Exception:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Flat rows: what the XLSX and CSV exports (and the report's ITT sheet) write
# ---------------------------------------------------------------------------------------------


def flat_headers() -> list[str]:
    return [
        _("Indicator code"),
        _("Indicator"),
        _("Level"),
        _("Cumulative rule"),
        _("Disaggregation"),
        _("Category"),
        _("Period"),
        _("Period start"),
        _("Period end"),
        _("Baseline"),
        _("Target"),
        _("Actual"),
        _("% achieved"),
        _("Status"),
    ]


def flat_rows(table: TrackingTable) -> list[list[Any]]:
    """One row per indicator and period, one "to date" row per indicator, and the same for
    every disaggregation category, so nothing disappears in a spreadsheet."""
    total = _("Total")
    to_date = _("To date")
    rows: list[list[Any]] = []
    for track in table.indicators:
        head = [track.code, track.name, track.result_label, track.cumulative_rule_label]
        for cell in track.periods:
            rows.append(
                [
                    *head,
                    total,
                    "",
                    cell.label,
                    cell.start,
                    cell.end,
                    track.baseline,
                    cell.target,
                    cell.actual,
                    cell.percent,
                    cell.light.text,
                ]
            )
        rows.append(
            [
                *head,
                total,
                "",
                to_date,
                None,
                table.as_of,
                track.baseline,
                track.to_date_target,
                track.to_date_actual,
                track.percent,
                track.light.text,
            ]
        )
        for row in track.disaggregations:
            for cell, value in zip(track.periods, row.periods, strict=True):
                rows.append(
                    [
                        *head,
                        row.dimension_label,
                        row.category_label,
                        cell.label,
                        cell.start,
                        cell.end,
                        None,
                        None,
                        value,
                        None,
                        "",
                    ]
                )
            rows.append(
                [
                    *head,
                    row.dimension_label,
                    row.category_label,
                    to_date,
                    None,
                    table.as_of,
                    None,
                    None,
                    row.to_date,
                    None,
                    "",
                ]
            )
    return rows
