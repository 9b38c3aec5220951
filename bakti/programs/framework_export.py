"""The results framework as an XLSX workbook: one row per result and indicator, with baseline,
targets per period and the end-of-program target."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bakti.core.spreadsheet_safety import neutralise

from .models import Program, Result


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return neutralise(value)
    return value


def write_framework_xlsx(program: Program, tree: list[tuple[Result, int]], out: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Framework")[:31]
    sheet.append([_text(f"{program.code} · {program.name}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            _("Period: %(start)s to %(end)s")
            % {"start": program.start_date.isoformat(), "end": program.end_date.isoformat()}
        ]
    )
    sheet.append([])
    labels: list[str] = []
    for result, _depth in tree:
        for indicator in result.indicators.all():
            for target in indicator.targets.all():
                label = target.label or target.period_start.isoformat()
                if label not in labels:
                    labels.append(label)
    header = [
        _("Tier"),
        _("Code"),
        _("Result"),
        _("Assumptions"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit"),
        _("Direction"),
        _("Baseline"),
        _("Baseline date"),
        _("Frequency"),
        _("Cumulative rule"),
        _("Disaggregations"),
        _("Data source"),
        *labels,
        _("End-of-program target"),
    ]
    sheet.append([str(h) for h in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for result, depth in tree:
        base = [
            program.tier_label(result.tier),
            result.code,
            ("  " * depth) + result.statement,
            result.assumptions,
        ]
        indicators = list(result.indicators.all())
        if not indicators:
            sheet.append([_text(v) for v in base])
            continue
        for indicator in indicators:
            by_label = {
                (t.label or t.period_start.isoformat()): t.value for t in indicator.targets.all()
            }
            unit = indicator.get_unit_display()
            if indicator.unit_label:
                unit = f"{unit} ({indicator.unit_label})"
            baseline: Any = indicator.baseline_value
            if indicator.baseline_not_applicable:
                baseline = _("not applicable")
            sheet.append(
                [
                    *(_text(v) for v in base),
                    _text(indicator.code),
                    _text(indicator.name),
                    _text(unit),
                    str(indicator.get_direction_display()),
                    _text(baseline),
                    indicator.baseline_date,
                    str(indicator.get_frequency_display()),
                    str(indicator.get_cumulative_rule_display()),
                    ", ".join(indicator.disaggregation_labels()),
                    _text(indicator.data_source),
                    *(by_label.get(label) for label in labels),
                    indicator.end_target,
                ]
            )
    for column, width in zip("ABCDEF", (12, 8, 50, 30, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(out)
