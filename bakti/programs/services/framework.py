"""The results framework: results, indicators and their targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from bakti.privacy.audit import (
    StaleEdit,
    audited_create,
    audited_delete,
    audited_update,
    record,
)
from bakti.privacy.models import AuditAction

from ..models import (
    Disaggregation,
    Indicator,
    IndicatorTarget,
    IndicatorUnit,
    Program,
    Result,
)
from ..targets import PeriodTarget, check_targets
from .common import check_can_edit

# --- results ------------------------------------------------------------------------------------


def _check_result_place(program: Program, parent: Result | None, tier: int) -> None:
    labels = program.tier_labels()
    if parent is not None and parent.program_id != program.pk:
        raise ValidationError({"parent": _("The parent result belongs to another program.")})
    if tier > len(labels):
        raise ValidationError(
            {
                "parent": _(
                    "This framework has %(n)d tiers; the lowest, %(lowest)s, cannot have results "
                    "under it."
                )
                % {"n": len(labels), "lowest": labels[-1]}
            }
        )


@transaction.atomic
def result_create(
    *,
    actor: Any,
    program: Program,
    statement: str,
    parent: Result | None = None,
    code: str = "",
    assumptions: str = "",
    order: int = 0,
) -> Result:
    """A result under ``parent`` (one tier below it), or at the top tier without a parent."""
    check_can_edit(actor, program)
    tier = parent.tier + 1 if parent is not None else 1
    _check_result_place(program, parent, tier)
    result = Result(
        program=program,
        parent=parent,
        tier=tier,
        code=code.strip(),
        statement=statement.strip(),
        assumptions=assumptions,
        order=order,
    )
    return audited_create(result, actor=actor)


@transaction.atomic
def result_update(
    *, actor: Any, result: Result, data: Mapping[str, Any], expected_version: int | None = None
) -> Result:
    check_can_edit(actor, result.program)
    data = dict(data)
    if "parent" in data and data["parent"] != result.parent:
        parent = data["parent"]
        if parent is not None and (parent.pk == result.pk or _is_below(parent, result)):
            raise ValidationError({"parent": _("A result cannot be placed under itself.")})
        if result.children.exists() or result.activities.exists():
            raise ValidationError(
                {
                    "parent": _(
                        "Move or delete the results and activities under this result before "
                        "moving it to another tier."
                    )
                }
            )
        data["tier"] = parent.tier + 1 if parent is not None else 1
        _check_result_place(result.program, parent, data["tier"])
    result, _changes = audited_update(
        result, actor=actor, data=data, expected_version=expected_version
    )
    return result


def _is_below(candidate: Result, ancestor: Result) -> bool:
    node: Result | None = candidate
    seen = set()
    while node is not None and node.pk not in seen:
        if node.parent_id == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def result_delete(*, actor: Any, result: Result) -> None:
    """Delete a result that has nothing under it (no results, indicators or activities)."""
    check_can_edit(actor, result.program)
    if result.children.exists() or result.indicators.exists() or result.activities.exists():
        raise ValidationError(
            _(
                "This result still has results, indicators or activities under it: delete or "
                "move them first."
            )
        )
    try:
        with transaction.atomic():
            audited_delete(result, actor=actor)
    except ProtectedError as error:
        raise ValidationError(
            _("Budget lines are still planned against this result: it cannot be deleted.")
        ) from error


# --- indicators ---------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "unit",
    "unit_label",
    "numerator",
    "denominator",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_not_applicable",
    "frequency",
    "cumulative_rule",
    "data_source",
    "means_of_verification",
    "disaggregations",
    "end_target",
    "order",
)


def _check_indicator(indicator: Indicator) -> None:
    errors: dict[str, str] = {}
    if indicator.unit == IndicatorUnit.PERCENTAGE:
        if not indicator.numerator.strip():
            errors["numerator"] = _("A percentage needs a numerator: what is counted.")
        if not indicator.denominator.strip():
            errors["denominator"] = _("A percentage needs a denominator: out of what.")
    if indicator.baseline_not_applicable and (
        indicator.baseline_value is not None or indicator.baseline_date is not None
    ):
        errors["baseline_value"] = _(
            "Leave the baseline value and date empty when the baseline is not applicable."
        )
    valid = set(Disaggregation.values)
    chosen = list(indicator.disaggregations or [])
    unknown = [str(d) for d in chosen if d not in valid]
    if unknown:
        errors["disaggregations"] = _("Unknown disaggregation: %(names)s.") % {
            "names": ", ".join(unknown)
        }
    elif len(set(chosen)) != len(chosen):
        indicator.disaggregations = list(dict.fromkeys(chosen))
    if indicator.result_id and indicator.result.program_id != indicator.program_id:
        errors["result"] = _("The result belongs to another program.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor: Any, program: Program, result: Result, **fields: Any) -> Indicator:
    """An indicator at ``result``. ``fields`` are the indicator's own fields (code, name, unit,
    direction, baseline, frequency, cumulative rule, disaggregations, end target, …)."""
    check_can_edit(actor, program)
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    indicator = Indicator(program=program, result=result, **fields)
    _check_indicator(indicator)
    return audited_create(indicator, actor=actor)


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: Indicator,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Indicator:
    check_can_edit(actor, indicator.program)
    data = {k: v for k, v in data.items() if k in (*INDICATOR_FIELDS, "result")}
    preview = Indicator(
        **{f.attname: getattr(indicator, f.attname) for f in Indicator._meta.concrete_fields}
    )
    for key, value in data.items():
        setattr(preview, key, value)
    _check_indicator(preview)
    if "disaggregations" in data:
        data["disaggregations"] = preview.disaggregations
    targets = list(indicator.targets.all())
    if targets and any(k in data for k in ("cumulative_rule", "direction", "end_target")):
        problems = check_indicator_targets(preview, targets)
        if problems:
            raise ValidationError({"end_target": problems})
    indicator, _changes = audited_update(
        indicator, actor=actor, data=data, expected_version=expected_version
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    check_can_edit(actor, indicator.program)
    audited_delete(indicator, actor=actor)


# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    period_start: dt.date
    period_end: dt.date
    value: Decimal | None
    label: str = ""
    notes: str = ""


def check_indicator_targets(indicator: Indicator, targets: Sequence[IndicatorTarget]) -> list[str]:
    """What is wrong with an indicator's saved targets and end target (empty when nothing)."""
    ordered = sorted(targets, key=lambda t: t.period_start)
    return check_targets(
        rule=indicator.cumulative_rule,
        direction=indicator.direction,
        periods=[PeriodTarget(t.label or str(t.period_start), t.value) for t in ordered],
        end_target=indicator.end_target,
    )


