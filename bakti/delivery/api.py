"""The delivery API at /api/v1/delivery/: the same selectors and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from bakti.accounts.access import has

from . import selectors, services
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    DeliveryIn,
    DeliveryOut,
    EventOut,
    ReceiptIn,
    ReceiptOut,
    RecipientOut,
    RoundOut,
    ServiceTypeOut,
    WorkerOut,
)

router = Router(tags=["delivery"])


def _need(request: HttpRequest, capability: str) -> Any:
    if not has(request.user, capability):
        raise PermissionDenied
    return request.user


@router.get("/services", response=list[ServiceTypeOut], summary="Service catalogue")
@paginate
def list_services(request: HttpRequest) -> Any:
    return selectors.service_type_list_for_user(_need(request, "delivery.view")).order_by("pk")


@router.get("/workers", response=list[WorkerOut], summary="Workers and volunteers")
@paginate
def list_workers(request: HttpRequest) -> Any:
    return selectors.worker_list_for_user(_need(request, "delivery.view"))


@router.get("/events", response=list[EventOut], summary="Events")
@paginate
def list_events(request: HttpRequest) -> Any:
    return selectors.event_list_for_user(_need(request, "delivery.view"))


@router.get("/events/{event_id}", response=EventOut, summary="One event")
def get_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.event_get_for_user(_need(request, "delivery.view"), event_id)


@router.get(
    "/events/{event_id}/attendance", response=list[AttendanceOut], summary="Event attendance"
)
@paginate
def list_attendance(request: HttpRequest, event_id: int) -> Any:
    user = _need(request, "delivery.view")
    return selectors.attendance_for_event(user, selectors.event_get_for_user(user, event_id))


@router.post(
    "/events/{event_id}/attendance", response={201: AttendanceOut}, summary="Check someone in"
)
def record_attendance(request: HttpRequest, event_id: int, payload: AttendanceIn) -> Any:
    user = _need(request, "delivery.record")
    event = selectors.event_get_for_user(user, event_id, "delivery.record")
    person = selectors.person_get_for_user(user, payload.person_id)
    return 201, services.attendance_record(
        actor=user, event=event, person=person, status=payload.status
    )


@router.get("/deliveries", response=list[DeliveryOut], summary="Services and aid delivered")
@paginate
def list_deliveries(request: HttpRequest) -> Any:
    return selectors.delivery_list_for_user(_need(request, "delivery.view"))


@router.post("/deliveries", response={201: DeliveryOut}, summary="Record a delivery")
def create_delivery(request: HttpRequest, payload: DeliveryIn) -> Any:
    user = _need(request, "delivery.record")
    enrolment = selectors.enrolment_get_for_user(user, payload.enrolment_id)
    service_type = selectors.service_type_get_for_user(user, payload.service_type_id)
    delivered_by = (
        selectors.worker_get_for_user(user, payload.delivered_by_id)
        if payload.delivered_by_id
        else None
    )
    activity = None
    if payload.activity_id:
        activity = (
            selectors.activity_list_for_user(user, "delivery.record")
            .filter(pk=payload.activity_id)
            .first()
        )
        if activity is None:
            raise ValidationError({"activity_id": "Unknown activity."})
    return 201, services.delivery_record(
        actor=user,
        enrolment=enrolment,
        service_type=service_type,
        quantity=payload.quantity,
        value=payload.value,
        delivered_on=payload.delivered_on,
        delivered_by=delivered_by,
        place=payload.place,
        activity=activity,
        note=payload.note,
    )


@router.get("/rounds", response=list[RoundOut], summary="Distribution rounds")
@paginate
def list_rounds(request: HttpRequest) -> Any:
    return selectors.round_list_for_user(_need(request, "delivery.view"))


@router.get("/rounds/{round_id}", response=RoundOut, summary="One distribution round")
def get_round(request: HttpRequest, round_id: int) -> Any:
    return selectors.round_get_for_user(_need(request, "delivery.view"), round_id)


@router.get("/rounds/{round_id}/recipients", response=list[RecipientOut], summary="A round's list")
@paginate
def list_recipients(request: HttpRequest, round_id: int) -> Any:
    user = _need(request, "delivery.view")
    return selectors.recipients_for_user(user, selectors.round_get_for_user(user, round_id))


@router.post("/rounds/{round_id}/receipts", response=ReceiptOut, summary="Record receipt")
def record_receipts(request: HttpRequest, round_id: int, payload: ReceiptIn) -> Any:
    user = _need(request, "delivery.record")
    distribution = selectors.round_get_for_user(user, round_id, "delivery.record")
    lines = list(
        selectors.recipients_for_user(user, distribution, "delivery.record").filter(
            pk__in=payload.recipient_ids
        )
    )
    found = {r.pk for r in lines}
    missing = [i for i in payload.recipient_ids if i not in found]
    delivered_by = (
        selectors.worker_get_for_user(user, payload.delivered_by_id)
        if payload.delivered_by_id
        else None
    )
    result = services.round_receive(
        actor=user,
        distribution=distribution,
        recipients=lines,
        delivered_on=payload.delivered_on,
        delivered_by=delivered_by,
    )
    errors = result.errors + [f"Recipient {i}: not found." for i in missing]
    return ReceiptOut(recorded=result.recorded, errors=errors)
