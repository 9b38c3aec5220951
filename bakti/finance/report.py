"""The realisation report (laporan realisasi anggaran) as an XLSX workbook.

One sheet lists every line grouped by program, with a subtotal row after each program and a
grand total; a second sheet gives the totals per funding source. Totals are written as values
(computed here from the same ledger as the pages), so every reader shows them, including ones
that do not recalculate formulas.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from bakti.core.spreadsheet_safety import neutralise

from . import analysis, ledger
from .ledger import Figures
from .models import BudgetLine

MONEY_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
BOLD = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="E9ECEF")


def _num(value: Decimal) -> float | int:
    # openpyxl stores numbers as floats; amounts are whole rupiah or cents well inside the
    # 15 significant digits a spreadsheet keeps, so nothing is lost.
    return int(value) if value == value.to_integral_value() else float(value)


def _text(value: Any) -> str:
    return neutralise(str(value)) if value is not None else ""


def _figure_cells(f: Figures) -> list[Any]:
    rate = f.absorption
    return [
        _num(f.original),
        _num(f.budget),
        _num(f.committed),
        _num(f.realised),
        _num(f.available),
        float(rate) if rate is not None else None,
    ]


def write_realisation_report(
    lines: QuerySet[BudgetLine], out: IO[bytes], *, title: str, as_of: dt.date
) -> Figures:
    """Write the report for ``lines`` to ``out``; returns the grand total."""
    figures = ledger.figures_by_line(lines)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Realisation")[:31]
    sheet.append([_text(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("As of %(date)s") % {"date": as_of.isoformat()}])
    sheet.append([])
    headers = [
        _("Program"),
        _("Funding source"),
        _("Account class"),
        _("Line code"),
        _("Description"),
        _("Original budget"),
        _("Budget (pagu)"),
        _("Open commitments"),
        _("Realised"),
        _("Remaining"),
        _("Absorption"),
    ]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = BOLD
    grand = Figures()
    current_program: Any = None
    subtotal = Figures()
    program_label = ""

    def close_program() -> None:
        row = [_text(_("Subtotal %(program)s") % {"program": program_label}), "", "", "", ""]
        sheet.append(row + _figure_cells(subtotal))
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
            cell.fill = SUBTOTAL_FILL

    ordered = lines.select_related("program", "funding_source", "account_class").order_by(
        "program__code", "funding_source__code", "account_class__code", "code", "pk"
    )
    for line in ordered:
        if line.program_id != current_program:
            if current_program is not None:
                close_program()
            current_program = line.program_id
            program_label = str(line.program)
            subtotal = Figures()
        f = figures[line.pk]
        subtotal.add(f)
        grand.add(f)
        sheet.append(
            [
                _text(line.program),
                _text(line.funding_source),
                _text(line.account_class),
                _text(line.code),
                _text(line.description),
                *_figure_cells(f),
            ]
        )
    if current_program is not None:
        close_program()
    sheet.append([_("Grand total"), "", "", "", "", *_figure_cells(grand)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in sheet.iter_rows(min_row=5, min_col=6, max_col=10):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for row in sheet.iter_rows(min_row=5, min_col=11, max_col=11):
        for cell in row:
            cell.number_format = PERCENT_FORMAT
    widths = (34, 24, 28, 12, 40, 16, 16, 16, 16, 16, 11)
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width

    by_source, source_total = analysis.budget_vs_actual(lines, "funding_source")
    summary = workbook.create_sheet(_("By funding source")[:31])
    summary.append(
        [
            _("Funding source"),
            _("Original budget"),
            _("Budget (pagu)"),
            _("Open commitments"),
            _("Realised"),
            _("Remaining"),
            _("Absorption"),
        ]
    )
    for cell in summary[1]:
        cell.font = BOLD
    for row in by_source:
        summary.append([_text(row.label), *_figure_cells(row.figures)])
    summary.append([_("Total"), *_figure_cells(source_total)])
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    summary.column_dimensions["A"].width = 34
    workbook.save(out)
    return grand
