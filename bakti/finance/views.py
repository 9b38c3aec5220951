"""Finance pages: budget versus actual, absorption and forecast, budget lines, commitments and
expenditures with their approval, the realisation report, and the reference data."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.privacy.audit import StaleEdit
from bakti.privacy.models import AuditEvent

from . import analysis, charts, selectors, services
from .forms import (
    AccountClassForm,
    AnalysisFilterForm,
    ApproveForm,
    BudgetFilterForm,
    BudgetLineEditForm,
    BudgetLineForm,
    EntryFilterForm,
    EntryForm,
    ExpenditureForm,
    FiscalYearForm,
    FundingSourceForm,
    PlanForm,
    ReasonForm,
    ReverseForm,
    RevisionForm,
)
from .models import (
    BudgetLine,
    Commitment,
    DisbursementPlan,
    EntryStatus,
    Expenditure,
)
from .report import write_realisation_report

KINDS: dict[str, type[Commitment] | type[Expenditure]] = {
    "expenditure": Expenditure,
    "commitment": Commitment,
}


def can_plan(user: Any) -> bool:
    """Budget lines, revisions and plans are kept by finance officers and approvers."""
    return has(user, "finance.record") or has(user, "finance.approve")


def require_planner(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_plan(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require("finance.view")(wrapped)


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _default_year(request: HttpRequest) -> Any:
    return selectors.current_fiscal_year(timezone.localdate())


def _budget_filters(request: HttpRequest, form: Any) -> dict[str, Any]:
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if not filters.get("fiscal_year") and "fiscal_year" not in request.GET:
        filters["fiscal_year"] = _default_year(request)
    return filters


# --- budget versus actual -----------------------------------------------------------------------


@require("finance.view")
def overview(request: HttpRequest) -> HttpResponse:
    """Budget versus actual, grouped by line, activity, output, program, funding source, org
    unit or account class, with the filters applied."""
    form = BudgetFilterForm(request.GET or None)
    filters = _budget_filters(request, form)
    dimension = filters.get("group_by") or "program"
    lines = selectors.budget_line_list_for_user(request.user, filters=filters)
    rows, total = analysis.budget_vs_actual(lines, dimension)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(str(analysis.DIMENSIONS[dimension]), lambda r: r.label),
            Column(_("Original budget"), lambda r: r.figures.original),
            Column(_("Budget (pagu)"), lambda r: r.figures.budget),
            Column(_("Open commitments"), lambda r: r.figures.committed),
            Column(_("Realised"), lambda r: r.figures.realised),
            Column(_("Remaining"), lambda r: r.figures.available),
            Column(_("Absorption"), lambda r: r.figures.absorption),
            Column(_("Waiting for approval"), lambda r: r.figures.pending),
        ]
        totals = analysis.Row(key="total", label=_("Total"), figures=total)
        return export_response(
            [*rows, totals], columns, filename=f"budget-vs-actual-{dimension}", file_format=export
        )
    page = page_of(request, rows)
    context = {
        "form": form,
        "page": page,
        "total": total,
        "dimension": dimension,
        "dimension_label": analysis.DIMENSIONS[dimension],
        "fiscal_year": filters.get("fiscal_year"),
        "pending": selectors.pending_counts_for_user(request.user),
        "can_plan": can_plan(request.user),
    }
    template = "finance/overview.html#results" if request.htmx else "finance/overview.html"
    return render(request, template, context)


@require("finance.view")
def realisation_report(request: HttpRequest) -> HttpResponse:
    """The laporan realisasi anggaran as XLSX, for the filters given."""
    form = AnalysisFilterForm(request.GET or None)
    filters = _budget_filters(request, form)
    lines = selectors.budget_line_list_for_user(request.user, filters=filters)
    year = filters.get("fiscal_year")
    title = _("Budget realisation report %(year)s") % {"year": year or _("(all years)")}
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_realisation_report(lines, handle, title=title, as_of=timezone.localdate())
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"laporan-realisasi-{year.year if year else 'all'}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require("finance.view")
def absorption(request: HttpRequest) -> HttpResponse:
    """Absorption per month and quarter against the plan, the chart, burn rate and forecast,
    alerts and cost per beneficiary, for one fiscal year."""
    form = AnalysisFilterForm(request.GET or None)
    filters = _budget_filters(request, form)
    year = filters.get("fiscal_year")
    context: dict[str, Any] = {"form": form, "fiscal_year": year}
    if year is not None:
        lines = selectors.budget_line_list_for_user(request.user, filters=filters)
        months, quarters = analysis.absorption(lines, year)
        today = timezone.localdate()
        upto = sum(1 for m in months if m.start <= today)
        programs, outputs = analysis.cost_per_beneficiary(lines, year)
        context.update(
            {
                "months": months,
                "quarters": quarters,
                "chart": charts.cumulative_chart(months, upto=upto),
                "forecast": analysis.forecast(months, year, today),
                "alerts": analysis.alerts(lines, today),
                "margin": analysis.lag_margin(),
                "cost_programs": programs,
                "cost_outputs": outputs,
                "delivery_available": analysis.delivery_available(),
                "budget": months[0].budget if months else 0,
            }
        )
    export = request.GET.get("export")
    if export in {"csv", "xlsx"} and year is not None:
        columns = [
            Column(_("Month"), lambda p: p.label),
            Column(_("Planned"), lambda p: p.planned),
            Column(_("Realised"), lambda p: p.realised),
            Column(_("Planned, cumulative"), lambda p: p.planned_cumulative),
            Column(_("Realised, cumulative"), lambda p: p.realised_cumulative),
            Column(_("Planned absorption"), lambda p: p.planned_rate),
            Column(_("Actual absorption"), lambda p: p.realised_rate),
        ]
        rows = context["months"] + context["quarters"]
        return export_response(
            rows, columns, filename=f"absorption-{year.year}", file_format=export
        )
    return render(request, "finance/absorption.html", context)


# --- budget lines -------------------------------------------------------------------------------


@require("finance.view")
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get_for_user(request.user, pk)
    figures = services.ledger.figures_of_line(line)
    lines = BudgetLine.objects.filter(pk=line.pk)
    months, _quarters = analysis.absorption(lines, line.fiscal_year)
    today = timezone.localdate()
    context = {
        "line": line,
        "figures": figures,
        "revisions": line.revisions.select_related("revised_by"),
        "months": months,
        "chart": charts.cumulative_chart(months, upto=sum(1 for m in months if m.start <= today)),
        "alerts": analysis.alerts(lines, today),
        "commitments": Commitment.objects.filter(line=line)
        .select_related("recorded_by", "decided_by")
        .order_by("-date", "-id")[:20],
        "expenditures": Expenditure.objects.filter(line=line)
        .select_related("recorded_by", "decided_by")
        .order_by("-date", "-id")[:20],
        "can_plan": can_plan(request.user),
        "can_record": has(request.user, "finance.record"),
    }
    return render(request, "finance/line_detail.html", context)


@require_planner
def line_create(request: HttpRequest) -> HttpResponse:
    form = BudgetLineForm(request.POST or None, initial={"fiscal_year": _default_year(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = services.budget_line_create(actor=request.user, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            return redirect("finance:line_detail", pk=line.pk)
    return render(
        request, "finance/form.html", {"form": form, "title": _("New budget line"), "back": None}
    )


@require_planner
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get_for_user(request.user, pk)
    initial = {
        "version": line.version,
        "code": line.code,
        "description": line.description,
        "account_class": line.account_class,
        "funding_source": line.funding_source,
    }
    form = BudgetLineEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.budget_line_update(
                actor=request.user, line=line, data=data, expected_version=version
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            for field, (saved, _mine) in stale.differing.items():
                if field in form.fields:
                    form.add_error(field, _("Now saved as: %(value)s") % {"value": saved})
            form.data = form.data.copy()
            form.data["version"] = stale.current.version
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("finance:line_detail", pk=line.pk)
    return render(
        request,
        "finance/form.html",
        {"form": form, "title": _("Edit budget line %(line)s") % {"line": line}, "back": line},
    )


@require_planner
def line_revise(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get_for_user(request.user, pk)
    form = RevisionForm(
        request.POST or None,
        initial={
            "version": line.version,
            "new_amount": line.amount,
            "revised_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_revise(
                actor=request.user,
                line=line,
                new_amount=data["new_amount"],
                reason=data["reason"],
                revised_on=data["revised_on"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The budget line was revised."))
            return redirect("finance:line_detail", pk=line.pk)
    return render(
        request,
        "finance/form.html",
        {"form": form, "title": _("Revise budget line %(line)s") % {"line": line}, "back": line},
    )


@require_planner
def line_plan(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.budget_line_get_for_user(request.user, pk)
    current = {p.month: p.amount for p in DisbursementPlan.objects.filter(line=line)}
    form = PlanForm(request.POST or None, line=line, current=current)
    if request.method == "POST" and request.POST.get("spread"):
        services.disbursement_plan_spread(actor=request.user, line=line)
        messages.success(request, _("The amount was spread evenly over the year."))
        return redirect("finance:line_detail", pk=line.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.disbursement_plan_set(actor=request.user, line=line, amounts=form.amounts())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The disbursement plan was saved."))
            return redirect("finance:line_detail", pk=line.pk)
    return render(
        request,
        "finance/plan_form.html",
        {"form": form, "line": line},
    )


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
            _apply_errors(form, error)
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


# --- reference data -----------------------------------------------------------------------------


@require("finance.view")
def setup(request: HttpRequest) -> HttpResponse:
    """Funding sources, fiscal years and the account classification chart."""
    editable = can_plan(request.user)
    forms_ = {
        "source": FundingSourceForm(prefix="source"),
        "year": FiscalYearForm(prefix="year"),
        "account": AccountClassForm(prefix="account"),
    }
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        which = request.POST.get("which")
        if which not in forms_:
            raise Http404
        form = type(forms_[which])(request.POST, prefix=which)
        forms_[which] = form
        if form.is_valid():
            try:
                if which == "source":
                    services.funding_source_create(actor=request.user, **form.cleaned_data)
                elif which == "year":
                    services.fiscal_year_create(actor=request.user, **form.cleaned_data)
                else:
                    services.account_class_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("finance:setup"))
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Code"), lambda s: s.code),
            Column(_("Name"), lambda s: s.name),
            Column(_("Kind"), lambda s: s.get_kind_display()),
            Column(_("Donor or company"), lambda s: str(s.organisation or "")),
            Column(_("Currency"), lambda s: s.currency),
        ]
        return export_response(
            selectors.funding_source_list(), columns, filename="funding-sources", file_format=export
        )
    return render(
        request,
        "finance/setup.html",
        {
            "sources": page_of(request, selectors.funding_source_list()),
            "years": selectors.fiscal_year_list(),
            "accounts": selectors.account_class_list(),
            "forms": forms_,
            "editable": editable,
            "today": dt.date.today(),
        },
    )
