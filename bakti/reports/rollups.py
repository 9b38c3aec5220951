"""People reached, pre-aggregated (issue 9): the dashboards read a few hundred counts instead of
counting distinct people over every service delivery.

Two tables, both derived from the deliveries and the registry, both kept current in the same
transaction as every write that changes them:

* :class:`~bakti.reports.models.Reach`: one row per program, activity, person and calendar
  year, with the first and last delivery date. Aid handed to a household as a whole reaches
  each person living in it (one row each, ``via_household`` set). Each row keeps a copy of the
  person's sex, disability, desa and birth date.
* :class:`~bakti.reports.models.ReachTally`: the people counted once per program, per output
  and over all programs, by the quarter of their first delivery and by one attribute. The people
  reached from 1 January to the end of a quarter, or since a program started, are a sum of a
  few of these rows, exactly (see the model).

Whenever the deliveries of some people change (:func:`reach_refresh`, called by the delivery
services) or the people themselves change (:func:`people_changed`, called by the registry
services: a new member of a household that was served, a move, a corrected birth date, a
merge), their rows are written again, and the tally is moved by the difference between what
their old rows and their new rows count. The work is proportional to the people touched, never
to the registry. :func:`reach_rebuild` builds both tables from scratch (``bakti reports
rebuild-rollups``); the scheduler runs it every night as a safety net, and a test holds the
tally equal to a count over the deliveries after every kind of write.

Windows the tally cannot answer (a subset of the programs that is not all of them, a fiscal year
that is not the calendar year) are counted over the ``Reach`` rows with :func:`reach_in`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Reach, ReachTally

CHUNK = 500
REBUILD_CHUNK = 20_000
ALL, PROGRAM, OUTPUT = "a", "p", "o"
EVER = 0  # ReachTally.year for "since the program's first delivery"


def delivery_installed() -> bool:
    return apps.is_installed("bakti.delivery") and apps.is_installed("bakti.registry")


def quarter_number(day: dt.date) -> int:
    """1-4."""
    return (day.month - 1) // 3 + 1


def quarter_index(day: dt.date) -> int:
    """Quarters counted from year 0: ``year * 4 + quarter - 1``."""
    return day.year * 4 + (day.month - 1) // 3


def is_quarter_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1 and day.month % 3 == 0


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def reach_in(
    program_ids: Any, start: dt.date, end: dt.date, *, same_activity: bool = False
) -> QuerySet[Reach]:
    """The ``Reach`` rows of ``program_ids`` (all programs if None) with at least one delivery
    between ``start`` and ``end`` (inclusive), for the windows the tally cannot answer.

    A row whose first or last date is in the window has a delivery in it. A row that spans the
    window (first date before it, last date after it: only when the window starts and ends in
    the row's calendar year) is checked against the deliveries themselves, for that one program
    and person or household: an indexed lookup for those few rows. With ``same_activity`` that
    check looks at the deliveries of the row's activity only (for counts by activity or output).
    """
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
        | Q(
            Exists(inside.filter(person_id=OuterRef("person_id"))),
            via_household__isnull=True,
        )
        | Q(
            Exists(inside.filter(person__isnull=True, household_id=OuterRef("via_household_id"))),
            via_household__isnull=False,
        )
    )


def tally(
    scope: str,
    refs: Sequence[int],
    year: int,
    up_to: int,
    dimensions: Sequence[str] = ("total",),
) -> QuerySet[Any]:
    """Rows ``(ref, dimension, code, n)`` of the people reached in ``scope`` for ``refs``
    (ignored for ``ALL``), in ``year`` up to period ``up_to`` (a quarter 1-4, or with ``year``
    :data:`EVER` a :func:`quarter_index`): one grouped read of the tally."""
    from django.db.models import Sum

    rows = ReachTally.objects.filter(
        scope=scope, year=year, period__lte=up_to, dimension__in=dimensions
    )
    rows = rows.filter(ref=0) if scope == ALL else rows.filter(ref__in=refs)
    return (
        rows.order_by()
        .values("ref", "dimension", "code")
        .annotate(total=Sum("n"))
        .values_list("ref", "dimension", "code", "total")
    )


def program_has_deliveries_before(program_id: int, day: dt.date) -> bool:
    return Reach.objects.filter(
        program_id=program_id, year__lte=day.year, first_on__lt=day
    ).exists()


# ---------------------------------------------------------------------------------------------
# Writing the Reach rows
# ---------------------------------------------------------------------------------------------

COLUMNS = (
    "program_id",
    "activity_id",
    "person_id",
    "via_household_id",
    "year",
    "first_on",
    "last_on",
    "sex",
    "has_disability",
    "desa",
    "birth_date",
)


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "reach": quote(Reach._meta.db_table),
        "delivery": quote(apps.get_model("delivery", "ServiceDelivery")._meta.db_table),
        "person": quote(apps.get_model("registry", "Person")._meta.db_table),
    }


def _insert_rows(where: str, params: Sequence[Any]) -> None:
    """Write the ``Reach`` rows of the people ``where`` selects (a condition on ``p``, the
    person): two ``INSERT … SELECT … GROUP BY``, one for deliveries naming them and one for aid
    to their household as a whole, whatever the number of deliveries."""
    t = _tables()
    year_sql = (
        "CAST(strftime('%%Y', d.delivered_on) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(YEAR FROM d.delivered_on) AS INTEGER)"
    )
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    attributes = "p.sex, p.has_disability, p.region_id, p.birth_date"
    for via, join in (
        ("", "d.person_id = p.id"),
        ("d.household_id", "d.person_id IS NULL AND d.household_id = p.household_id"),
    ):
        sql = (
            f"INSERT INTO {t['reach']} ({columns}) "  # noqa: S608 - names from the models
            f"SELECT d.program_id, d.activity_id, p.id, {via or 'NULL'}, {year_sql}, "
            f"MIN(d.delivered_on), MAX(d.delivered_on), {attributes} "
            f"FROM {t['delivery']} d JOIN {t['person']} p ON {join} "
            f"WHERE {where} "
            f"GROUP BY d.program_id, d.activity_id, p.id, {via + ', ' if via else ''}"
            f"{year_sql}, {attributes}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


# ---------------------------------------------------------------------------------------------
# The tally: what a set of Reach rows counts
# ---------------------------------------------------------------------------------------------

Key = tuple[str, int, int, int, str, str]


def _reach_rows(person_filter: Q) -> Iterator[tuple[Any, ...]]:
    return (
        Reach.objects.filter(person_filter)
        .order_by()
        .values_list(
            "person_id",
            "program_id",
            "activity__output_id",
            "year",
            "first_on",
            "sex",
            "has_disability",
            "desa",
            "birth_date",
        )
        .iterator(chunk_size=5000)
    )


def _count(rows: Iterable[tuple[Any, ...]]) -> Counter[Key]:
    """What ``rows`` (:func:`_reach_rows`) add to the tally: each person once per program, per
    output and overall, in the period of their first delivery there, by each attribute."""
    first: dict[tuple[str, int, int, int], dt.date] = {}
    who: dict[int, tuple[str, bool, str, dt.date | None]] = {}
    for person, program, output, year, first_on, sex, disability, desa, born in rows:
        who[person] = (sex, disability, desa, born)
        keys = [(ALL, 0, year, person), (PROGRAM, program, year, person)]
        keys.append((PROGRAM, program, EVER, person))
        if output is not None:
            keys.append((OUTPUT, output, year, person))
        for key in keys:
            seen = first.get(key)
            if seen is None or first_on < seen:
                first[key] = first_on
    counts: Counter[Key] = Counter()
    for (scope, ref, year, person), day in first.items():
        period = quarter_index(day) if year == EVER else quarter_number(day)
        counts[(scope, ref, year, period, "total", "")] += 1
        if scope == OUTPUT:
            continue
        sex, disability, desa, born = who[person]
        counts[(scope, ref, year, period, "sex", sex or "?")] += 1
        counts[(scope, ref, year, period, "disability", "yes" if disability else "no")] += 1
        counts[(scope, ref, year, period, "born", str(quarter_index(born)) if born else "")] += 1
        counts[(scope, ref, year, period, "desa", desa)] += 1
    return counts


def _add(counts: Counter[Key]) -> None:
    """Move the tally by ``counts`` (negative to subtract): one upsert per key, ``INSERT … ON
    CONFLICT DO UPDATE`` (SQLite 3.24+ and PostgreSQL)."""
    changes = [(*key, n) for key, n in counts.items() if n]
    if not changes:
        return
    quote = connection.ops.quote_name
    table = quote(ReachTally._meta.db_table)
    key = "scope, ref, year, period, dimension, code"
    sql = (
        f"INSERT INTO {table} ({key}, n) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)


# ---------------------------------------------------------------------------------------------
# Keeping both current
# ---------------------------------------------------------------------------------------------


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    values = sorted(set(values))
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _refresh_people(person_ids: Iterable[int]) -> None:
    """Write the rows of these people again, from all their deliveries and their record as it
    is now, and move the tally by the difference."""
    Person = apps.get_model("registry", "Person")
    for chunk in _chunks(person_ids):
        # Lock the people first: two refreshes of the same person (two deliveries recorded at
        # once on PostgreSQL) must not both subtract the same old rows.
        list(Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
        before = _count(_reach_rows(Q(person_id__in=chunk)))
        Reach.objects.filter(person_id__in=chunk).delete()
        _insert_rows(*_in("p.id", chunk))
        after = _count(_reach_rows(Q(person_id__in=chunk)))
        after.subtract(before)
        _add(after)


@transaction.atomic
def reach_refresh(*, deliveries: Iterable[Any]) -> None:
    """Bring the rows of everyone ``deliveries`` (just recorded, or removed) reach up to date:
    the people named on them, and the people living in the households served as a whole.
    Called by the delivery services in the same transaction as the write, so the figures are
    right as soon as it commits."""
    if not delivery_installed():
        return
    people: set[int] = set()
    households: set[int] = set()
    for delivery in deliveries:
        if delivery.person_id is not None:
            people.add(delivery.person_id)
        elif delivery.household_id is not None:
            households.add(delivery.household_id)
    if households:
        Person = apps.get_model("registry", "Person")
        for chunk in _chunks(households):
            people.update(
                Person.objects.filter(household_id__in=chunk).values_list("pk", flat=True)
            )
    _refresh_people(people)


@transaction.atomic
def people_changed(person_ids: Iterable[int]) -> None:
    """The registry changed these people (attributes, household, or a merge moved their
    deliveries): write their rows again. Cheap for people never reached: one indexed lookup per
    chunk finds nothing to do."""
    if not delivery_installed():
        return
    ids = sorted(set(person_ids))
    if not ids:
        return
    Person = apps.get_model("registry", "Person")
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    touched: set[int] = set()
    for chunk in _chunks(ids):
        touched.update(
            Reach.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
        )
        touched.update(
            ServiceDelivery.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
        )
        served = ServiceDelivery.objects.filter(
            person__isnull=True,
            household_id__in=Person.objects.filter(pk__in=chunk, household__isnull=False).values(
                "household_id"
            ),
        ).values("household_id")
        touched.update(
            Person.objects.filter(pk__in=chunk, household_id__in=served).values_list(
                "pk", flat=True
            )
        )
    _refresh_people(touched)


@transaction.atomic
def people_removed(person_ids: Iterable[int]) -> None:
    """These people are about to be deleted (the record a merge removes): take them out of the
    tally with their rows (connected to ``pre_delete`` of Person)."""
    for chunk in _chunks(person_ids):
        gone = _count(_reach_rows(Q(person_id__in=chunk)))
        if not gone:
            continue
        for key in gone:
            gone[key] = -gone[key]
        _add(gone)
        Reach.objects.filter(person_id__in=chunk).delete()


@transaction.atomic
def reach_rebuild() -> int:
    """Build both tables again from all deliveries and the registry as it is (after a bulk load
    that bypassed the services, after an upgrade, or nightly to be sure): returns the number of
    ``Reach`` rows. The tally is counted a block of people at a time, so memory stays flat."""
    Reach.objects.all().delete()
    ReachTally.objects.all().delete()
    if not delivery_installed():
        return 0
    _insert_rows("1 = 1", ())
    last = Reach.objects.order_by("-person_id").values_list("person_id", flat=True).first()
    total: Counter[Key] = Counter()
    low = 0
    while last is not None and low <= last:
        high = low + REBUILD_CHUNK
        total.update(_count(_reach_rows(Q(person_id__gte=low, person_id__lt=high))))
        low = high
    _add(total)
    return Reach.objects.count()


def reach_rebuild_if_empty() -> bool:
    """After a migration: build the rollups when there are deliveries but no rows (a new
    install restored from a dump, or the upgrade that introduced them)."""
    if not delivery_installed():
        return False
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    if Reach.objects.exists() or not ServiceDelivery.objects.exists():
        return False
    reach_rebuild()
    return True
