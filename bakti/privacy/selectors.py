"""Reads of the audit trail and access log, for auditors and administrators."""

from typing import Any

from django.db.models import QuerySet

from .models import AccessLog, AuditEvent


def _common(queryset: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    if filters.get("actor"):
        queryset = queryset.filter(actor__username__icontains=filters["actor"])
    if filters.get("object_type"):
        queryset = queryset.filter(object_type__icontains=filters["object_type"])
    if filters.get("object_id"):
        queryset = queryset.filter(object_id=filters["object_id"])
    if filters.get("date_from"):
        queryset = queryset.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(at__date__lte=filters["date_to"])
    return queryset


def audit_event_list(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    events = _common(AuditEvent.objects.select_related("actor"), filters)
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    return events


def access_log_list(filters: dict[str, Any]) -> QuerySet[AccessLog]:
    return _common(AccessLog.objects.select_related("actor"), filters)
