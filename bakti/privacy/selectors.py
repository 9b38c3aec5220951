"""Reads of the audit trail and access log, for auditors and administrators."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from bakti.accounts.access import visible_modules
from bakti.accounts.roles import VIEW

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


def audit_values_readable(user: Any) -> Callable[[AuditEvent], bool]:
    """Whether ``user`` may read what an event recorded (its values and the record's name): the
    trail lists every event, but the values of a module's records only to those who may view
    that module (an administrator sees that a case was changed, not its summary)."""
    readable = visible_modules(user)

    def check(event: AuditEvent) -> bool:
        module = event.object_type.partition(".")[0]
        return module not in VIEW or module in readable

    return check


def access_log_list(filters: dict[str, Any]) -> QuerySet[AccessLog]:
    return _common(AccessLog.objects.select_related("actor"), filters)
