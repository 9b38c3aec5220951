"""Commitment and expenditure pages: lists, recording, approval, rejection, reversal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.privacy.models import AuditEvent

from .. import selectors, services
from ..forms import (
    ApproveForm,
    EntryFilterForm,
    EntryForm,
    ExpenditureForm,
    ReasonForm,
    ReverseForm,
)
from ..models import (
    Commitment,
    EntryStatus,
    Expenditure,
)
from .common import apply_service_errors, can_plan, require_planner

KINDS: dict[str, type[Commitment] | type[Expenditure]] = {
    "expenditure": Expenditure,
    "commitment": Commitment,
}


# --- commitments and expenditures ---------------------------------------------------------------


def _model(kind: str) -> type[Commitment] | type[Expenditure]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _list_for(kind: str, user: Any, filters: dict[str, Any]) -> Any:
    if kind == "expenditure":
        return selectors.expenditure_list_for_user(user, filters=filters)
    return selectors.commitment_list_for_user(user, filters=filters)


def _get_for(kind: str, user: Any, pk: int) -> Any:
    if kind == "expenditure":
        return selectors.expenditure_get_for_user(user, pk)
    return selectors.commitment_get_for_user(user, pk)


def _titles(kind: str) -> dict[str, str]:
    if kind == "expenditure":
        return {"plural": _("Expenditures"), "new": _("Record an expenditure")}
    return {"plural": _("Commitments"), "new": _("Record a commitment")}


@require("finance.view")
def entry_list(request: HttpRequest, kind: str) -> HttpResponse:
    _model(kind)
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = _list_for(kind, request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Date"), lambda e: e.date),
            Column(_("Reference number"), lambda e: e.reference),
            Column(_("Program"), lambda e: e.line.program.code),
            Column(_("Budget line"), lambda e: str(e.line)),
            Column(_("Funding source"), lambda e: str(e.line.funding_source)),
            Column(_("Payee"), lambda e: e.payee),
            Column(_("Description"), lambda e: e.description),
            Column(_("Amount"), lambda e: e.amount),
            Column(_("Currency"), lambda e: e.currency),
            Column(_("Exchange rate to IDR"), lambda e: e.exchange_rate),
            Column(_("Amount in IDR"), lambda e: e.amount_idr),
            Column(_("Status"), lambda e: e.get_status_display()),
            Column(_("Recorded by"), lambda e: e.recorded_by.username if e.recorded_by else ""),
            Column(_("Decided by"), lambda e: e.decided_by.username if e.decided_by else ""),
            Column(_("Reverses"), lambda e: e.reverses_id or ""),
        ]
        return export_response(entries.iterator(), columns, filename=f"{kind}s", file_format=export)
    page = page_of(request, entries)
    context = {
        "form": form,
        "page": page,
        "kind": kind,
        "titles": _titles(kind),
        "can_record": has(request.user, "finance.record"),
    }
    template = "finance/entry_list.html#results" if request.htmx else "finance/entry_list.html"
    return render(request, template, context)


@require("finance.record")
def entry_create(request: HttpRequest, kind: str) -> HttpResponse:
    _model(kind)
    lines = (
        selectors.budget_line_list_for_user(request.user, capability="finance.record")
        .filter(fiscal_year__is_closed=False)
        .select_related("program")
        .order_by("program__code", "code")
    )
    initial = {"date": timezone.localdate()}
    if request.GET.get("line"):
        initial["line"] = request.GET["line"]
    args = (request.POST or None, request.FILES or None)
    if kind == "expenditure":
        commitments = selectors.commitment_list_for_user(
            request.user,
            capability="finance.record",
            filters={"status": EntryStatus.APPROVED},
        ).filter(is_closed=False, reverses__isnull=True)
        form: EntryForm = ExpenditureForm(
            *args, lines=lines, commitments=commitments, initial=initial
        )
    else:
        form = EntryForm(*args, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "expenditure":
                entry = services.expenditure_record(actor=request.user, **data)
            else:
                entry = services.commitment_record(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Recorded. It counts once someone else has approved it."))
            return redirect(f"finance:{kind}_detail", pk=entry.pk)
    return render(
        request,
        "finance/form.html",
        {"form": form, "title": _titles(kind)["new"], "multipart": True, "back": None},
    )


@require("finance.view")
def entry_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _get_for(kind, request.user, pk)
    user = request.user
    is_recorder = entry.recorded_by_id == user.pk
    pending = entry.status == EntryStatus.PENDING
    reversals = type(entry).objects.filter(reverses=entry).order_by("id")
    context = {
        "entry": entry,
        "kind": kind,
        "titles": _titles(kind),
        "history": AuditEvent.objects.for_object(entry).select_related("actor")[:50],
        "reversals": reversals,
        "can_decide": pending and not is_recorder and has(user, "finance.approve"),
        "is_recorder": is_recorder,
        "can_override": has(user, "finance.override"),
        "can_reverse": entry.status == EntryStatus.APPROVED
        and not entry.is_reversal
        and has(user, "finance.record")
        and not any(r.status != EntryStatus.REJECTED for r in reversals),
        "can_close": kind == "commitment"
        and entry.status == EntryStatus.APPROVED
        and not entry.is_reversal
        and not entry.is_closed
        and can_plan(user),
        "approve_form": ApproveForm(),
        "reject_form": ReasonForm(),
        "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
        "close_form": ReasonForm(),
        "figures": services.ledger.figures_of_line(entry.line),
    }
    return render(request, "finance/entry_detail.html", context)


def _after_action(kind: str, entry: Any) -> HttpResponse:
    return redirect(f"finance:{kind}_detail", pk=entry.pk)


def _run(request: HttpRequest, kind: str, entry: Any, action: Callable[[], Any], ok: str) -> Any:
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _after_action(kind, entry)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
        return _after_action(kind, entry)
    messages.success(request, ok)
    return _after_action(kind, result if result is not None else entry)


@require_POST
@require("finance.approve")
def entry_approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _get_for(kind, request.user, pk)
    form = ApproveForm(request.POST)
    reason = form.data.get("override_reason", "")
    return _run(
        request,
        kind,
        entry,
        lambda: services.entry_approve(request.user, entry, override_reason=reason),
        _("Approved."),
    )


@require_POST
@require("finance.approve")
def entry_reject(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _get_for(kind, request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        kind,
        entry,
        lambda: services.entry_reject(request.user, entry, reason=reason),
        _("Rejected."),
    )


@require_POST
@require("finance.record")
def entry_reverse(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _get_for(kind, request.user, pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _after_action(kind, entry)
    data = form.cleaned_data
    return _run(
        request,
        kind,
        entry,
        lambda: services.entry_reverse(
            request.user, entry, reason=data["reason"], date=data.get("date")
        ),
        _("The reversing entry was recorded; it counts once someone else has approved it."),
    )


@require_POST
@require_planner
def commitment_close(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_for("commitment", request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(
        request,
        "commitment",
        entry,
        lambda: services.commitment_close(request.user, entry, reason=reason),
        _("The commitment was closed."),
    )


@require("finance.view")
def entry_evidence(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    entry = _get_for(kind, request.user, pk)
    if not entry.evidence:
        raise Http404
    return FileResponse(entry.evidence.open("rb"), as_attachment=True)
