"""Writes of the reports app: the narrative of a program report and background report jobs.
(Reports write nobody else's records.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.privacy.audit import audited_create, audited_update

from .data import Period
from .models import JobStatus, ReportJob, ReportNarrative


@transaction.atomic
def narrative_save(
    *,
    actor: Any,
    program: Any,
    period: Period,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> ReportNarrative:
    """Write (or rewrite) the narrative sections of a program's report for one period: the
    program's manager or anyone who may edit programs in its org unit."""
    allowed = getattr(actor, "pk", None) == program.manager_id or scope_for(
        actor, "monitoring.enter"
    ).contains(org_unit_id=program.org_unit_id)
    if actor is not None and not allowed:
        raise PermissionDenied(_("Only the program's manager or its M&E staff write its report."))
    existing = ReportNarrative.objects.filter(
        program=program, period_start=period.start, period_end=period.end
    ).first()
    if existing is None:
        return audited_create(
            ReportNarrative(
                program=program,
                period_start=period.start,
                period_end=period.end,
                written_by=actor if getattr(actor, "pk", None) else None,
                **data,
            ),
            actor=actor,
        )
    narrative, _changes = audited_update(
        existing, actor=actor, data=dict(data), expected_version=expected_version
    )
    return narrative


@transaction.atomic
def report_job_create(
    *, actor: Any, kind: str, file_format: str, period: Period, program: Any = None
) -> ReportJob:
    job = ReportJob(
        kind=kind,
        file_format=file_format,
        program=program,
        period_start=period.start,
        period_end=period.end,
        requested_by=actor,
    )
    job.full_clean()
    job.save()
    return job


def _progress(job: ReportJob) -> Any:
    def update(percent: int, step: str) -> None:
        ReportJob.objects.filter(pk=job.pk).update(
            progress=percent, step=step[:200], status=JobStatus.RUNNING
        )

    return update


def report_job_run(*, job: ReportJob) -> ReportJob:
    """Make the document of ``job``, updating its progress as it goes. Safe to run twice: a
    job that is already done is left alone."""
    from django.apps import apps

    from . import documents, iati

    if job.status == JobStatus.DONE:
        return job
    period = Period(job.period_start, job.period_end, "")
    from .data import quarter_of

    period = quarter_of(job.period_start) if job.kind != "iati" else period
    progress = _progress(job)
    try:
        if job.kind == "program":
            report = documents.program_report(job.program, period, progress=progress)
            name = f"report-{job.program.code}-{period.label.replace(' ', '')}"
            if job.file_format == "pdf":
                content = documents.render_pdf(
                    "reports/program_report_pdf.html", {"report": report}
                )
            else:
                content = documents.program_report_xlsx(report)
        elif job.kind == "portfolio":
            from .data import visible_programs

            programs = list(visible_programs(job.requested_by))
            report = documents.portfolio_report(programs, period, progress=progress)
            name = f"portfolio-{period.label.replace(' ', '')}"
            if job.file_format == "pdf":
                content = documents.render_pdf("reports/portfolio_pdf.html", {"report": report})
            else:
                content = documents.portfolio_report_xlsx(report)
        else:
            Program = apps.get_model("programs", "Program")
            programs = [job.program] if job.program else list(Program.objects.order_by("code"))
            content = iati.iati_activities(programs)
            name = "iati-activities"
        job.file.save(f"{name}.{job.file_format}", ContentFile(content), save=False)
        job.status = JobStatus.DONE
        job.progress = 100
        job.step = ""
    except Exception as error:  # a failed document is reported on the job page, not lost
        job.status = JobStatus.FAILED
        job.error = f"{type(error).__name__}: {error}"
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "step", "error", "finished_at"])
    return job
