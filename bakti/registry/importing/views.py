"""Pages of bulk import: upload, map the columns, watch the progress, read the summary."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bakti.accounts.access import require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.registry.models import JobStatus

from . import services
from .forms import ColumnsForm, JobFilterForm, UploadForm
from .layouts import BAKTI_COLUMNS
from .reading import UnreadableFile
from .selectors import (
    column_mapping_list_for_user,
    import_job_get_for_user,
    import_job_list_for_user,
)

CAPABILITY = "registry.import"


@require(CAPABILITY)
def job_list(request: HttpRequest) -> HttpResponse:
    form = JobFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    jobs = import_job_list_for_user(request.user, status=status)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("File"), lambda j: j.original_name),
            Column(_("Started by"), lambda j: j.created_by.username if j.created_by else ""),
            Column(_("Created"), lambda j: j.created_at),
            Column(_("Status"), lambda j: j.get_status_display()),
            Column(_("Rows"), lambda j: j.processed_rows),
            Column(_("Households created"), lambda j: j.created_households),
            Column(_("Households updated"), lambda j: j.updated_households),
            Column(_("People created"), lambda j: j.created_people),
            Column(_("People updated"), lambda j: j.updated_people),
            Column(_("Rows rejected"), lambda j: j.rejected_rows),
            Column(_("Duplicates suspected"), lambda j: j.duplicates_suspected),
        ]
        return export_response(jobs.iterator(), columns, filename="imports", file_format=export)
    page = page_of(request, jobs)
    template = (
        "registry/imports/job_list.html#results"
        if request.htmx
        else "registry/imports/job_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@require(CAPABILITY)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    mappings = column_mapping_list_for_user(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            return redirect("registry:imports:columns", pk=job.pk)
    return render(request, "registry/imports/upload.html", {"form": form})


@require(CAPABILITY)
@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get_for_user(request.user, pk)
    if job.started_at is not None or job.status != JobStatus.QUEUED:
        return redirect("registry:imports:detail", pk=job.pk)
    try:
        header = services.read_header(job)
    except UnreadableFile as exc:
        messages.error(request, str(exc))
        return redirect("registry:imports:upload")
    form = ColumnsForm(request.POST or None, header=header, initial_map=job.column_map)
    if request.method == "POST" and form.is_valid():
        column_map = form.column_map()
        try:
            if form.cleaned_data["save_as"]:
                services.column_mapping_create(
                    actor=request.user, name=form.cleaned_data["save_as"], mapping=column_map
                )
            services.import_job_set_mapping(actor=request.user, job=job, column_map=column_map)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("registry:imports:detail", pk=job.pk)
    return render(request, "registry/imports/columns.html", {"form": form, "job": job})


@require(CAPABILITY)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_get_for_user(request.user, pk)
    context = {
        "job": job,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and job.started_at,
        "percent": min(100, round(100 * job.processed_rows / job.total_rows))
        if job.total_rows
        else 0,
    }
    template = (
        "registry/imports/job_detail.html#progress"
        if request.htmx
        else "registry/imports/job_detail.html"
    )
    return render(request, template, context)


def _report(field, name: str) -> FileResponse:
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@require(CAPABILITY)
def error_report(request: HttpRequest, pk: int) -> FileResponse:
    job = import_job_get_for_user(request.user, pk)
    return _report(job.error_report, f"import-{job.pk}-rejected-rows.csv")


@require(CAPABILITY)
def warning_report(request: HttpRequest, pk: int) -> FileResponse:
    job = import_job_get_for_user(request.user, pk)
    return _report(job.warning_report, f"import-{job.pk}-warnings.csv")


@require(CAPABILITY)
def template_csv(request: HttpRequest) -> HttpResponse:
    """An empty file in the Bakti layout, to fill in a spreadsheet."""
    out = io.StringIO()
    csv.writer(out).writerow(BAKTI_COLUMNS)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="bakti-registry-template.csv"'
    return response
