"""Writes of the import module: saved column mappings, import jobs and running them."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.core.row_errors import RowError, write_error_report
from bakti.core.scoping import Scope
from bakti.core.spreadsheet_safety import neutralise
from bakti.core.uploads import check_upload as check_file
from bakti.privacy.audit import audited_create, record
from bakti.privacy.models import AuditAction
from bakti.registry.models import ColumnMapping, ImportJob, JobStatus, MappingLayout

from . import engine
from .checking import ColumnPlan, RowChecker
from .layouts import TARGETS, guess_layout, layout_mapping, missing_targets, target_label
from .reading import UnreadableFile, check_zip, open_sheet

IMPORT_CAPABILITY = "registry.import"


def check_upload(upload: UploadedFile | File) -> str:
    """The file format ("csv" or "xlsx") of an upload, or ValidationError saying what is wrong:
    too large (``BAKTI_MAX_UPLOAD_MB``), not CSV/XLSX by name or by content (the project's upload
    check, kind "import"), or a zip bomb."""
    checked = check_file(upload, "import")
    if checked.extension != "xlsx":
        return "csv"
    try:
        check_zip(upload)
    except UnreadableFile as exc:
        raise ValidationError(str(exc)) from None
    return "xlsx"


def clean_mapping(mapping: dict[str, str], header: list[str] | None = None) -> dict[str, str]:
    """Only known target fields, each used once, every required one present."""
    cleaned: dict[str, str] = {}
    used: set[str] = set()
    for source, target in mapping.items():
        if not target:
            continue
        if target not in TARGETS:
            raise ValidationError(
                _("“%(target)s” is not a field an import can fill.") % {"target": target}
            )
        if target in used:
            raise ValidationError(
                _("Two columns are mapped to “%(field)s”; map only one.")
                % {"field": target_label(target)}
            )
        if header is not None and source not in header:
            raise ValidationError(_("The file has no column “%(column)s”.") % {"column": source})
        used.add(target)
        cleaned[str(source)] = target
    missing = missing_targets(cleaned)
    if missing:
        raise ValidationError(
            _("These fields must be mapped to a column: %(fields)s.")
            % {"fields": ", ".join(target_label(m) for m in missing)}
        )
    return cleaned


@transaction.atomic
def column_mapping_create(
    *, actor: Any, name: str, mapping: dict[str, str], layout: str = MappingLayout.CUSTOM
) -> ColumnMapping:
    """Save a column mapping under a name, for the next file with the same columns."""
    saved = ColumnMapping(
        name=name.strip(), layout=layout, mapping=clean_mapping(mapping), created_by=actor
    )
    return audited_create(saved, actor=actor)


def read_header(job: ImportJob) -> list[str]:
    with job.source_file.open("rb") as handle:
        sheet = open_sheet(handle, job.file_format)
        header = sheet.header
        sheet.rows.close()  # type: ignore[attr-defined]
    return header


@transaction.atomic
def import_job_create(
    *,
    actor: Any,
    upload: UploadedFile | File,
    mapping: ColumnMapping | None = None,
    start: bool = False,
) -> ImportJob:
    """Store an uploaded file as a queued import job (checked for size, type and zip bombs).
    The columns are mapped next (:func:`import_job_set_mapping`), or at once with ``start`` when
    a saved mapping or a built-in layout fits the header."""
    if actor is not None and scope_for(actor, IMPORT_CAPABILITY).empty:
        raise PermissionDenied
    name = Path(upload.name or "upload").name
    file_format = check_upload(upload)
    job = ImportJob(
        created_by=actor,
        kind="registry",
        original_name=name[:255],
        file_format=file_format,
        mapping=mapping,
        language=get_language() or settings.LANGUAGE_CODE,
    )
    job.source_file.save(name, upload, save=False)
    job = audited_create(job, actor=actor, exclude_from_log=["source_file"])
    try:
        header = read_header(job)
    except UnreadableFile as exc:
        raise ValidationError(str(exc)) from None
    if mapping is not None:
        column_map = {k: v for k, v in mapping.mapping.items() if k in header}
    else:
        layout = guess_layout(header)
        column_map = layout_mapping(layout, header) if layout != MappingLayout.CUSTOM else {}
    job.column_map = column_map
    job.save(update_fields=["column_map"])
    if start:
        import_job_set_mapping(actor=actor, job=job, column_map=column_map)
    return job


@transaction.atomic
def import_job_set_mapping(*, actor: Any, job: ImportJob, column_map: dict[str, str]) -> ImportJob:
    """Fix the columns of a queued job and start it in the background."""
    if job.status != JobStatus.QUEUED or job.started_at is not None:
        raise ValidationError(_("This import has already started."))
    header = read_header(job)
    job.column_map = clean_mapping(column_map, header)
    job.started_at = timezone.now()
    job.save(update_fields=["column_map", "started_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=job,
        changes={"column_map": [None, job.column_map]},
        reason=_("Import started"),
    )
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


class _ReportFile:
    """A CSV report written chunk by chunk to a temporary file, in the import's language."""

    def __init__(self) -> None:
        self.handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in save()
            "w+", suffix=".csv", encoding="utf-8-sig", newline="", delete=False
        )
        write_error_report([], self.handle)
        self.writer = csv.writer(self.handle)
        self.count = 0

    def write(self, errors: list[RowError]) -> None:
        for error in errors:
            self.writer.writerow([error.row, error.column, neutralise(error.value), error.reason])
            self.count += 1
        self.handle.flush()

    def save_to(self, field: Any, name: str) -> None:
        self.handle.close()
        try:
            if self.count:
                with open(self.handle.name, "rb") as handle:
                    field.save(name, File(handle), save=False)
        finally:
            os.unlink(self.handle.name)


