"""The cases API at /api/v1/cases/: the same selectors and services as the pages, so the same
people see the same cases (404 for everyone else)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.registry.selectors import person_get_for_user

from . import selectors, services
from .models import CaseType
from .schemas import (
    CaseIn,
    CaseOut,
    FollowUpIn,
    FollowUpOut,
    ReferralAnswerIn,
    ReferralIn,
    ReferralOut,
)

router = Router(tags=["cases"])


def _need(request: HttpRequest, capability: str) -> Any:
    if not has(request.user, capability):
        raise PermissionDenied
    return request.user


@router.get("/", response=list[CaseOut], summary="Cases I may see")
@paginate
def list_cases(request: HttpRequest, status: str = "", overdue: str = "") -> Any:
    user = _need(request, "cases.view")
    return selectors.case_list_for_user(user, {"status": status, "overdue": overdue})


@router.post("/", response={201: CaseOut}, summary="Open a case")
def open_case(request: HttpRequest, payload: CaseIn) -> Any:
    user = _need(request, "cases.work")
    case_type = CaseType.objects.filter(pk=payload.case_type_id, is_active=True).first()
    if case_type is None:
        raise ValidationError({"case_type_id": "Unknown case type."})
    person = person_get_for_user(user, payload.person_id)
    return 201, services.case_open(
        actor=user,
        case_type=case_type,
        person=person,
        summary=payload.summary,
        risk_level=payload.risk_level,
    )


@router.get("/referrals", response=list[ReferralOut], summary="Referrals of my cases")
@paginate
def list_referrals(request: HttpRequest) -> Any:
    return selectors.referral_list_for_user(_need(request, "cases.view"))


@router.get("/referrals/inbox", response=list[ReferralOut], summary="Referrals to my organisation")
@paginate
def referral_inbox(request: HttpRequest) -> Any:
    return selectors.referral_list_for_partner(_need(request, "referrals.respond"))


@router.post(
    "/referrals/inbox/{referral_id}/answer",
    response=ReferralOut,
    summary="Accept, reject or complete a referral",
)
def answer_referral(request: HttpRequest, referral_id: int, payload: ReferralAnswerIn) -> Any:
    user = _need(request, "referrals.respond")
    referral = selectors.referral_get_for_partner(user, referral_id)
    if payload.decision == "complete":
        return services.referral_complete(actor=user, referral=referral, outcome=payload.reason)
    if payload.decision not in {"accept", "reject"}:
        raise ValidationError({"decision": "Use accept, reject or complete."})
    return services.referral_respond(
        actor=user, referral=referral, accept=payload.decision == "accept", reason=payload.reason
    )


@router.get("/{case_id}", response=CaseOut, summary="One case")
def get_case(request: HttpRequest, case_id: int) -> Any:
    return selectors.case_get_for_user(_need(request, "cases.view"), case_id)


@router.get("/{case_id}/follow-ups", response=list[FollowUpOut], summary="A case's follow-ups")
@paginate
def list_follow_ups(request: HttpRequest, case_id: int) -> Any:
    case = selectors.case_get_for_user(_need(request, "cases.view"), case_id)
    return case.follow_ups.all()


def _case_to_work_on(request: HttpRequest, case_id: int) -> Any:
    user = _need(request, "cases.work")
    case = selectors.case_get_for_user(user, case_id)
    if not services.may_work_on(user, case):
        raise Http404
    return user, case


@router.post("/{case_id}/follow-ups", response={201: FollowUpOut}, summary="Plan a follow-up")
def add_follow_up(request: HttpRequest, case_id: int, payload: FollowUpIn) -> Any:
    user, case = _case_to_work_on(request, case_id)
    return 201, services.follow_up_add(
        actor=user, case=case, due_date=payload.due_date, purpose=payload.purpose
    )


@router.post("/{case_id}/referrals", response={201: ReferralOut}, summary="Refer to a partner")
def refer(request: HttpRequest, case_id: int, payload: ReferralIn) -> Any:
    from bakti.partners.models import OrganisationService

    user, case = _case_to_work_on(request, case_id)
    service = OrganisationService.objects.filter(pk=payload.service_id).first()
    if service is None:
        raise ValidationError({"service_id": "Unknown service."})
    return 201, services.referral_create(
        actor=user,
        case=case,
        service=service,
        need=payload.need,
        override_reason=payload.override_reason,
        complete_by=payload.complete_by,
    )
