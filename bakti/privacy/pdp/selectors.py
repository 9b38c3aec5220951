"""Scoped reads of the data-protection records, and the lists other apps ask about.

What other modules must respect (they call these, the privacy app does not reach into them):

- ``restricted_person_ids()``: people whose processing is restricted. Their record is kept and
  shown, but no new enrolment, delivery, scoring or sharing with partners may use it until the
  restriction is lifted. Here, the retention job keeps restricted records (never anonymises
  them); the registry (enrolment, targeting, scoring), delivery and case referrals are to call
  it before using a person.
- ``objected_household_ids()``: households of people who object to automated scoring; scoring
  runs (``bakti.registry.scoring.households_of``) must leave them out.
"""

import calendar
import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from bakti.accounts.access import scope_for
from bakti.cases.models import Case, CaseStatus
from bakti.registry.models import Enrolment, Person

from .models import (
    ALERT_WINDOW,
    OPEN_REQUEST,
    Anonymisation,
    Breach,
    BreachStatus,
    DataSubjectRequest,
    Dpia,
    LimitKind,
    ProcessingLimit,
    ProcessingRecord,
    RetentionPolicy,
    RetentionRun,
)
from .subjects import OPEN_ENROLMENT

VIEW = "privacy.view"
MANAGE = "privacy.manage"


# --- data-subject requests ------------------------------------------------------------------


def dsr_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, *, capability: str = VIEW
) -> QuerySet[DataSubjectRequest]:
    """Requests in the user's region scope. Filters: kind, status, state (open, due_soon,
    overdue), q (requester or person name)."""
    filters = filters or {}
    rows = DataSubjectRequest.objects.filter(
        scope_for(user, capability).q(region="region_id")
    ).select_related("person", "region", "handled_by")
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    now = timezone.now()
    state = filters.get("state")
    if state == "open":
        rows = rows.filter(status__in=OPEN_REQUEST)
    elif state == "due_soon":
        rows = rows.filter(status__in=OPEN_REQUEST, due_at__gte=now, due_at__lte=now + ALERT_WINDOW)
    elif state == "overdue":
        rows = rows.filter(status__in=OPEN_REQUEST, due_at__lt=now)
    if filters.get("q"):
        text = filters["q"]
        rows = rows.filter(Q(requester_name__icontains=text) | Q(person__full_name__icontains=text))
    return rows


def dsr_get_for_user(user: Any, pk: int, *, capability: str = VIEW) -> DataSubjectRequest:
    request = dsr_list_for_user(user, capability=capability).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def dsr_alerts_for_user(user: Any) -> dict[str, QuerySet[DataSubjectRequest]]:
    """Open requests due within 24 hours, and those past their 3x24-hour deadline."""
    return {
        "overdue": dsr_list_for_user(user, {"state": "overdue"}),
        "due_soon": dsr_list_for_user(user, {"state": "due_soon"}),
    }


def limits_of(person: Person) -> QuerySet[ProcessingLimit]:
    return ProcessingLimit.objects.filter(person=person, lifted_at__isnull=True)


def limit_get(pk: int) -> ProcessingLimit:
    limit = ProcessingLimit.objects.select_related("person").filter(pk=pk).first()
    if limit is None:
        raise Http404
    return limit


def restricted_person_ids() -> QuerySet:
    """Ids of people whose processing is restricted (see the module docstring)."""
    return ProcessingLimit.objects.filter(
        kind=LimitKind.RESTRICTION, lifted_at__isnull=True
    ).values_list("person_id", flat=True)


def objected_household_ids() -> QuerySet:
    """Ids of households to leave out of automated scoring (see the module docstring)."""
    return ProcessingLimit.objects.filter(
        kind=LimitKind.SCORING_OBJECTION, lifted_at__isnull=True, household__isnull=False
    ).values_list("household_id", flat=True)


# --- breaches ---------------------------------------------------------------------------------


def breach_list_for_user(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Breach]:
    """Breaches are department-wide: anyone holding privacy.view sees the register."""
    if scope_for(user, VIEW).empty:
        return Breach.objects.none()
    filters = filters or {}
    rows = Breach.objects.select_related("recorded_by")
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("overdue"):
        rows = rows.filter(status=BreachStatus.OPEN, notify_due_at__lt=timezone.now())
    if filters.get("q"):
        rows = rows.filter(title__icontains=filters["q"])
    return rows


def breach_get_for_user(user: Any, pk: int) -> Breach:
    breach = breach_list_for_user(user).filter(pk=pk).first()
    if breach is None:
        raise Http404
    return breach


def breaches_overdue(user: Any) -> QuerySet[Breach]:
    return breach_list_for_user(user, {"overdue": True})


# --- retention --------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_policy_list() -> QuerySet[RetentionPolicy]:
    return RetentionPolicy.objects.all()


def retention_run_list() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("actor")


def retention_candidates(cutoff: dt.date) -> QuerySet[Person]:
    """People who left every program before ``cutoff`` and are not anonymised yet, with
    ``last_exit`` and ``open_case`` (a legal hold) annotated. People never enrolled are left
    alone: their retention starts with an enrolment decision."""
    theirs = Q(person=OuterRef("pk")) | Q(household=OuterRef("household"), person__isnull=True)
    enrolments = Enrolment.objects.filter(theirs)
    last_end = (
        enrolments.annotate(end=Coalesce("exited_on", TruncDate("updated_at")))
        .order_by("-end")
        .values("end")[:1]
    )
    return (
        Person.objects.filter(Exists(enrolments))
        .exclude(Exists(enrolments.filter(status__in=OPEN_ENROLMENT)))
        .exclude(Exists(Anonymisation.objects.filter(person=OuterRef("pk"))))
        .annotate(
            last_exit=Subquery(last_end),
            open_case=Exists(
                Case.objects.filter(person=OuterRef("pk")).exclude(status=CaseStatus.CLOSED)
            ),
        )
        .filter(last_exit__lt=cutoff)
        .select_related("region")
        .order_by("last_exit", "pk")
    )


# --- records of processing and DPIA -------------------------------------------------------------


def processing_record_list() -> QuerySet[ProcessingRecord]:
    return ProcessingRecord.objects.select_related("program").prefetch_related("recipients")


def dpia_list(program: Any = None) -> QuerySet[Dpia]:
    rows = Dpia.objects.select_related("program", "signed_off_by")
    if program is not None:
        rows = rows.filter(program=program)
    return rows
