"""Dashboards and report documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.stale import show_stale_edit
from bakti.monitoring.selectors import alert_list_for_user, program_get_for_user
from bakti.privacy.audit import StaleEdit

from . import charts, documents, iati, services, tasks
from .data import coverage_by_kabupaten, parse_quarter, visible_programs
from .forms import NarrativeForm
from .models import JobStatus, ReportJob, ReportKind, ReportNarrative

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quarter(request: HttpRequest) -> Any:
    return parse_quarter(request.GET.get("quarter"), timezone.localdate())


def _quarter_text(period: Any) -> str:
    return period.label.replace(" ", "-")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require("reports.view")
def portfolio(request: HttpRequest) -> HttpResponse:
    """The department head's and manager's first page: every program they may see."""
    period = _quarter(request)
    report = documents.portfolio_report(list(visible_programs(request.user)), period)
    return render(
        request,
        "reports/portfolio.html",
        {
            "report": report,
            "quarter": _quarter_text(period),
            "unread_alerts": alert_list_for_user(request.user, unread_only=True).count(),
        },
    )


@require("reports.view")
def portfolio_report(request: HttpRequest) -> HttpResponse:
    period = _quarter(request)
    report = documents.portfolio_report(list(visible_programs(request.user)), period)
    name = f"portfolio-{_quarter_text(period)}"
    if request.GET.get("format") == "pdf":
        pdf = documents.render_pdf("reports/portfolio_pdf.html", {"report": report})
        return _download(pdf, f"{name}.pdf", "application/pdf")
    if request.GET.get("format") == "xlsx":
        return _download(documents.portfolio_report_xlsx(report), f"{name}.xlsx", XLSX)
    return redirect(f"{_url('reports:portfolio')}?quarter={_quarter_text(period)}")


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@require("reports.view")
def region_view(request: HttpRequest) -> HttpResponse:
    period = _quarter(request)
    ids = list(visible_programs(request.user).values_list("pk", flat=True))
    from datetime import date

    rows = coverage_by_kabupaten(ids, date(period.end.year, 1, 1), period.end)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Code"), lambda r: r.code),
            Column(_("Region"), lambda r: r.name),
            Column(_("People reached"), lambda r: r.reached),
            Column(_("Population"), lambda r: r.population),
            Column(_("Per 1,000"), lambda r: r.per_thousand),
        ]
        return export_response(rows, columns, filename="coverage", file_format=export)
    chart = ""
    if rows:
        chart = charts.bar_chart(
            _("People reached per 1,000 inhabitants"),
            [r.name for r in rows],
            {_("Per 1,000"): [r.per_thousand or 0 for r in rows]},
            horizontal=True,
        )
    return render(
        request, "reports/region_view.html", {"rows": rows, "chart": chart, "period": period}
    )


@require("reports.view")
def program_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get_for_user(request.user, pk, capability="reports.view")
    report = documents.program_report(program, _quarter(request))
    return render(request, "reports/program_dashboard.html", {"report": report})


@require("reports.view")
def program_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The program report as a page, or as PDF / XLSX (``?format=``): one report object,
    three renderings."""
    program = program_get_for_user(request.user, pk, capability="reports.view")
    period = _quarter(request)
    report = documents.program_report(program, period)
    name = f"report-{program.code}-{_quarter_text(period)}"
    file_format = request.GET.get("format")
    if file_format == "pdf":
        pdf = documents.render_pdf("reports/program_report_pdf.html", {"report": report})
        return _download(pdf, f"{name}.pdf", "application/pdf")
    if file_format == "xlsx":
        return _download(documents.program_report_xlsx(report), f"{name}.xlsx", XLSX)
    return render(
        request,
        "reports/program_report.html",
        {
            "report": report,
            "quarter": _quarter_text(period),
            "can_write": has(request.user, "monitoring.enter")
            or request.user.pk == program.manager_id,
        },
    )


@require("reports.view")
def narrative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_get_for_user(request.user, pk, capability="reports.view")
    period = _quarter(request)
    current = ReportNarrative.objects.filter(
        program=program, period_start=period.start, period_end=period.end
    ).first()
    form = NarrativeForm(
        request.POST or None,
        instance=current,
        initial={"version": current.version if current else None},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.narrative_save(
                actor=request.user,
                program=program,
                period=period,
                data=data,
                expected_version=form.cleaned_data.get("version") if current else None,
            )
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The narrative was saved."))
            return redirect(
                f"{_url('reports:program_report', program.pk)}?quarter={_quarter_text(period)}"
            )
    return render(
        request,
        "reports/narrative_form.html",
        {"form": form, "program": program, "period": period, "quarter": _quarter_text(period)},
    )


@require("reports.view")
@require_http_methods(["GET", "POST"])
def job_create(request: HttpRequest) -> HttpResponse:
    """Make a report in the background (for large programs or portfolios) and follow its
    progress. A GET only shows what would be made and asks to confirm; the job is created by
    the POST of that form (or of the button on the program report)."""
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("kind", ReportKind.PROGRAM)
    file_format = params.get("format", "pdf")
    if kind not in ReportKind.values or file_format not in ("pdf", "xlsx", "xml"):
        raise Http404
    program = None
    if params.get("program"):
        try:
            program_id = int(params["program"])
        except ValueError:
            raise Http404 from None
        program = program_get_for_user(request.user, program_id, capability="reports.view")
    elif kind == ReportKind.PROGRAM:
        raise Http404
    if kind == ReportKind.IATI:
        file_format = "xml"
    period = parse_quarter(params.get("quarter"), timezone.localdate())
    if request.method != "POST":
        return render(
            request,
            "reports/job_confirm.html",
            {
                "kind": kind,
                "kind_label": ReportKind(kind).label,
                "file_format": file_format,
                "program": program,
                "quarter": _quarter_text(period),
            },
        )
    job = services.report_job_create(
        actor=request.user,
        kind=kind,
        file_format=file_format,
        period=period,
        program=program,
    )
    transaction.on_commit(lambda: tasks.run_report_job.enqueue(job.pk))
    return redirect("reports:job_detail", pk=job.pk)


def _job_for(request: HttpRequest, pk: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404
    return job


@require("reports.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    template = "reports/job_detail.html#progress" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job})


@require("reports.view")
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.split("/")[-1]
    )


@require("reports.view")
def iati_export(request: HttpRequest) -> HttpResponse:
    """IATI 2.03 XML of one program (``?program=ID``) or of every program the user sees."""
    if request.GET.get("program"):
        try:
            program_id = int(request.GET["program"])
        except ValueError:
            raise Http404 from None
        programs = [program_get_for_user(request.user, program_id, capability="reports.view")]
        name = f"iati-{programs[0].code}.xml"
    else:
        programs = list(visible_programs(request.user).prefetch_related("regions"))
        name = "iati-activities.xml"
    return _download(iati.iati_activities(programs), name, "application/xml")
