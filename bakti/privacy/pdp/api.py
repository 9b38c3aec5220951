"""/api/v1/privacy/: data-subject requests, through the same selectors and services as the
pages (the 3x24-hour clock, answers, refusals with their reason, the access export)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.regions.models import Region
from bakti.registry.selectors import person_get_for_user

from . import selectors, services
from .schemas import AnswerIn, RefuseIn, RequestIn, RequestOut

router = Router(tags=["privacy"])


def _need(request: HttpRequest, capability: str) -> None:
    if not has(request.user, capability):
        raise PermissionDenied("You may not do this.")


@router.get("/requests", response=list[RequestOut], summary="Data-subject requests I may see")
@paginate
def list_requests(
    request: HttpRequest, kind: str = "", status: str = "", state: str = "", q: str = ""
) -> Any:
    _need(request, selectors.VIEW)
    filters = {"kind": kind, "status": status, "state": state, "q": q}
    return selectors.dsr_list_for_user(request.user, filters)


@router.get("/requests/{request_id}", response=RequestOut)
def get_request(request: HttpRequest, request_id: int) -> Any:
    _need(request, selectors.VIEW)
    return selectors.dsr_get_for_user(request.user, request_id)


@router.post("/requests", response={201: RequestOut}, summary="Record a data-subject request")
def create_request(request: HttpRequest, payload: RequestIn) -> Status:
    _need(request, selectors.MANAGE)
    person = None
    if payload.person_id:
        try:
            person = person_get_for_user(request.user, payload.person_id)
        except Http404:
            raise ValidationError(
                {"person_id": "No person with this number in your area."}
            ) from None
    region = None
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code).first()
        if region is None:
            raise ValidationError({"region_code": "Unknown region code."})
    item = services.dsr_receive(
        actor=request.user,
        kind=payload.kind,
        person=person,
        region=region,
        requester_name=payload.requester_name,
        requester_relation=payload.requester_relation,
        requester_contact=payload.requester_contact,
        channel=payload.channel,
        received_at=payload.received_at,
        details=payload.details,
    )
    return Status(201, item)


@router.post("/requests/{request_id}/answer", response=RequestOut)
def answer_request(request: HttpRequest, request_id: int, payload: AnswerIn) -> Any:
    _need(request, selectors.MANAGE)
    item = selectors.dsr_get_for_user(request.user, request_id, capability=selectors.MANAGE)
    return services.dsr_answer(
        actor=request.user,
        request=item,
        answer=payload.answer,
        answer_channel=payload.answer_channel,
    )


@router.post("/requests/{request_id}/refuse", response=RequestOut)
def refuse_request(request: HttpRequest, request_id: int, payload: RefuseIn) -> Any:
    _need(request, selectors.MANAGE)
    item = selectors.dsr_get_for_user(request.user, request_id, capability=selectors.MANAGE)
    return services.dsr_refuse(
        actor=request.user,
        request=item,
        refusal_reason=payload.refusal_reason,
        answer=payload.answer,
        answer_channel=payload.answer_channel,
    )


@router.get("/requests/{request_id}/export", response=dict, summary="Everything held (access)")
def export_request(request: HttpRequest, request_id: int) -> Any:
    _need(request, selectors.MANAGE)
    item = selectors.dsr_get_for_user(request.user, request_id, capability=selectors.MANAGE)
    return services.dsr_access_export(actor=request.user, request=item)
