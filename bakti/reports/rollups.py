"""People reached, pre-aggregated (issue 9): the dashboards count distinct people over the
:class:`~bakti.reports.models.Reach` rows instead of over every service delivery.

A ``Reach`` row stands for the deliveries of one program, activity and person (or household
served as a whole) in one calendar year, summarised by their first and last date. Someone is
reached in a window ``[start, end]`` when one of their deliveries falls in it, which the rows
decide exactly:

* a row whose first date is in the window, or whose last date is, has a delivery in it;
* a row that neither starts nor ends in the window but spans it (first date before ``start``,
  last date after ``end``, which only happens when the window starts and ends inside the same
  calendar year of that row) is checked against the deliveries themselves, for that one
  program and person: an indexed lookup done for those few rows only.

The pages' windows (year to date, the fiscal year, program start to the quarter's end) almost
never leave a row spanning them, so a count is an index range scan over one row per person and
year, whatever the number of deliveries.

Rows never need to be unique: several rows for the same key (after two deliveries were recorded
at the same moment, or a merge of two records moved one person's rows to the other) still say
the same thing, since a person counts when *any* of their rows has a delivery in the window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Case, Exists, F, Max, Min, OuterRef, Q, QuerySet, When
from django.db.models.functions import ExtractYear

from .models import Reach

CHUNK = 500


def delivery_installed() -> bool:
    return apps.is_installed("bakti.delivery") and apps.is_installed("bakti.registry")


def reach_in(
    program_ids: Any, start: dt.date, end: dt.date, *, same_activity: bool = False
) -> QuerySet[Reach]:
    """The ``Reach`` rows of ``program_ids`` (all programs if None) with at least one delivery
    between ``start`` and ``end`` (inclusive). With ``same_activity`` the check of a spanning
    row looks at the deliveries of that row's activity only (for counts grouped by activity or
    output)."""
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    inside = ServiceDelivery.objects.filter(
        program_id=OuterRef("program_id"), delivered_on__gte=start, delivered_on__lte=end
    )
    if same_activity:
        inside = inside.filter(activity_id=OuterRef("activity_id"))
    rows = (
        Reach.objects.all()
        if program_ids is None
        else Reach.objects.filter(program_id__in=program_ids)
    )
    return rows.filter(
        year__gte=start.year,
        year__lte=end.year,
        first_on__lte=end,
        last_on__gte=start,
    ).filter(
        Q(first_on__gte=start)
        | Q(last_on__lte=end)
        | Q(Exists(inside.filter(person_id=OuterRef("person_id"))), person__isnull=False)
        | Q(
            Exists(inside.filter(person__isnull=True, household_id=OuterRef("household_id"))),
            person__isnull=True,
        )
    )


# ---------------------------------------------------------------------------------------------
# Keeping the rows
# ---------------------------------------------------------------------------------------------

COLUMNS = ("program_id", "activity_id", "person_id", "household_id", "year", "first_on", "last_on")


def _insert_from(deliveries: QuerySet[Any]) -> None:
    """Insert the ``Reach`` rows summarising ``deliveries``: one ``INSERT … SELECT … GROUP
    BY`` in the database, whatever their number."""
    grouped = (
        deliveries.order_by()
        .values(
            "program_id",
            "activity_id",
            "person_id",
            whole_household=Case(When(person__isnull=True, then=F("household_id")), default=None),
            calendar_year=ExtractYear("delivered_on"),
        )
        .annotate(first_day=Min("delivered_on"), last_day=Max("delivered_on"))
    )
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Reach._meta.db_table)
    columns = ", ".join(quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the model, values bound
            "SELECT agg.program_id, agg.activity_id, agg.person_id, agg.whole_household, "
            f"agg.calendar_year, agg.first_day, agg.last_day FROM ({sql}) agg",
            params,
        )


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = sorted(values)
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


@transaction.atomic
def reach_refresh(*, deliveries: Iterable[Any]) -> None:
    """Recompute the rows of everyone ``deliveries`` (just recorded, or removed) touch, from
    all their deliveries in the same programs: called by the delivery services in the same
    transaction as the write, so the figures are right as soon as it commits."""
    if not delivery_installed():
        return
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    people: dict[int, set[int]] = defaultdict(set)
    households: dict[int, set[int]] = defaultdict(set)
    for delivery in deliveries:
        if delivery.person_id is not None:
            people[delivery.program_id].add(delivery.person_id)
        elif delivery.household_id is not None:
            households[delivery.program_id].add(delivery.household_id)
    for program_id, person_ids in people.items():
        for chunk in _chunks(person_ids):
            Reach.objects.filter(program_id=program_id, person_id__in=chunk).delete()
            _insert_from(ServiceDelivery.objects.filter(program_id=program_id, person_id__in=chunk))
    for program_id, household_ids in households.items():
        for chunk in _chunks(household_ids):
            Reach.objects.filter(
                program_id=program_id, person__isnull=True, household_id__in=chunk
            ).delete()
            _insert_from(
                ServiceDelivery.objects.filter(
                    program_id=program_id, person__isnull=True, household_id__in=chunk
                )
            )


@transaction.atomic
def reach_rebuild() -> int:
    """Build every row again from all deliveries (after a bulk load that bypassed the
    services, or to be sure): returns the number of rows."""
    Reach.objects.all().delete()
    if not delivery_installed():
        return 0
    _insert_from(apps.get_model("delivery", "ServiceDelivery").objects.all())
    return Reach.objects.count()
