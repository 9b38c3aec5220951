"""Scoped reads of tickets and meetings.

A ticket is visible to a user when it lies in their ``community.view`` region scope, or, on
the sensitive track, only when they are one of its named investigators; and never to the staff
or partner named in it. Every page, export and API route goes through these functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bakti.accounts.access import scope_for

from . import codes
from .models import OPEN_STATUSES, CommunityMeeting, Status, Ticket

SLA_STATES = ("overdue", "due_soon", "on_track", "done")


def region_scope_q(scope: Any, field: str, *, overlap: bool = False) -> Q:
    """The rows of ``scope`` by their region ``field``."""
    return scope.q(region=field, region_overlap=overlap)


def _partner_org_id(user: Any) -> int | None:
    from bakti.partners.models import OrganisationUser

    return (
        OrganisationUser.objects.filter(user_id=user.pk)
        .values_list("organisation_id", flat=True)
        .first()
    )


def _visible_base(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    scope = scope_for(user, "community.view")
    investigator = Exists(
        Ticket.investigators.through.objects.filter(ticket_id=OuterRef("pk"), user_id=user.pk)
    )
    named = Exists(
        Ticket.named_staff.through.objects.filter(ticket_id=OuterRef("pk"), user_id=user.pk)
    )
    ordinary = Q(is_sensitive=False) & region_scope_q(scope, "region_id")
    visible = (ordinary | (Q(is_sensitive=True) & investigator)) & ~named
    organisation_id = _partner_org_id(user)
    if organisation_id is not None:
        visible &= ~Q(named_organisation_id=organisation_id)
    return visible


def sla_state(ticket: Ticket, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if ticket.status not in OPEN_STATUSES:
        return "done"
    due = ticket.resolve_due
    if ticket.acknowledged_at is None and ticket.acknowledge_due < due:
        due = ticket.acknowledge_due
    if today > due:
        return "overdue"
    if (due - today).days <= 2:
        return "due_soon"
    return "on_track"


def overdue_q(today: dt.date) -> Q:
    """Open tickets past a deadline on ``today``: not resolved by their resolution date, or not
    acknowledged by their acknowledgement date. The one definition the ticket lists, the
    escalation job, program health and the reports count by."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(resolve_due__lt=today) | Q(acknowledged_at__isnull=True, acknowledge_due__lt=today)
    )


def _sla_filter(state: str, today: dt.date) -> Q:
    open_q = Q(status__in=OPEN_STATUSES)
    overdue = overdue_q(today)
    soon = today + dt.timedelta(days=2)
    if state == "overdue":
        return overdue
    if state == "due_soon":
        return (
            open_q
            & ~overdue
            & (
                Q(resolve_due__lte=soon)
                | Q(acknowledged_at__isnull=True, acknowledge_due__lte=soon)
            )
        )
    if state == "on_track":
        return open_q & ~overdue & ~_sla_filter("due_soon", today)
    if state == "done":
        return ~open_q
    return Q()


def ticket_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, *, today: dt.date | None = None
) -> QuerySet[Ticket]:
    """Tickets the user may see, newest first, with the filters of the ticket board."""
    filters = filters or {}
    today = today or timezone.localdate()
    tickets = Ticket.objects.filter(_visible_base(user)).select_related(
        "category", "priority", "region", "assigned_to", "escalation_step"
    )
    if filters.get("q"):
        needle = filters["q"].strip()
        tickets = tickets.filter(
            Q(code=codes.normalise(needle))
            | Q(external_reference__iexact=needle)
            | Q(description__icontains=needle)
        )
    for name in ("status", "channel"):
        if filters.get(name):
            tickets = tickets.filter(**{name: filters[name]})
    if filters.get("category"):
        tickets = tickets.filter(category=filters["category"])
    if filters.get("priority"):
        tickets = tickets.filter(priority=filters["priority"])
    if filters.get("region"):
        code = filters["region"]
        tickets = tickets.filter(Q(region_id=code) | Q(region__pk__startswith=code + "."))
    if filters.get("sla"):
        tickets = tickets.filter(_sla_filter(filters["sla"], today))
    if filters.get("mine"):
        tickets = tickets.filter(assigned_to=user)
    if filters.get("date_from"):
        tickets = tickets.filter(received_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        tickets = tickets.filter(received_at__date__lte=filters["date_to"])
    return tickets.order_by("-received_at", "-pk")


def ticket_board_counts(
    tickets: QuerySet[Ticket], today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Rows of the board: per status, how many tickets are overdue, due soon, on track."""
    today = today or timezone.localdate()
    rows = []
    for status, label in Status.choices:
        row: dict[str, Any] = {"status": status, "label": label}
        rows.append(row)
    from django.db.models import Count

    aggregates = {}
    for state in SLA_STATES:
        aggregates[state] = Count("pk", filter=_sla_filter(state, today))
    counts = {
        entry["status"]: entry
        for entry in tickets.order_by().values("status").annotate(**aggregates)
    }
    for row in rows:
        entry = counts.get(row["status"], {})
        for state in SLA_STATES:
            row[state] = entry.get(state, 0)
        row["total"] = sum(row[state] for state in SLA_STATES)
    return rows


def ticket_get_for_user(user: Any, pk: int) -> Ticket:
    ticket = (
        Ticket.objects.filter(_visible_base(user), pk=pk)
        .select_related("category", "priority", "region", "assigned_to", "escalation_step")
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def identity_visible(user: Any, ticket: Ticket) -> bool:
    """Named: anyone who sees the ticket; confidential: only the handling officer."""
    if ticket.identity_mode == "named":
        return True
    if ticket.identity_mode == "confidential":
        return ticket.assigned_to_id is not None and ticket.assigned_to_id == user.pk
    return False


def ticket_by_code(raw: str) -> Ticket | None:
    """The public lookup by tracking code (no user): None for an invalid or unknown code."""
    code = codes.normalise(raw)
    if not codes.is_valid(code):
        return None
    return Ticket.objects.filter(code=code).select_related("category").first()


def meeting_list_for_user(user: Any, filters: dict[str, Any] | None = None):
    filters = filters or {}
    scope = scope_for(user, "community.view")
    meetings = CommunityMeeting.objects.filter(
        region_scope_q(scope, "region_id", overlap=True)
    ).select_related("region", "facilitator")
    if filters.get("kind"):
        meetings = meetings.filter(kind=filters["kind"])
    if filters.get("q"):
        meetings = meetings.filter(
            Q(title__icontains=filters["q"]) | Q(topics__icontains=filters["q"])
        )
    if filters.get("date_from"):
        meetings = meetings.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        meetings = meetings.filter(date__lte=filters["date_to"])
    return meetings.order_by("-date", "-pk")


def meeting_get_for_user(user: Any, pk: int) -> CommunityMeeting:
    meeting = meeting_list_for_user(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting
