"""Permission-scoped reads for monitoring.

A program is visible with a capability when the capability is held in the program's org unit
(or above it), or, for a region-limited grant, when one of the program's regions overlaps the
grant's region. Everything hanging off a program (indicators, actuals, evaluations) follows
its program. Out-of-scope objects give 404.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from bakti.accounts.access import scope_for

from .models import Alert, Evaluation, IndicatorResult, ProgramHealth, Recommendation


def _program_model() -> Any:
    return apps.get_model("programs", "Program")


def visible_program_ids(user: Any, capability: str) -> QuerySet[Any]:
    """A subquery of the ids of the programs ``user`` may see with ``capability``."""
    Program = _program_model()
    scope = scope_for(user, capability)
    return Program.objects.filter(
        scope.q(org_unit="org_unit_id", region="regions__code", region_overlap=True)
    ).values("id")


def program_list_for_user(
    user: Any, *, capability: str = "monitoring.view", filters: dict[str, Any] | None = None
) -> QuerySet[Any]:
    """Programs ``user`` may see, narrowed by ``filters`` (status, program_type, q, year)."""
    filters = filters or {}
    programs = (
        _program_model()
        .objects.filter(id__in=visible_program_ids(user, capability))
        .select_related("program_type", "org_unit", "manager")
    )
    if filters.get("status"):
        programs = programs.filter(status=filters["status"])
    if filters.get("program_type"):
        programs = programs.filter(program_type=filters["program_type"])
    if filters.get("year"):
        year = int(filters["year"])
        programs = programs.filter(start_date__year__lte=year, end_date__year__gte=year)
    if filters.get("q"):
        text = filters["q"]
        programs = programs.filter(Q(code__icontains=text) | Q(name__icontains=text))
    return programs.order_by("code")


def program_get_for_user(user: Any, pk: int, *, capability: str = "monitoring.view") -> Any:
    program = program_list_for_user(user, capability=capability).filter(pk=pk).first()
    if program is None:
        raise Http404
    return program


def program_get_by_code(user: Any, code: str, *, capability: str = "monitoring.view") -> Any:
    program = program_list_for_user(user, capability=capability).filter(code=code).first()
    if program is None:
        raise Http404
    return program


def indicator_get_for_user(user: Any, pk: int, *, capability: str = "monitoring.view") -> Any:
    Indicator = apps.get_model("programs", "Indicator")
    indicator = (
        Indicator.objects.filter(pk=pk, program_id__in=visible_program_ids(user, capability))
        .select_related("program", "result")
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def result_list_for_user(
    user: Any, *, capability: str = "monitoring.view", filters: dict[str, Any] | None = None
) -> QuerySet[IndicatorResult]:
    """Indicator actuals ``user`` may see, narrowed by ``filters`` (program, status, source)."""
    filters = filters or {}
    results = IndicatorResult.objects.filter(
        indicator__program_id__in=visible_program_ids(user, capability)
    ).select_related("indicator", "indicator__program", "entered_by", "submitted_by", "approved_by")
    for name in ("status", "source"):
        if filters.get(name):
            results = results.filter(**{name: filters[name]})
    if filters.get("program"):
        results = results.filter(indicator__program=filters["program"])
    return results.order_by("indicator__program__code", "indicator__code", "period_start")


def result_get_for_user(
    user: Any, pk: int, *, capability: str = "monitoring.view"
) -> IndicatorResult:
    result = (
        result_list_for_user(user, capability=capability)
        .filter(pk=pk)
        .prefetch_related("values")
        .first()
    )
    if result is None:
        raise Http404
    return result


def evaluation_list_for_user(
    user: Any, *, capability: str = "monitoring.view", filters: dict[str, Any] | None = None
) -> QuerySet[Evaluation]:
    filters = filters or {}
    evaluations = Evaluation.objects.filter(
        program_id__in=visible_program_ids(user, capability)
    ).select_related("program")
    if filters.get("program"):
        evaluations = evaluations.filter(program=filters["program"])
    if filters.get("evaluation_type"):
        evaluations = evaluations.filter(evaluation_type=filters["evaluation_type"])
    if filters.get("status"):
        evaluations = evaluations.filter(status=filters["status"])
    return evaluations


def evaluation_get_for_user(
    user: Any, pk: int, *, capability: str = "monitoring.view"
) -> Evaluation:
    evaluation = (
        evaluation_list_for_user(user, capability=capability)
        .filter(pk=pk)
        .prefetch_related("documents", "recommendations__owner")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def recommendation_get_for_user(
    user: Any, pk: int, *, capability: str = "monitoring.view"
) -> Recommendation:
    recommendation = (
        Recommendation.objects.filter(
            pk=pk, evaluation__program_id__in=visible_program_ids(user, capability)
        )
        .select_related("evaluation", "evaluation__program", "owner")
        .first()
    )
    if recommendation is None:
        raise Http404
    return recommendation


def alert_list_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(recipient=user).select_related("program")
    if unread_only:
        alerts = alerts.filter(read_at__isnull=True)
    return alerts


def latest_health(program_ids: list[int]) -> dict[int, ProgramHealth]:
    """The latest health check of each program: one query."""
    latest: dict[int, ProgramHealth] = {}
    for check in ProgramHealth.objects.filter(program_id__in=program_ids).order_by(
        "program_id", "-assessed_at", "-id"
    ):
        latest.setdefault(check.program_id, check)
    return latest
