"""The reports API at /api/v1/reports/: program and portfolio reports as PDF or XLSX, and the
IATI export. The same functions as the pages and the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from bakti.accounts.access import has
from bakti.monitoring.selectors import program_get_for_user

from . import documents, iati
from .data import parse_quarter, visible_programs

router = Router(tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(request: HttpRequest) -> None:
    if not has(request.user, "reports.view"):
        raise PermissionDenied


def _file(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/programs/{program_id}/report")
def program_report(
    request: HttpRequest, program_id: int, format: str = "pdf", quarter: str | None = None
) -> Any:
    """The program report as ``pdf`` or ``xlsx`` for a quarter (``2026-Q3``)."""
    _need(request)
    program = program_get_for_user(request.user, program_id, capability="reports.view")
    period = parse_quarter(quarter, timezone.localdate())
    report = documents.program_report(program, period)
    name = f"report-{program.code}-{period.label.replace(' ', '-')}"
    if format == "xlsx":
        return _file(documents.program_report_xlsx(report), f"{name}.xlsx", XLSX)
    pdf = documents.render_pdf("reports/program_report_pdf.html", {"report": report})
    return _file(pdf, f"{name}.pdf", "application/pdf")


@router.get("/portfolio")
def portfolio_report(request: HttpRequest, format: str = "pdf", quarter: str | None = None) -> Any:
    _need(request)
    period = parse_quarter(quarter, timezone.localdate())
    report = documents.portfolio_report(list(visible_programs(request.user)), period)
    name = f"portfolio-{period.label.replace(' ', '-')}"
    if format == "xlsx":
        return _file(documents.portfolio_report_xlsx(report), f"{name}.xlsx", XLSX)
    pdf = documents.render_pdf("reports/portfolio_pdf.html", {"report": report})
    return _file(pdf, f"{name}.pdf", "application/pdf")


@router.get("/iati")
def iati_export(request: HttpRequest, program: int | None = None) -> Any:
    """IATI 2.03 ``iati-activities`` XML of one program or of every visible program."""
    _need(request)
    if program is not None:
        programs = [program_get_for_user(request.user, program, capability="reports.view")]
    else:
        programs = list(visible_programs(request.user))
    return _file(iati.iati_activities(programs), "iati-activities.xml", "application/xml")
