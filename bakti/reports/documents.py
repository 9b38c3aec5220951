"""Report documents: the program report and the portfolio report, as a page, a PDF (WeasyPrint,
from the same templates as the page) and an XLSX (one sheet per section).

:func:`program_report` and :func:`portfolio_report` gather everything once; the page, the PDF
and the XLSX are three renderings of that one object, so their numbers cannot differ.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from bakti.core.exports import _xlsx_cell
from bakti.monitoring.health import Health, assess
from bakti.monitoring.models import Evaluation
from bakti.monitoring.selectors import latest_health
from bakti.monitoring.tracking import (
    TrackingTable,
    flat_headers,
    flat_rows,
    thresholds_for,
    tracking_table,
)

from . import charts
from .data import (
    BudgetRow,
    Complaints,
    CoverageRow,
    Period,
    Reached,
    budget_by_program,
    budget_lines,
    complaints,
    coverage_by_kabupaten,
    people_reached,
)
from .models import ReportNarrative
from .rollups import PROGRAM, delivery_installed, is_quarter_end, quarter_number, reach_in, tally

Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    return None


@dataclass
class ProgramReport:
    program: Any
    period: Period
    as_of: dt.date
    generated_at: dt.datetime
    narrative: ReportNarrative | None
    table: TrackingTable
    reached: Reached
    budget: list[BudgetRow] | None
    health: Health
    risks: list[Any]
    evaluations: list[Evaluation]
    complaints: Complaints | None
    charts: dict[str, charts.Chart] = field(default_factory=dict)

    @property
    def budget_total(self) -> BudgetRow | None:
        if self.budget is None:
            return None
        return BudgetRow(
            _("Total"),
            sum((r.budget for r in self.budget), Decimal("0")),
            sum((r.realised for r in self.budget), Decimal("0")),
        )


def program_report(
    program: Any, period: Period, *, progress: Progress = _no_progress
) -> ProgramReport:
    """Everything a program report shows, for ``period`` (figures to the period's end)."""
    as_of = min(period.end, timezone.localdate())
    progress(5, _("Indicator tracking table"))
    thresholds = thresholds_for(program)
    table = tracking_table(program, as_of=as_of, thresholds=thresholds)
    progress(30, _("People reached"))
    reached = people_reached([program.pk], program.start_date, period.end)
    progress(50, _("Budget"))
    budget = budget_lines(program, period.end.year)
    progress(60, _("Health and risks"))
    complaint_counts = complaints([program.pk], period.start, period.end, as_of)
    health = assess(
        program,
        today=as_of,
        table=table,
        thresholds=thresholds,
        past_sla=complaint_counts.past_sla if complaint_counts else None,
    )
    Risk = apps.get_model("programs", "Risk")
    risks = list(Risk.objects.filter(program=program).select_related("owner"))
    evaluations = list(
        Evaluation.objects.filter(program=program).prefetch_related("recommendations__owner")
    )
    narrative = ReportNarrative.objects.filter(
        program=program, period_start=period.start, period_end=period.end
    ).first()
    progress(75, _("Charts"))
    report = ProgramReport(
        program=program,
        period=period,
        as_of=as_of,
        generated_at=timezone.now(),
        narrative=narrative,
        table=table,
        reached=reached,
        budget=budget,
        health=health,
        risks=risks,
        evaluations=evaluations,
        complaints=complaint_counts,
    )
    report.charts = program_charts(report)
    progress(90, _("Document"))
    return report


def program_charts(report: ProgramReport) -> dict[str, charts.Chart]:
    out = {}
    rows = [r for r in report.table.indicators if r.percent is not None]
    if rows:
        out["indicators"] = charts.light_chart(
            _("Indicators: % of target achieved to date"),
            [r.code for r in rows],
            [r.percent for r in rows],
            [r.light.code for r in rows],
        )
    sex = next((b for b in report.reached.breakdowns if b.dimension == "sex"), None)
    age = next((b for b in report.reached.breakdowns if b.dimension == "age_group"), None)
    if sex and sex.rows:
        out["reached_sex"] = charts.bar_chart(
            _("People reached by sex"),
            [r[1] for r in sex.rows],
            {_("People"): [r[2] for r in sex.rows]},
        )
    if age and age.rows:
        out["reached_age"] = charts.bar_chart(
            _("People reached by age group"),
            [r[1] for r in age.rows],
            {_("People"): [r[2] for r in age.rows]},
        )
    if report.budget:
        out["budget"] = charts.bar_chart(
            _("Budget versus actual"),
            [r.label[:30] for r in report.budget],
            {
                _("Budget"): [r.budget for r in report.budget],
                _("Actual"): [r.realised for r in report.budget],
            },
            horizontal=True,
            unit=report.program.currency,
        )
    return out


@dataclass
class PortfolioRow:
    program: Any
    health: Any
    budget: BudgetRow | None
    reached: int


@dataclass
class PortfolioReport:
    period: Period
    year: int
    generated_at: dt.datetime
    rows: list[PortfolioRow]
    reached: Reached
    coverage: list[CoverageRow]
    complaints: Complaints | None
    charts: dict[str, charts.Chart] = field(default_factory=dict)

    @property
    def budget_total(self) -> BudgetRow | None:
        budgets = [r.budget for r in self.rows if r.budget is not None]
        if not budgets:
            return None
        return BudgetRow(
            _("Total"),
            sum((b.budget for b in budgets), Decimal("0")),
            sum((b.realised for b in budgets), Decimal("0")),
        )


def portfolio_report(
    programs: list[Any], period: Period, *, progress: Progress = _no_progress
) -> PortfolioReport:
    """All programs (those visible to the reader) for one quarter: people reached from the
    start of the year to the quarter's end, budget absorption of the year, health, complaints."""
    ids = [p.pk for p in programs]
    year_start = dt.date(period.end.year, 1, 1)
    today = min(period.end, timezone.localdate())
    progress(10, _("People reached"))
    reached = people_reached(ids, year_start, period.end)
    per_program = _reached_per_program(ids, year_start, period.end)
    progress(40, _("Budget"))
    budgets = budget_by_program(ids, period.end.year)
    progress(60, _("Health"))
    health = latest_health(ids)
    rows = [
        PortfolioRow(
            program=p,
            health=health.get(p.pk),
            budget=(budgets or {}).get(p.pk),
            reached=per_program.get(p.pk, 0),
        )
        for p in programs
    ]
    progress(70, _("Complaints and coverage"))
    report = PortfolioReport(
        period=period,
        year=period.end.year,
        generated_at=timezone.now(),
        rows=rows,
        reached=reached,
        coverage=coverage_by_kabupaten(ids, year_start, period.end, reached=reached),
        complaints=complaints(ids, period.start, period.end, today),
    )
    report.charts = portfolio_charts(report)
    progress(90, _("Document"))
    return report


def _reached_per_program(ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """People reached by each program in the window (from 1 January to a quarter's end: one
    read of the tally; any other window over the rollup rows)."""
    if not delivery_installed():
        return {}
    from django.db.models import Count

    if start == dt.date(end.year, 1, 1) and is_quarter_end(end):
        counts: dict[int, int] = {}
        for ref, _dimension, _code, n in tally(PROGRAM, ids, end.year, quarter_number(end)):
            counts[ref] = counts.get(ref, 0) + n
        return counts
    return dict(
        reach_in(ids, start, end)
        .order_by()
        .values("program_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("program_id", "n")
    )


def portfolio_charts(report: PortfolioReport) -> dict[str, charts.Chart]:
    out = {}
    for breakdown in report.reached.breakdowns:
        if breakdown.rows:
            out[f"reached_{breakdown.dimension}"] = charts.bar_chart(
                _("People reached by %(dimension)s") % {"dimension": breakdown.label.lower()},
                [r[1] for r in breakdown.rows],
                {_("People"): [r[2] for r in breakdown.rows]},
                horizontal=breakdown.dimension == "region",
            )
    with_budget = [r for r in report.rows if r.budget and r.budget.absorption is not None]
    if with_budget:
        out["absorption"] = charts.bar_chart(
            _("Budget absorption %(year)s (%%)") % {"year": report.year},
            [r.program.code for r in with_budget],
            {_("Absorption"): [r.budget.absorption for r in with_budget]},
            horizontal=True,
            unit="%",
        )
    if report.coverage:
        out["coverage"] = charts.bar_chart(
            _("People reached per 1,000 inhabitants"),
            [r.name for r in report.coverage],
            {_("Per 1,000"): [r.per_thousand or 0 for r in report.coverage]},
            horizontal=True,
        )
    return out


# ---------------------------------------------------------------------------------------------
# Renderings
# ---------------------------------------------------------------------------------------------


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The PDF of a report, from the same section templates as its page.

    Python's cyclic garbage collector is paused while the charts are drawn and WeasyPrint lays
    out the document: both allocate hundreds of thousands of objects that live until the end,
    and the collector walked them, and every other object of the process (Django, matplotlib,
    WeasyPrint), again and again: 0.4-1.5 s of the first report in a process, 0.1-0.7 s of
    later ones. The objects the rendering made are then collected once (the youngest
    generation, where they all are), so a PDF leaves no collection behind for the next request.
    """
    from weasyprint import HTML

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        html = render_to_string(template, context)
        return HTML(string=html, base_url=None).write_pdf()
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))


def program_report_xlsx(report: ProgramReport) -> bytes:
    """One sheet per section; the ITT sheet holds exactly the rows of the ITT export."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    program = report.program
    _sheet(
        workbook,
        _("Cover"),
        [_("Field"), _("Value")],
        [
            [_("Program"), f"{program.code} {program.name}"],
            [_("Period"), report.period.label],
            [_("Period start"), report.period.start],
            [_("Period end"), report.period.end],
            [_("Figures as of"), report.as_of],
            [_("Org unit"), str(program.org_unit)],
            [_("Manager"), str(program.manager or "")],
            [_("Generated at"), report.generated_at],
        ],
    )
    narrative = report.narrative
    _sheet(
        workbook,
        _("Summary"),
        [_("Section"), _("Text")],
        [
            [_("Summary"), narrative.summary if narrative else ""],
            [_("Achievements"), narrative.achievements if narrative else ""],
            [_("Challenges"), narrative.challenges if narrative else ""],
            [_("Lessons learned"), narrative.lessons if narrative else ""],
            [_("Next steps"), narrative.next_steps if narrative else ""],
        ],
    )
    _sheet(workbook, _("Indicators"), flat_headers(), flat_rows(report.table))
    reached_rows = [[_("Total"), "", report.reached.total]]
    for breakdown in report.reached.breakdowns:
        reached_rows += [[breakdown.label, label, n] for _code, label, n in breakdown.rows]
    _sheet(
        workbook,
        _("People reached"),
        [_("Disaggregation"), _("Category"), _("People")],
        reached_rows,
    )
    budget_rows = [[r.label, r.budget, r.realised, r.absorption] for r in report.budget or []]
    if report.budget_total:
        total = report.budget_total
        budget_rows.append([total.label, total.budget, total.realised, total.absorption])
    _sheet(
        workbook,
        _("Budget"),
        [_("Budget line"), _("Budget"), _("Actual"), _("Absorption (%)")],
        budget_rows,
    )
    health_rows = [[_("Health"), report.health.label, ""]]
    health_rows += [[_("Reason"), r.text, r.level] for r in report.health.reasons]
    health_rows += [
        [
            _("Risk"),
            risk.description,
            f"{risk.likelihood}×{risk.impact}={risk.score} {risk.get_status_display()}",
        ]
        for risk in report.risks
    ]
    _sheet(workbook, _("Health and risks"), [_("Item"), _("Description"), _("Level")], health_rows)
    evaluation_rows = []
    for evaluation in report.evaluations:
        evaluation_rows.append(
            [
                evaluation.title,
                evaluation.get_evaluation_type_display(),
                evaluation.findings,
                "",
                "",
                "",
                "",
            ]
        )
        for rec in evaluation.recommendations.all():
            evaluation_rows.append(
                [
                    evaluation.title,
                    _("Recommendation"),
                    rec.text,
                    rec.get_response_display(),
                    str(rec.owner or ""),
                    rec.due_date,
                    rec.get_status_display(),
                ]
            )
    _sheet(
        workbook,
        _("Evaluations"),
        [
            _("Evaluation"),
            _("Type"),
            _("Findings / recommendation"),
            _("Response"),
            _("Owner"),
            _("Due date"),
            _("Status"),
        ],
        evaluation_rows,
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def portfolio_report_xlsx(report: PortfolioReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Cover"),
        [_("Field"), _("Value")],
        [
            [_("Report"), _("Portfolio report")],
            [_("Period"), report.period.label],
            [_("Generated at"), report.generated_at],
        ],
    )
    _sheet(
        workbook,
        _("Programs"),
        [
            _("Code"),
            _("Program"),
            _("Status"),
            _("Health"),
            _("Reasons"),
            _("People reached"),
            _("Budget"),
            _("Actual"),
            _("Absorption (%)"),
        ],
        [
            [
                r.program.code,
                r.program.name,
                r.program.get_status_display(),
                r.health.get_status_display() if r.health else "",
                " ".join(x["text"] for x in r.health.reasons) if r.health else "",
                r.reached,
                r.budget.budget if r.budget else None,
                r.budget.realised if r.budget else None,
                r.budget.absorption if r.budget else None,
            ]
            for r in report.rows
        ],
    )
    reached_rows = [[_("Total"), "", report.reached.total]]
    for breakdown in report.reached.breakdowns:
        reached_rows += [[breakdown.label, label, n] for _code, label, n in breakdown.rows]
    _sheet(
        workbook,
        _("People reached"),
        [_("Disaggregation"), _("Category"), _("People")],
        reached_rows,
    )
    _sheet(
        workbook,
        _("Coverage"),
        [_("Code"), _("Region"), _("People reached"), _("Population"), _("Per 1,000")],
        [[r.code, r.name, r.reached, r.population, r.per_thousand] for r in report.coverage],
    )
    c = report.complaints
    _sheet(
        workbook,
        _("Complaints"),
        [_("Measure"), _("Count")],
        (
            [
                [_("Received in the period"), c.received],
                [_("Resolved in the period"), c.resolved],
                [_("Open"), c.open],
                [_("Past SLA"), c.past_sla],
            ]
            + [[name, n] for name, n in c.by_category]
        )
        if c
        else [],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