def estimate_rows(job: ImportJob) -> int:
    """Data rows in the file, counted fast (lines for CSV, the sheet's dimension for XLSX)."""
    with job.source_file.open("rb") as handle:
        if job.file_format == "csv":
            lines = 0
            last = b""
            while block := handle.read(1024 * 1024):
                lines += block.count(b"\n")
                last = block
            if last and not last.endswith(b"\n"):
                lines += 1
            return max(lines - 1, 0)
        from openpyxl import load_workbook

        workbook = load_workbook(handle, read_only=True)
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()


def import_job_run(
    *, job_id: int, chunk_rows: int | None = None, find_duplicates: bool = True
) -> ImportJob:
    """Run a started import to the end. Safe to run twice: a finished job is left alone, and a
    job interrupted half-way (its worker killed; ``bakti worker`` puts such a task back in the
    queue) resumes after the last committed chunk, whose counts were saved with it, so no row
    is lost or written twice. Afterwards the fuzzy duplicate search runs over the kabupaten
    written to, unless ``find_duplicates`` is off (a later search over the registry will)."""
    if chunk_rows is None:
        chunk_rows = getattr(settings, "BAKTI_IMPORT_CHUNK_ROWS", engine.CHUNK_ROWS)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _run(job, chunk_rows, find_duplicates)


def _scope(actor: Any) -> Scope:
    return Scope(everything=True) if actor is None else scope_for(actor, IMPORT_CAPABILITY)


def _saved_counts(job: ImportJob) -> engine.Counts | None:
    """What the committed chunks of an interrupted run wrote, or None for a fresh run."""
    if job.status != JobStatus.RUNNING or not job.processed_rows:
        return None
    return engine.Counts(
        rows=job.processed_rows,
        created_households=job.created_households,
        updated_households=job.updated_households,
        created_people=job.created_people,
        updated_people=job.updated_people,
        rejected_rows=job.rejected_rows,
        warning_rows=job.warning_rows,
    )


def _run(job: ImportJob, chunk_rows: int, find_duplicates: bool = True) -> ImportJob:
    actor = job.created_by
    resume = _saved_counts(job)
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        started_at=job.started_at or timezone.now(),
        total_rows=estimate_rows(job) if job.file_format == "csv" else 0,
        processed_rows=resume.rows if resume else 0,
        message="",
    )
    errors = _ReportFile()
    warnings = _ReportFile()
    regions: set[str] = set()
    try:
        with job.source_file.open("rb") as handle:
            sheet = open_sheet(handle, job.file_format)
            if job.file_format == "xlsx":
                ImportJob.objects.filter(pk=job.pk).update(total_rows=estimate_rows(job))
            column_map = clean_mapping(job.column_map, sheet.header)
            checker = RowChecker(
                plan=ColumnPlan.build(sheet.header, column_map),
                desa_codes=engine.RegionCodes(4),
                kecamatan_codes=engine.RegionCodes(3),
                scope=_scope(actor),
            )
            ctx = engine.ImportContext(checker=checker, actor=actor, job_id=job.pk)

            def on_chunk(total: engine.Counts, chunk_errors: list, chunk_warnings: list) -> None:
                errors.write(chunk_errors)
                warnings.write(chunk_warnings)
                ImportJob.objects.filter(pk=job.pk).update(
                    processed_rows=total.rows,
                    created_households=total.created_households,
                    updated_households=total.updated_households,
                    created_people=total.created_people,
                    updated_people=total.updated_people,
                    rejected_rows=total.rejected_rows,
                    warning_rows=total.warning_rows,
                )

            total = engine.run(
                sheet.rows, ctx, chunk_rows=chunk_rows, on_chunk=on_chunk, resume=resume
            )
            regions = ctx.regions
    except (UnreadableFile, ValidationError) as exc:
        return _finish(job, errors, warnings, status=JobStatus.FAILED, message=_message(exc))
    except Exception as exc:
        job.refresh_from_db()
        message = _(
            "The import stopped after row %(rows)d because of an unexpected error (%(error)s). "
            "Every household up to there was saved completely; nothing of the interrupted batch "
            "was saved. Import the same file again: saved rows will be updated, not duplicated."
        ) % {"rows": job.processed_rows, "error": type(exc).__name__}
        _finish(job, errors, warnings, status=JobStatus.FAILED, message=message)
        raise
    from bakti.registry.dedup.services import duplicate_search

    found = (
        duplicate_search(actor=None, kabupaten=sorted({code[:5] for code in regions}))
        if find_duplicates
        else 0
    )
    ImportJob.objects.filter(pk=job.pk).update(
        total_rows=total.rows, processed_rows=total.rows, duplicates_suspected=found
    )
    job.refresh_from_db()
    return _finish(job, errors, warnings, status=JobStatus.DONE, message="")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def _finish(
    job: ImportJob, errors: _ReportFile, warnings: _ReportFile, *, status: str, message: str
) -> ImportJob:
    job.refresh_from_db()
    errors.save_to(job.error_report, f"errors-{job.pk}.csv")
    warnings.save_to(job.warning_report, f"warnings-{job.pk}.csv")
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["error_report", "warning_report", "status", "message", "finished_at"])
    record(
        actor=job.created_by,
        action=AuditAction.IMPORT,
        obj=job,
        changes={
            "status": [None, status],
            "rows": [None, job.processed_rows],
            "rejected": [None, job.rejected_rows],
        },
        reason=message[:500],
    )
    return job
