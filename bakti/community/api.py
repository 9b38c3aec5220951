"""/api/v1/feedback/: tickets for staff (through the same scoped selectors and services as the
pages) and an unauthenticated public intake and status lookup with the web form's limits."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from bakti.accounts.access import has

from . import selectors, services
from .models import Category, Priority, Ticket
from .public_views import client_address
from .schemas import (
    CategoryOut,
    PublicReportIn,
    PublicStatusOut,
    TicketIn,
    TicketOut,
    TransitionIn,
)

router = Router(tags=["feedback"])


def _need(request: HttpRequest, capability: str) -> None:
    if not has(request.user, capability):
        raise PermissionDenied("You may not do this.")


@router.get("/tickets", response=list[TicketOut], summary="Tickets I may see")
@paginate
def list_tickets(
    request: HttpRequest,
    status: str = "",
    category: str = "",
    channel: str = "",
    sla: str = "",
    q: str = "",
) -> Any:
    _need(request, "community.view")
    filters: dict[str, Any] = {"status": status, "channel": channel, "sla": sla, "q": q}
    if category:
        filters["category"] = Category.objects.filter(code=category).first() or -1
    return selectors.ticket_list_for_user(request.user, filters)


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    _need(request, "community.view")
    return selectors.ticket_get_for_user(request.user, ticket_id)


@router.post("/tickets", response={201: TicketOut}, summary="Record a ticket from any channel")
def create_ticket(request: HttpRequest, payload: TicketIn) -> Status:
    _need(request, "community.handle")
    category = Category.objects.filter(code=payload.category, is_active=True).first()
    priority = Priority.objects.filter(code=payload.priority).first()
    if category is None or priority is None:
        raise ValidationError({"category": "Unknown category or priority."})
    ticket = services.ticket_create(
        actor=request.user,
        channel=payload.channel,
        category=category,
        priority=priority,
        description=payload.description,
        region_code=payload.region_code,
        place_detail=payload.place_detail,
        identity_mode=payload.identity_mode,
        complainant_name=payload.complainant_name,
        complainant_phone=payload.complainant_phone,
        complainant_email=payload.complainant_email,
        external_reference=payload.external_reference,
    )
    return Status(201, ticket)


@router.post("/tickets/{ticket_id}/transition", response=TicketOut)
def transition_ticket(request: HttpRequest, ticket_id: int, payload: TransitionIn) -> Ticket:
    _need(request, "community.view")
    ticket = selectors.ticket_get_for_user(request.user, ticket_id)
    assignee = (
        get_object_or_404(get_user_model(), pk=payload.assignee_id) if payload.assignee_id else None
    )
    services.ticket_transition(
        actor=request.user,
        ticket=ticket,
        action=payload.action,
        note=payload.note,
        resolution=payload.resolution,
        assignee=assignee,
        expected_version=payload.expected_version,
    )
    return selectors.ticket_get_for_user(request.user, ticket_id)


@router.get("/public/categories", response=list[CategoryOut], auth=None)
def public_categories(request: HttpRequest) -> Any:
    return Category.objects.filter(is_active=True).order_by("order")


@router.post(
    "/public/reports",
    response={201: PublicStatusOut},
    auth=None,
    summary="File a report without an account (rate-limited per address)",
)
def public_report(request: HttpRequest, payload: PublicReportIn) -> Status:
    if payload.website:
        raise HttpError(400, "Your report could not be accepted.")
    if len(payload.description) > 5000:
        raise ValidationError({"description": "At most 5,000 characters."})
    category = Category.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        raise ValidationError({"category": "Choose one of the listed categories."})
    try:
        ticket = services.ticket_file_public(
            address=client_address(request),
            category=category,
            description=payload.description,
            region_code=payload.region_code or None,
            place_detail=payload.place_detail[:250],
            anonymous=payload.anonymous,
            complainant_name=payload.complainant_name[:150],
            complainant_phone=payload.complainant_phone[:30],
            complainant_email=payload.complainant_email,
        )
    except PermissionDenied as error:
        raise HttpError(429, str(error)) from error
    return Status(201, _public(ticket))


def _public(ticket: Ticket) -> dict[str, Any]:
    return {
        "code": ticket.code,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "category": ticket.category.name,
        "received_at": ticket.received_at,
        "resolve_due": ticket.resolve_due,
        "resolution": ticket.resolution,
        "replies": [
            {"at": r.created_at, "body": r.body, "from_complainant": r.from_complainant}
            for r in ticket.replies.filter(is_public=True)
        ],
    }


@router.get("/public/reports/{code}", response=PublicStatusOut, auth=None)
def public_status(request: HttpRequest, code: str) -> Any:
    ticket = selectors.ticket_by_code(code)
    if ticket is None:
        raise Http404
    return _public(ticket)
