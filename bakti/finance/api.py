"""The finance API at /api/v1/finance/: the same selectors and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.api_pagination import Pagination

from . import analysis, ledger, selectors, services
from .models import BudgetLine, Commitment, Expenditure, FiscalYear
from .schemas import (
    AbsorptionOut,
    ApproveIn,
    CommitmentOut,
    EntryIn,
    ExpenditureIn,
    ExpenditureOut,
    FiscalYearOut,
    FundingSourceOut,
    LineOut,
    ReasonIn,
    ReverseIn,
    SummaryOut,
)

router = Router(tags=["finance"])


def _need(request: HttpRequest, capability: str) -> None:
    if not has(request.user, capability):
        raise PermissionDenied(_("You may not do this."))


def _figures(f: ledger.Figures) -> dict[str, Any]:
    return {
        "original": f.original,
        "budget": f.budget,
        "committed": f.committed,
        "realised": f.realised,
        "available": f.available,
        "pending": f.pending,
        "absorption": f.absorption,
    }


class LinePagination(Pagination):
    """Limit/offset pages of budget lines, each with its figures (four queries per page)."""

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: Any, **params: Any):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page["items"])
        figures = ledger.figures_by_line(BudgetLine.objects.filter(pk__in=[i.pk for i in items]))
        for item in items:
            item.figures = _figures(figures[item.pk])
        page["items"] = items
        return page


def _line_filters(fiscal_year: int | None, program: int | None, funding_source: int | None):
    filters: dict[str, Any] = {}
    if fiscal_year is not None:
        filters["fiscal_year"] = FiscalYear.objects.filter(year=fiscal_year).first() or -1
    if program is not None:
        filters["program"] = program
    if funding_source is not None:
        filters["funding_source"] = funding_source
    return filters


@router.get("/funding-sources", response=list[FundingSourceOut], summary="Funding sources")
@paginate(Pagination)
def list_funding_sources(request: HttpRequest) -> Any:
    _need(request, "finance.view")
    return selectors.funding_source_list()


@router.get("/fiscal-years", response=list[FiscalYearOut], summary="Fiscal years")
@paginate(Pagination)
def list_fiscal_years(request: HttpRequest) -> Any:
    _need(request, "finance.view")
    return selectors.fiscal_year_list()


@router.get("/lines", response=list[LineOut], summary="Budget lines with their figures")
@paginate(LinePagination)
def list_lines(
    request: HttpRequest,
    fiscal_year: int | None = None,
    program: int | None = None,
    funding_source: int | None = None,
) -> Any:
    _need(request, "finance.view")
    filters = _line_filters(fiscal_year, program, funding_source)
    return (
        selectors.budget_line_list_for_user(request.user, filters=filters)
        .select_related("fiscal_year", "account_class")
        .order_by("fiscal_year__year", "program_id", "code", "pk")
    )


@router.get("/lines/{line_id}", response=LineOut, summary="One budget line with its figures")
def get_line(request: HttpRequest, line_id: int) -> Any:
    _need(request, "finance.view")
    line = selectors.budget_line_get_for_user(request.user, line_id)
    line.figures = _figures(ledger.figures_of_line(line))  # type: ignore[attr-defined]
    return line


@router.get("/summary", response=SummaryOut, summary="Budget versus actual, grouped")
def summary(
    request: HttpRequest,
    group_by: str = "program",
    fiscal_year: int | None = None,
    program: int | None = None,
    funding_source: int | None = None,
) -> Any:
    _need(request, "finance.view")
    if group_by not in analysis.DIMENSIONS:
        raise ValidationError({"group_by": _("Choose one of: %s") % ", ".join(analysis.DIMENSIONS)})
    lines = selectors.budget_line_list_for_user(
        request.user, filters=_line_filters(fiscal_year, program, funding_source)
    )
    rows, total = analysis.budget_vs_actual(lines, group_by)
    return {
        "group_by": group_by,
        "rows": [
            {
                "key": None if r.key is None else str(r.key),
                "label": r.label,
                "figures": _figures(r.figures),
            }
            for r in rows
        ],
        "total": _figures(total),
    }


@router.get("/absorption", response=AbsorptionOut, summary="Absorption, burn rate, forecast")
def absorption(request: HttpRequest, fiscal_year: int, program: int | None = None) -> Any:
    _need(request, "finance.view")
    year = FiscalYear.objects.filter(year=fiscal_year).first()
    if year is None:
        raise Http404
    lines = selectors.budget_line_list_for_user(
        request.user, filters=_line_filters(fiscal_year, program, None)
    )
    months, quarters = analysis.absorption(lines, year)
    result = analysis.forecast(months, year, timezone.localdate())
    return {
        "fiscal_year": year.year,
        "budget": months[0].budget if months else 0,
        "months": months,
        "quarters": quarters,
        "forecast": {**vars(result), "year_end_absorption": result.year_end_absorption},
    }


def _entry_routes(kind: str, model: type, out: type, payload: type) -> None:
    plural = f"{kind}s"
    list_for = getattr(selectors, f"{kind}_list_for_user")
    get_for = getattr(selectors, f"{kind}_get_for_user")
    record = getattr(services, f"{kind}_record")

    @router.get(f"/{plural}", response=list[out], summary=f"List {plural}")
    @paginate(Pagination)
    def list_entries(
        request: HttpRequest,
        status: str | None = None,
        fiscal_year: int | None = None,
        program: int | None = None,
        line: int | None = None,
    ) -> Any:
        _need(request, "finance.view")
        filters = _line_filters(fiscal_year, program, None)
        filters.update({"status": status, "line": line})
        return list_for(request.user, filters=filters)

    @router.get(f"/{plural}/{{entry_id}}", response=out, summary=f"One {kind}")
    def get_entry(request: HttpRequest, entry_id: int) -> Any:
        _need(request, "finance.view")
        return get_for(request.user, entry_id)

    @router.post(f"/{plural}", response={201: out}, summary=f"Record a {kind}")
    def create_entry(request: HttpRequest, data: payload) -> Any:  # type: ignore[valid-type]
        _need(request, "finance.record")
        values = data.dict()  # type: ignore[attr-defined]
        line = selectors.budget_line_get_for_user(
            request.user, values.pop("line_id"), "finance.record"
        )
        if "commitment_id" in values:
            commitment_id = values.pop("commitment_id")
            values["commitment"] = (
                selectors.commitment_get_for_user(request.user, commitment_id)
                if commitment_id
                else None
            )
        return Status(201, record(actor=request.user, line=line, **values))

    @router.post(f"/{plural}/{{entry_id}}/approve", response=out, summary=f"Approve a {kind}")
    def approve_entry(request: HttpRequest, entry_id: int, data: ApproveIn) -> Any:
        _need(request, "finance.approve")
        entry = get_for(request.user, entry_id)
        return services.entry_approve(request.user, entry, override_reason=data.override_reason)

    @router.post(f"/{plural}/{{entry_id}}/reject", response=out, summary=f"Reject a {kind}")
    def reject_entry(request: HttpRequest, entry_id: int, data: ReasonIn) -> Any:
        _need(request, "finance.approve")
        entry = get_for(request.user, entry_id)
        return services.entry_reject(request.user, entry, reason=data.reason)

    @router.post(
        f"/{plural}/{{entry_id}}/reverse",
        response={201: out},
        summary=f"Record the reversing entry of an approved {kind}",
    )
    def reverse_entry(request: HttpRequest, entry_id: int, data: ReverseIn) -> Any:
        _need(request, "finance.record")
        entry = get_for(request.user, entry_id)
        return Status(
            201, services.entry_reverse(request.user, entry, reason=data.reason, date=data.date)
        )

    for function in (list_entries, get_entry, create_entry, approve_entry, reject_entry):
        function.__name__ = f"{function.__name__}_{kind}"
    reverse_entry.__name__ = f"reverse_entry_{kind}"


_entry_routes("expenditure", Expenditure, ExpenditureOut, ExpenditureIn)
_entry_routes("commitment", Commitment, CommitmentOut, EntryIn)
