"""Scoped reads for delivery. Anything outside the user's scope is not found (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.http import Http404

from bakti.accounts.access import scope_for
from bakti.core.scoping import region_q
from bakti.registry import selectors as registry_selectors
from bakti.registry.models import Enrolment, EnrolmentStatus, Person

from .models import (
    Attendance,
    DistributionRound,
    Event,
    Recipient,
    ServiceDelivery,
    ServiceType,
    Worker,
)
from .scoping import scope_filter

VIEW = "delivery.view"
RECORD = "delivery.record"


def _get(queryset: QuerySet, pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Catalogue and programs --------------------------------------------------------------


def program_list_for_user(user: Any, capability: str = VIEW) -> QuerySet:
    """Programs whose regions overlap the user's scope (a kabupaten-wide program is seen by a
    worker of one of its kecamatan)."""
    Program = apps.get_model("programs", "Program")
    scope = scope_for(user, capability)
    if scope.empty:
        return Program.objects.none()
    if scope.region_codes is None:
        return Program.objects.all()
    visible = Program.regions.through.objects.filter(
        scope_filter(scope, region="region_id", region_overlap=True)
    ).values("program_id")
    return Program.objects.filter(pk__in=visible)


def service_type_list_for_user(user: Any, capability: str = VIEW) -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(
        program__in=program_list_for_user(user, capability)
    ).select_related("program")


def service_type_get_for_user(user: Any, pk: Any, capability: str = VIEW) -> ServiceType:
    return _get(service_type_list_for_user(user, capability), pk)


def activity_list_for_user(user: Any, capability: str = VIEW) -> QuerySet:
    Activity = apps.get_model("programs", "Activity")
    return Activity.objects.filter(program__in=program_list_for_user(user, capability))


# --- Workers -----------------------------------------------------------------------------


def worker_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, capability: str = VIEW
) -> QuerySet[Worker]:
    scope = scope_for(user, capability)
    qs = Worker.objects.filter(
        scope_filter(scope, region="region_id", region_overlap=True)
    ).select_related("region", "user")
    filters = filters or {}
    if filters.get("q"):
        qs = qs.filter(Q(full_name__icontains=filters["q"]) | Q(skills__icontains=filters["q"]))
    if filters.get("worker_type"):
        qs = qs.filter(worker_type=filters["worker_type"])
    if filters.get("region"):
        code = filters["region"]
        qs = qs.filter(region_q("region_id", code))
    if filters.get("active") in {"1", "0"}:
        qs = qs.filter(is_active=filters["active"] == "1")
    return qs.order_by("full_name")


def worker_get_for_user(user: Any, pk: Any, capability: str = VIEW) -> Worker:
    return _get(worker_list_for_user(user, capability=capability), pk)


def workload(user: Any, *, date_from: date, date_to: date) -> dict[tuple[int, date], dict]:
    """Events, cases and deliveries per worker per month, in ONE query (a UNION of three
    grouped selects). Returns ``{(worker_id, month): {"events", "cases", "deliveries"}}``."""
    workers = worker_list_for_user(user).values("pk")
    events = (
        Event.objects.filter(facilitator__in=workers, date__range=(date_from, date_to))
        .annotate(month=TruncMonth("date"), kind=Value("events"))
        .order_by()
        .values("facilitator_id", "month", "kind")
        .annotate(n=Count("pk"))
        .values_list("facilitator_id", "month", "kind", "n")
    )
    deliveries = (
        ServiceDelivery.objects.filter(
            delivered_by__in=workers, delivered_on__range=(date_from, date_to)
        )
        .annotate(month=TruncMonth("delivered_on"), kind=Value("deliveries"))
        .order_by()
        .values("delivered_by_id", "month", "kind")
        .annotate(n=Count("pk"))
        .values_list("delivered_by_id", "month", "kind", "n")
    )
    parts = [events, deliveries]
    if apps.is_installed("bakti.cases"):
        Case = apps.get_model("cases", "Case")
        cases = (
            Case.objects.filter(
                caseworker__worker__in=workers, opened_on__range=(date_from, date_to)
            )
            .annotate(
                worker_id=F("caseworker__worker__pk"),
                month=TruncMonth("opened_on"),
                kind=Value("cases"),
            )
            .order_by()
            .values("worker_id", "month", "kind")
            .annotate(n=Count("pk"))
            .values_list("worker_id", "month", "kind", "n")
        )
        parts.append(cases)
    union = parts[0].union(*parts[1:], all=True)
    table: dict[tuple[int, date], dict] = {}
    for worker_id, month, kind, n in union:
        month_date = month.date() if hasattr(month, "date") else month
        cell = table.setdefault((worker_id, month_date), {"events": 0, "cases": 0, "deliveries": 0})
        cell[kind] += n
    return table


# --- Events ------------------------------------------------------------------------------


def event_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, capability: str = VIEW
) -> QuerySet[Event]:
    scope = scope_for(user, capability)
    qs = (
        Event.objects.filter(scope_filter(scope, region="region_id"))
        .select_related("program", "activity", "region", "facilitator")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present"), distinct=True)
        )
        .order_by("-date", "-start_time", "-id")
    )
    filters = filters or {}
    if filters.get("q"):
        qs = qs.filter(Q(topic__icontains=filters["q"]) | Q(place__icontains=filters["q"]))
    if filters.get("program"):
        qs = qs.filter(program=filters["program"])
    if filters.get("region"):
        code = filters["region"]
        qs = qs.filter(region_q("region_id", code))
    if filters.get("date_from"):
        qs = qs.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(date__lte=filters["date_to"])
    return qs


def event_get_for_user(user: Any, pk: Any, capability: str = VIEW) -> Event:
    return _get(event_list_for_user(user, capability=capability), pk)


def attendance_for_event(user: Any, event: Event) -> QuerySet[Attendance]:
    scope = scope_for(user, "registry.view")
    return (
        Attendance.objects.filter(event=event)
        .filter(scope_filter(scope, region="region_id"))
        .select_related("person")
        .order_by("person__full_name")
    )


def attendance_tally(event: Event) -> QuerySet[Attendance]:
    """All of an event's attendance, for counts only (no personal data leaves this)."""
    return Attendance.objects.filter(event=event)


