"""The monitoring API at /api/v1/monitoring/: tracking tables, indicator actuals with their
approval workflow, evaluations and program health. Same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from bakti.accounts.access import has

from . import selectors, services
from .models import ProgramHealth
from .schemas import (
    EvaluationOut,
    HealthOut,
    ReasonIn,
    ResultIn,
    ResultOut,
    TrackingOut,
)
from .tracking import indicator_periods, tracking_table

router = Router(tags=["monitoring"])


def _need(request: HttpRequest, capability: str) -> None:
    if not has(request.user, capability):
        raise PermissionDenied


@router.get("/programs/{program_id}/tracking", response=TrackingOut)
def program_tracking(request: HttpRequest, program_id: int, as_of: dt.date | None = None) -> Any:
    """The indicator tracking table: the same numbers as the page, the PDF and the XLSX."""
    _need(request, "monitoring.view")
    program = selectors.program_get_for_user(request.user, program_id)
    table = tracking_table(program, as_of=as_of or timezone.localdate())
    return {
        "program_id": program.pk,
        "program_code": program.code,
        "as_of": table.as_of,
        "indicators": table.indicators,
    }


@router.get("/programs/{program_id}/health", response=HealthOut)
def program_health(request: HttpRequest, program_id: int) -> Any:
    _need(request, "monitoring.view")
    program = selectors.program_get_for_user(request.user, program_id)
    check = ProgramHealth.objects.filter(program=program).order_by("-assessed_at", "-id").first()
    if check is None:
        raise Http404
    return {
        "program_id": program.pk,
        "status": check.status,
        "reasons": check.reasons,
        "assessed_at": check.assessed_at,
    }


@router.get("/actuals", response=list[ResultOut])
@paginate
def actual_list(request: HttpRequest, status: str | None = None, program: int | None = None) -> Any:
    _need(request, "monitoring.view")
    return selectors.result_list_for_user(
        request.user, filters={"status": status, "program": program}
    )


@router.post("/indicators/{indicator_id}/actuals", response={200: ResultOut})
def actual_save(request: HttpRequest, indicator_id: int, payload: ResultIn) -> Any:
    """Enter or change the value of one period (a draft until submitted and approved)."""
    _need(request, "monitoring.enter")
    indicator = selectors.indicator_get_for_user(
        request.user, indicator_id, capability="monitoring.enter"
    )
    periods = indicator_periods(indicator, indicator.targets.all(), indicator.actuals.all())
    period = next((p for p in periods if p[0] == payload.period_start), None)
    if period is None:
        raise ValidationError(
            {"period_start": "This indicator has no reporting period starting on that date."}
        )
    return services.indicator_result_save(
        actor=request.user,
        indicator=indicator,
        period_start=period[0],
        period_end=period[1],
        value=payload.value,
        breakdown={(b.dimension, b.category): b.value for b in payload.breakdown},
        note=payload.note,
        evidence_url=payload.evidence_url,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )


def _result(request: HttpRequest, result_id: int, capability: str) -> Any:
    _need(request, capability)
    return selectors.result_get_for_user(request.user, result_id, capability=capability)


@router.post("/actuals/{result_id}/submit", response=ResultOut)
def actual_submit(request: HttpRequest, result_id: int) -> Any:
    result = _result(request, result_id, "monitoring.enter")
    return services.indicator_result_submit(actor=request.user, result=result)


@router.post("/actuals/{result_id}/approve", response=ResultOut)
def actual_approve(request: HttpRequest, result_id: int) -> Any:
    result = _result(request, result_id, "monitoring.approve")
    return services.indicator_result_approve(actor=request.user, result=result)


@router.post("/actuals/{result_id}/return", response=ResultOut)
def actual_return(request: HttpRequest, result_id: int, payload: ReasonIn) -> Any:
    result = _result(request, result_id, "monitoring.approve")
    return services.indicator_result_return(
        actor=request.user, result=result, reason=payload.reason
    )


@router.post("/actuals/{result_id}/lock", response=ResultOut)
def actual_lock(request: HttpRequest, result_id: int) -> Any:
    result = _result(request, result_id, "monitoring.approve")
    return services.indicator_result_lock(actor=request.user, result=result)


@router.get("/evaluations", response=list[EvaluationOut])
@paginate
def evaluation_list(request: HttpRequest, program: int | None = Query(None)) -> Any:
    _need(request, "monitoring.view")
    return selectors.evaluation_list_for_user(request.user, filters={"program": program})
