from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bakti.accounts.access import require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of

from .forms import AccessFilterForm, AuditFilterForm
from .selectors import access_log_list, audit_event_list, audit_values_readable


@require("privacy.audit")
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(filters)
    readable = audit_values_readable(request.user)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("At"), lambda e: e.at),
            Column(_("User"), lambda e: e.actor.username if e.actor else ""),
            Column(_("Action"), lambda e: e.get_action_display()),
            Column(_("Object type"), lambda e: e.object_type),
            Column(_("Object id"), lambda e: e.object_id),
            Column(_("Object"), lambda e: e.object_repr if readable(e) else ""),
            Column(_("Changes"), lambda e: e.changes if readable(e) else sorted(e.changes)),
            Column(_("Reason"), lambda e: e.reason),
            Column(_("IP address"), lambda e: e.ip_address),
        ]
        return export_response(
            events.iterator(), columns, filename="audit-trail", file_format=export
        )
    page = page_of(request, events)
    for event in page:
        event.values_hidden = not readable(event)
    template = "privacy/audit_list.html#results" if request.htmx else "privacy/audit_list.html"
    return render(request, template, {"form": form, "page": page})


@require("privacy.audit")
def access_list(request: HttpRequest) -> HttpResponse:
    form = AccessFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_list(filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("At"), lambda e: e.at),
            Column(_("User"), lambda e: e.actor.username),
            Column(_("Object type"), lambda e: e.object_type),
            Column(_("Object id"), lambda e: e.object_id),
            Column(_("Object"), lambda e: e.object_repr),
            Column(_("What was shown"), lambda e: e.what),
            Column(_("Reason"), lambda e: e.reason),
            Column(_("IP address"), lambda e: e.ip_address),
        ]
        return export_response(
            entries.iterator(), columns, filename="access-log", file_format=export
        )
    page = page_of(request, entries)
    template = "privacy/access_list.html#results" if request.htmx else "privacy/access_list.html"
    return render(request, template, {"form": form, "page": page})