@transaction.atomic
def indicator_set_targets(
    *,
    actor: Any,
    indicator: Indicator,
    targets: Iterable[TargetInput],
    end_target: Decimal | None,
    expected_version: int | None = None,
) -> Indicator:
    """Replace the indicator's period targets and end-of-program target, after checking them
    against each other by the cumulative rule. Periods without a value are left without a
    target. Recorded as one change of the indicator (old → new targets)."""
    check_can_edit(actor, indicator.program)
    if expected_version is not None:
        current = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if current.version != expected_version:
            raise StaleEdit(current, {})
    rows = sorted((t for t in targets if t.value is not None), key=lambda t: t.period_start)
    program = indicator.program
    for row in rows:
        if row.period_end < row.period_start:
            raise ValidationError(
                _("The period %(label)s ends before it starts.") % {"label": row.label}
            )
        if row.period_start < program.start_date or row.period_end > program.end_date:
            raise ValidationError(
                _("The period %(label)s lies outside the program's dates.")
                % {"label": row.label or row.period_start}
            )
        if row.value is not None and row.value < 0:
            raise ValidationError(
                _("The target for %(label)s cannot be negative.") % {"label": row.label}
            )
    starts = [r.period_start for r in rows]
    if len(starts) != len(set(starts)):
        raise ValidationError(_("Two targets are given for the same period."))
    problems = check_targets(
        rule=indicator.cumulative_rule,
        direction=indicator.direction,
        periods=[PeriodTarget(r.label or str(r.period_start), r.value) for r in rows],  # type: ignore[arg-type]
        end_target=end_target,
    )
    if problems:
        raise ValidationError({"end_target": problems})
    before = [
        [t.period_start.isoformat(), str(t.value)]
        for t in indicator.targets.order_by("period_start")
    ]
    after = [[r.period_start.isoformat(), str(r.value)] for r in rows]
    indicator.targets.all().delete()
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator=indicator,
            period_start=r.period_start,
            period_end=r.period_end,
            label=r.label,
            value=r.value,  # type: ignore[arg-type]
            notes=r.notes,
        )
        for r in rows
    )
    changes: dict[str, list[Any]] = {}
    if before != after:
        changes["targets"] = [before, after]
    if indicator.end_target != end_target:
        indicator, _c = audited_update(
            indicator,
            actor=actor,
            data={"end_target": end_target},
        )
    elif changes:
        Indicator.objects.filter(pk=indicator.pk).update(version=indicator.version + 1)
        indicator.version += 1
    if changes:
        record(actor=actor, action=AuditAction.UPDATE, obj=indicator, changes=changes)
    return indicator