def enrolled_people_search(user: Any, program: Any, query: str, limit: int = 10) -> list[Person]:
    """People enrolled in ``program`` (themselves or through their household) in the user's
    scope, found by NIK (whole or the start) or by name. For the check-in box."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    enrolled = Enrolment.objects.filter(program=program, status=EnrolmentStatus.ENROLLED)
    # The registry's own selector: its scope, and children hidden from those without the
    # sensitive-data capability.
    qs = (
        registry_selectors.person_list_for_user(user)
        .filter(deceased=False)
        .filter(
            Q(pk__in=enrolled.filter(person__isnull=False).values("person_id"))
            | Q(household_id__in=enrolled.filter(person__isnull=True).values("household_id"))
        )
    )
    if query.isdigit():
        qs = qs.filter(nik__startswith=query)
    else:
        qs = qs.filter(full_name__icontains=query)
    return list(qs.select_related("region").order_by("full_name")[:limit])


def person_get_for_user(user: Any, pk: Any) -> Person:
    try:
        return registry_selectors.person_get_for_user(user, int(pk))
    except (ValueError, TypeError):
        raise Http404 from None


# --- Deliveries and rounds ---------------------------------------------------------------


def delivery_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, capability: str = VIEW
) -> QuerySet[ServiceDelivery]:
    scope = scope_for(user, capability)
    qs = ServiceDelivery.objects.filter(scope_filter(scope, region="region_id")).select_related(
        "program", "service_type", "household", "person", "delivered_by", "round", "region"
    )
    filters = filters or {}
    if filters.get("program"):
        qs = qs.filter(program=filters["program"])
    if filters.get("service_type"):
        qs = qs.filter(service_type=filters["service_type"])
    if filters.get("region"):
        code = filters["region"]
        qs = qs.filter(region_q("region_id", code))
    if filters.get("date_from"):
        qs = qs.filter(delivered_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(delivered_on__lte=filters["date_to"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(person__full_name__icontains=q)
            | Q(household__head__full_name__icontains=q)
            | Q(person__nik=q)
            | Q(household__no_kk=q)
        )
    return qs


def enrolment_get_for_user(user: Any, pk: Any, capability: str = RECORD) -> Enrolment:
    scope = scope_for(user, capability)
    return _get(
        Enrolment.objects.filter(scope_filter(scope, region="region_id")).select_related(
            "program", "household", "person"
        ),
        pk,
    )


def enrolment_list_for_user(user: Any, program: Any, capability: str = RECORD) -> QuerySet:
    scope = scope_for(user, capability)
    return (
        Enrolment.objects.filter(scope_filter(scope, region="region_id"), program=program)
        .filter(status=EnrolmentStatus.ENROLLED)
        .select_related("household", "person", "household__head")
    )


def round_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, capability: str = VIEW
) -> QuerySet[DistributionRound]:
    scope = scope_for(user, capability)
    qs = (
        DistributionRound.objects.filter(
            scope_filter(scope, region="region_id", region_overlap=True)
        )
        .select_related("program", "service_type", "region")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            received_count=Count("deliveries", distinct=True),
        )
        .order_by("-planned_date", "-id")
    )
    filters = filters or {}
    if filters.get("program"):
        qs = qs.filter(program=filters["program"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"])
    return qs


def round_get_for_user(user: Any, pk: Any, capability: str = VIEW) -> DistributionRound:
    return _get(round_list_for_user(user, capability=capability), pk)


def recipients_for_user(
    user: Any, distribution: DistributionRound, capability: str = VIEW
) -> QuerySet[Recipient]:
    """The lines of the round's list inside the user's scope, each with ``received``."""
    scope = scope_for(user, capability)
    received = ServiceDelivery.objects.filter(
        round=distribution, enrolment_id=OuterRef("enrolment_id")
    )
    return (
        Recipient.objects.filter(round=distribution)
        .filter(scope_filter(scope, region="region_id"))
        .select_related("household", "household__head", "person", "enrolment", "region")
        .annotate(received=Exists(received))
        .order_by("line")
    )
