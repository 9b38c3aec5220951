"""Scoped reads of imports: a job is visible to whoever started it, and to users who may
import without a region limit (the department's registry officers and managers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from bakti.accounts.access import scope_for
from bakti.registry.models import ColumnMapping, ImportJob

IMPORT_CAPABILITY = "registry.import"


def import_job_list_for_user(user: Any, *, status: str = "") -> QuerySet:
    scope = scope_for(user, IMPORT_CAPABILITY)
    if scope.empty:
        return ImportJob.objects.none()
    jobs = ImportJob.objects.all()
    if scope.region_codes is not None:
        jobs = jobs.filter(Q(created_by=user))
    if status:
        jobs = jobs.filter(status=status)
    return jobs.select_related("created_by", "mapping").order_by("-created_at", "-id")


def import_job_get_for_user(user: Any, pk: int) -> ImportJob:
    job = import_job_list_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def column_mapping_list_for_user(user: Any) -> QuerySet:
    if scope_for(user, IMPORT_CAPABILITY).empty:
        return ColumnMapping.objects.none()
    return ColumnMapping.objects.select_related("created_by").order_by("name")
