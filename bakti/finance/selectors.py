"""Permission-scoped reads of finance records.

Finance is department-wide: the finance section (often a subsection of the Sekretariat) keeps
the books of every division, so a user who holds a finance capability in any unit sees every
budget line, commitment and expenditure, and one who does not sees none (out-of-scope objects
give 404). The scope still comes from :func:`bakti.accounts.access.scope_for`, so a deployment
that wants per-unit books changes only ``_visible`` below.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from bakti.accounts.access import scope_for

from .models import (
    AccountClass,
    BudgetLine,
    Commitment,
    EntryStatus,
    Expenditure,
    FiscalYear,
    FundingSource,
)


def _visible(user: Any, capability: str) -> Q:
    # Department-wide (see the module docstring): any grant of the capability opens all.
    if scope_for(user, capability).empty:
        return Q(pk__in=[])
    return Q()


def budget_line_list_for_user(
    user: Any, *, capability: str = "finance.view", filters: dict[str, Any] | None = None
) -> QuerySet[BudgetLine]:
    """Budget lines ``user`` may see, narrowed by ``filters`` (fiscal_year, program,
    funding_source, org_unit, account_class, output, activity, q)."""
    filters = filters or {}
    lines = BudgetLine.objects.filter(_visible(user, capability))
    for name in (
        "fiscal_year",
        "program",
        "funding_source",
        "account_class",
        "output",
        "activity",
    ):
        if filters.get(name):
            lines = lines.filter(**{name: filters[name]})
    if filters.get("org_unit"):
        lines = lines.filter(org_unit__path__startswith=filters["org_unit"].path)
    if filters.get("q"):
        text = filters["q"]
        lines = lines.filter(Q(description__icontains=text) | Q(code__icontains=text))
    return lines


def budget_line_get_for_user(user: Any, pk: int, capability: str = "finance.view") -> BudgetLine:
    line = (
        BudgetLine.objects.filter(_visible(user, capability), pk=pk)
        .select_related("program", "fiscal_year", "org_unit", "output", "activity", "account_class")
        .select_related("funding_source")
        .first()
    )
    if line is None:
        raise Http404
    return line


def _entries(
    model: type[Commitment] | type[Expenditure],
    user: Any,
    capability: str,
    filters: dict[str, Any],
) -> QuerySet:
    entries = model.objects.filter(
        line__in=BudgetLine.objects.filter(_visible(user, capability)).values("pk")
    )
    if filters.get("status"):
        entries = entries.filter(status=filters["status"])
    for name in ("fiscal_year", "program", "funding_source"):
        if filters.get(name):
            entries = entries.filter(**{f"line__{name}": filters[name]})
    if filters.get("line"):
        entries = entries.filter(line=filters["line"])
    if filters.get("date_from"):
        entries = entries.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(date__lte=filters["date_to"])
    if filters.get("q"):
        text = filters["q"]
        entries = entries.filter(
            Q(payee__icontains=text) | Q(description__icontains=text) | Q(reference__icontains=text)
        )
    return entries.select_related(
        "line", "line__program", "line__funding_source", "recorded_by", "decided_by"
    ).order_by("-date", "-id")


def expenditure_list_for_user(
    user: Any, *, capability: str = "finance.view", filters: dict[str, Any] | None = None
) -> QuerySet[Expenditure]:
    return _entries(Expenditure, user, capability, filters or {})


def commitment_list_for_user(
    user: Any, *, capability: str = "finance.view", filters: dict[str, Any] | None = None
) -> QuerySet[Commitment]:
    return _entries(Commitment, user, capability, filters or {})


def expenditure_get_for_user(user: Any, pk: int, capability: str = "finance.view") -> Expenditure:
    entry = expenditure_list_for_user(user, capability=capability).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def commitment_get_for_user(user: Any, pk: int, capability: str = "finance.view") -> Commitment:
    entry = commitment_list_for_user(user, capability=capability).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def pending_counts_for_user(user: Any) -> dict[str, int]:
    return {
        "expenditures": expenditure_list_for_user(user, filters={"status": EntryStatus.PENDING})
        .order_by()
        .count(),
        "commitments": commitment_list_for_user(user, filters={"status": EntryStatus.PENDING})
        .order_by()
        .count(),
    }


def fiscal_year_list() -> QuerySet[FiscalYear]:
    return FiscalYear.objects.all()


def current_fiscal_year(day: Any) -> FiscalYear | None:
    return (
        FiscalYear.objects.filter(start_date__lte=day, end_date__gte=day).first()
        or FiscalYear.objects.order_by("-year").first()
    )


def funding_source_list() -> QuerySet[FundingSource]:
    return FundingSource.objects.select_related("organisation")


def account_class_list() -> QuerySet[AccountClass]:
    return AccountClass.objects.all()
