"""The import API at /api/v1/registry/imports/: start an import, follow it, read its report.

Same services and selectors as the pages. An upload whose columns are recognised (Bakti or
DTKS layout, or the saved mapping named) starts at once; otherwise 422 says which fields are
not mapped.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.registry.models import ColumnMapping

from . import services
from .selectors import import_job_get_for_user, import_job_list_for_user

router = Router(tags=["registry imports"])
CAPABILITY = "registry.import"


class ImportJobOut(Schema):
    id: int
    original_name: str
    file_format: str
    status: str
    column_map: dict[str, str]
    total_rows: int
    processed_rows: int
    created_households: int
    updated_households: int
    created_people: int
    updated_people: int
    rejected_rows: int
    warning_rows: int
    duplicates_suspected: int
    message: str
    has_error_report: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_has_error_report(job) -> bool:
        return bool(job.error_report)


def _require(request: HttpRequest) -> None:
    if not has(request.user, CAPABILITY):
        raise PermissionDenied


@router.get("/", response=list[ImportJobOut])
@paginate
def list_imports(request: HttpRequest, status: str = ""):
    _require(request)
    return import_job_list_for_user(request.user, status=status)


@router.get("/{job_id}", response=ImportJobOut)
def get_import(request: HttpRequest, job_id: int):
    _require(request)
    return import_job_get_for_user(request.user, job_id)


@router.post("/", response={201: ImportJobOut})
def create_import(request: HttpRequest, file: File[UploadedFile], mapping: Form[str] = ""):
    """Upload a CSV or XLSX file and start importing it."""
    _require(request)
    saved = None
    if mapping:
        saved = ColumnMapping.objects.filter(name=mapping).first()
        if saved is None:
            raise ValidationError({"mapping": ["There is no saved column mapping of this name."]})
    with transaction.atomic():
        job = services.import_job_create(actor=request.user, upload=file, mapping=saved)
        services.import_job_set_mapping(actor=request.user, job=job, column_map=job.column_map)
    job.refresh_from_db()
    return 201, job


@router.get("/{job_id}/errors", response={200: None})
def error_report(request: HttpRequest, job_id: int):
    """The rejected rows as CSV (row, column, value, reason)."""
    _require(request)
    job = import_job_get_for_user(request.user, job_id)
    if not job.error_report:
        raise Http404
    return FileResponse(job.error_report.open("rb"), as_attachment=True, filename="errors.csv")
