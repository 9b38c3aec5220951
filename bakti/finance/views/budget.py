"""Budget pages: budget versus actual, absorption and forecast, the realisation report, budget
lines with revisions and plans, and the reference data."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from .. import analysis, charts, selectors, services
from ..forms import (
    AccountClassForm,
    AnalysisFilterForm,
    BudgetFilterForm,
    BudgetLineEditForm,
    BudgetLineForm,
    FiscalYearForm,
    FundingSourceForm,
    PlanForm,
    RevisionForm,
)
from ..models import (
    BudgetLine,
    Commitment,
    DisbursementPlan,
    Expenditure,
    FiscalYear,
)
from ..report import write_realisation_report
from .common import apply_service_errors, budget_filters, can_plan, default_year, require_planner

# --- budget versus actual -----------------------------------------------------------------------


@require("finance.view")
def overview(request: HttpRequest) -> HttpResponse:
    """Budget versus actual, grouped by line, activity, output, program, funding source, org
    unit or account class, with the filters applied."""
    form = BudgetFilterForm(request.GET or None)
    filters = budget_filters(request, form)
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
    filters = budget_filters(request, form)
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
    filters = budget_filters(request, form)
    year = filters.get("fiscal_year")
    context: dict[str, Any] = {"form": form, "fiscal_year": year}
    if year is not None:
        lines = selectors.budget_line_list_for_user(request.user, filters=filters)
        months, quarters = analysis.absorption(lines, year)
        today = timezone.localdate()
        upto = sum(1 for m in months if m.start <= today)
        figures = services.ledger.figures_by_line(lines)
        programs, outputs = analysis.cost_per_beneficiary(
            lines, year, realised={pk: f.realised for pk, f in figures.items()}
        )
        context.update(
            {
                "months": months,
                "quarters": quarters,
                "chart": charts.cumulative_chart(months, upto=upto),
                "forecast": analysis.forecast(months, year, today),
                "alerts": analysis.alerts(lines, today, figures=figures),
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
        "alerts": analysis.alerts(lines, today, figures={line.pk: figures}),
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
    form = BudgetLineForm(request.POST or None, initial={"fiscal_year": default_year(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = services.budget_line_create(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
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
            show_stale_edit(form, stale)
        except ValidationError as error:
            apply_service_errors(form, error)
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
            apply_service_errors(form, error)
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
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The disbursement plan was saved."))
            return redirect("finance:line_detail", pk=line.pk)
    return render(
        request,
        "finance/plan_form.html",
        {"form": form, "line": line},
    )


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
        if which == "close_year":
            year = get_object_or_404(FiscalYear, pk=request.POST.get("year_id") or 0)
            services.fiscal_year_set_closed(
                actor=request.user, fiscal_year=year, closed=not year.is_closed
            )
            messages.success(request, _("Saved."))
            return redirect(reverse("finance:setup"))
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
                apply_service_errors(form, error)
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
