"""What dashboards and reports show, read from the other apps: aggregated counts only (no one's
personal data leaves its app), limited to the programs the user may see, each section in a fixed
number of queries. An app that is not installed gives an empty section, never an error.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from bakti.monitoring.rules import AGE_GROUPS, _birth_bounds
from bakti.monitoring.selectors import visible_program_ids
from bakti.monitoring.tracking import DIMENSION_LABELS

from .rollups import delivery_installed

ZERO = Decimal("0")
HUNDRED = Decimal("100")


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


def quarter_of(day: dt.date) -> Period:
    number = (day.month - 1) // 3 + 1
    start = dt.date(day.year, 3 * number - 2, 1)
    end = (
        dt.date(day.year + 1, 1, 1) if number == 4 else dt.date(day.year, 3 * number + 1, 1)
    ) - dt.timedelta(days=1)
    return Period(start, end, f"{day.year} Q{number}")


def parse_quarter(text: str | None, today: dt.date) -> Period:
    """``2026-Q3`` (or ``2026-3``) → that quarter; anything else → the quarter of ``today``."""
    if text:
        cleaned = text.upper().replace("Q", "").replace(" ", "")
        try:
            year_text, number_text = cleaned.split("-")
            year, number = int(year_text), int(number_text)
            if 1 <= number <= 4 and 2000 <= year <= 2100:
                return quarter_of(dt.date(year, 3 * number - 2, 1))
        except ValueError:
            pass
    return quarter_of(today)


# ---------------------------------------------------------------------------------------------
# People reached
# ---------------------------------------------------------------------------------------------


@dataclass
class Breakdown:
    dimension: str
    label: str
    rows: list[tuple[str, str, Decimal]]  # (code, label, count)


@dataclass
class Reached:
    total: int
    breakdowns: list[Breakdown] = field(default_factory=list)
    available: bool = True
    # People reached per desa code (for the coverage per kabupaten, without counting again).
    by_desa: dict[str, int] = field(default_factory=dict)


def _reached_people(program_ids: Any, start: dt.date, end: dt.date) -> QuerySet[Any] | None:
    """The people reached by the programs in the window, read from the pre-aggregated rows
    (:mod:`bakti.reports.rollups`), not from every delivery."""
    if not delivery_installed():
        return None
    from .rollups import reach_in

    Person = apps.get_model("registry", "Person")
    return Person.objects.filter(id__in=reach_in(program_ids, start, end).values("person_id"))


def _age_group(on: dt.date) -> Case:
    """The age group code on ``on`` (as :data:`AGE_GROUPS`), ``unknown`` without a birth
    date, NULL outside every group (a birth date after ``on``)."""
    whens = [When(birth_date__isnull=True, then=Value("unknown"))]
    for code, _label, low, high in AGE_GROUPS:
        earliest, latest = _birth_bounds(on, low, high)
        whens.append(When(birth_date__gte=earliest, birth_date__lte=latest, then=Value(code)))
    return Case(*whens, default=None, output_field=CharField())


def _age_groups_by_birth_quarter(on: dt.date) -> list[tuple[str, int, int]]:
    """``(code, first, last)`` birth quarters (:func:`~bakti.reports.rollups.quarter_index`) of
    each age group on ``on``, a quarter's last day: the groups' bounds then fall on quarter
    boundaries, so counts by birth quarter give the counts by age group exactly."""
    from .rollups import quarter_index

    out = []
    for code, _label, low, high in AGE_GROUPS:
        earliest, latest = _birth_bounds(on, low, high)
        out.append((code, quarter_index(earliest), quarter_index(latest)))
    return out


def _tally_window(program_ids: list[int], start: dt.date, end: dt.date) -> tuple[Any, ...] | None:
    """The tally rows that answer "people reached by these programs between ``start`` and
    ``end``" exactly, as ``(scope, refs, year, up_to)``, or None when the tally cannot (then the
    rows are counted with :func:`~bakti.reports.rollups.reach_in`). It can for a window that
    ends on a quarter's last day and either starts on 1 January of that year (all programs, or
    one), or starts on or before one program's first delivery."""
    from .rollups import (
        ALL,
        EVER,
        PROGRAM,
        is_quarter_end,
        program_has_deliveries_before,
        quarter_index,
        quarter_number,
    )

    if not is_quarter_end(end) or start > end:
        return None
    ids = sorted(set(program_ids))
    if start == dt.date(end.year, 1, 1):
        if len(ids) == 1:
            return (PROGRAM, ids, end.year, quarter_number(end))
        Program = apps.get_model("programs", "Program")
        if ids and len(ids) == Program.objects.count():
            return (ALL, [0], end.year, quarter_number(end))
        return None
    if len(ids) == 1 and not program_has_deliveries_before(ids[0], start):
        return (PROGRAM, ids, EVER, quarter_index(end))
    return None


def _reached_from_tally(window: tuple[Any, ...], end: dt.date) -> tuple[int, Counter, Counter]:
    """``(total, counts, by_desa)`` from the tally (one grouped read)."""
    from .rollups import tally

    scope, refs, year, up_to = window
    total = 0
    counts: Counter[tuple[str, str]] = Counter()
    by_desa: Counter[str] = Counter()
    groups = _age_groups_by_birth_quarter(end)
    dimensions = ("total", "sex", "disability", "born", "desa")
    for _ref, dimension, code, n in tally(scope, refs, year, up_to, dimensions):
        if dimension == "total":
            total += n
        elif dimension == "born":
            if not code:
                counts[("age_group", "unknown")] += n
                continue
            born = int(code)
            for group, first, last in groups:
                if first <= born <= last:
                    counts[("age_group", group)] += n
        elif dimension == "desa":
            by_desa[code] += n
            counts[("region", ".".join(code.split(".")[:3]))] += n
        else:
            counts[(dimension, code)] += n
    return total, counts, by_desa


def _reached_from_rows(
    program_ids: Any, start: dt.date, end: dt.date
) -> tuple[int, Counter, Counter] | None:
    """``(total, counts, by_desa)`` counted over the people themselves: one grouped query (a
    row per combination of sex, age group, disability and desa)."""
    people = _reached_people(program_ids, start, end)
    if people is None:
        return None
    counts: Counter[tuple[str, str]] = Counter()
    by_desa: Counter[str] = Counter()
    total = 0
    grouped = (
        people.order_by()
        .values("sex", "has_disability", "region_id", age=_age_group(end))
        .annotate(n=Count("id"))
    )
    for row in grouped:
        n = row["n"]
        total += n
        counts[("sex", row["sex"] or "?")] += n
        if row["age"] is not None:
            counts[("age_group", row["age"])] += n
        counts[("disability", "yes" if row["has_disability"] else "no")] += n
        counts[("region", ".".join(row["region_id"].split(".")[:3]))] += n
        by_desa[row["region_id"]] += n
    return total, counts, by_desa


def people_reached(program_ids: Any, start: dt.date, end: dt.date) -> Reached:
    """Distinct people who received at least one service or aid from the programs in the
    window (named on a delivery, or living in a household served as a whole), by sex, age
    group, disability and kecamatan. The dashboards' windows are read from the tally in one
    query; any other window is counted over the rollup rows."""
    if not delivery_installed():
        return Reached(total=0, available=False)
    window = _tally_window(list(program_ids), start, end) if program_ids is not None else None
    if window is not None:
        total, counts, by_desa = _reached_from_tally(window, end)
    else:
        found = _reached_from_rows(program_ids, start, end)
        if found is None:
            return Reached(total=0, available=False)
        total, counts, by_desa = found
    region_codes = [code for (dim, code) in counts if dim == "region"]
    from bakti.regions.models import Region

    names = dict(Region.objects.filter(code__in=region_codes).values_list("code", "name"))
    labels = {
        "sex": {"F": _("Female"), "M": _("Male")},
        "age_group": {code: str(label) for code, label, _lo, _hi in AGE_GROUPS}
        | {"unknown": _("Unknown")},
        "disability": {"yes": _("With disability"), "no": _("Without disability")},
        "region": names,
    }
    breakdowns = []
    for dimension in ("sex", "age_group", "disability", "region"):
        rows = sorted(
            (code, str(labels[dimension].get(code, code)), Decimal(n))
            for (dim, code), n in counts.items()
            if dim == dimension and n
        )
        breakdowns.append(Breakdown(dimension, str(DIMENSION_LABELS[dimension]), rows))
    return Reached(
        total=total, breakdowns=breakdowns, by_desa={k: v for k, v in by_desa.items() if v}
    )


# ---------------------------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    label: str
    budget: Decimal
    realised: Decimal

    @property
    def absorption(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.realised * HUNDRED / self.budget).quantize(Decimal("0.1"))


def budget_by_program(program_ids: Any, year: int) -> dict[int, BudgetRow] | None:
    """Budget (pagu) and approved spending (realisasi) per program in fiscal year ``year``."""
    if not apps.is_installed("bakti.finance"):
        return None
    BudgetLine = apps.get_model("finance", "BudgetLine")
    Expenditure = apps.get_model("finance", "Expenditure")
    budgets = (
        BudgetLine.objects.filter(program_id__in=program_ids, fiscal_year__year=year)
        .values("program_id", "program__code")
        .annotate(total=Sum("amount"))
    )
    spent = dict(
        Expenditure.objects.filter(
            line__program_id__in=program_ids, line__fiscal_year__year=year, status="approved"
        )
        .values("line__program_id")
        .annotate(total=Sum("amount_idr"))
        .values_list("line__program_id", "total")
    )
    return {
        row["program_id"]: BudgetRow(
            row["program__code"], row["total"] or ZERO, spent.get(row["program_id"]) or ZERO
        )
        for row in budgets
    }


def budget_lines(program: Any, year: int) -> list[BudgetRow] | None:
    """Budget versus actual per budget line of one program: two queries."""
    if not apps.is_installed("bakti.finance"):
        return None
    BudgetLine = apps.get_model("finance", "BudgetLine")
    Expenditure = apps.get_model("finance", "Expenditure")
    lines = list(
        BudgetLine.objects.filter(program=program, fiscal_year__year=year)
        .select_related("account_class")
        .order_by("code", "id")
    )
    spent = dict(
        Expenditure.objects.filter(line__in=lines, status="approved")
        .values("line_id")
        .annotate(total=Sum("amount_idr"))
        .values_list("line_id", "total")
    )
    return [
        BudgetRow(
            f"{line.code} {line.description}".strip(), line.amount, spent.get(line.pk) or ZERO
        )
        for line in lines
    ]


# ---------------------------------------------------------------------------------------------
# Complaints
# ---------------------------------------------------------------------------------------------


@dataclass
class Complaints:
    received: int
    resolved: int
    open: int
    past_sla: int
    by_category: list[tuple[str, int]]


def complaints(program_ids: Any, start: dt.date, end: dt.date, today: dt.date) -> Complaints | None:
    """Feedback and complaints linked to the programs: counts only (sensitive tickets are
    counted, never shown)."""
    if not apps.is_installed("bakti.community"):
        return None
    from bakti.community.models import OPEN_STATUSES, Ticket  # an optional app, installed
    from bakti.community.selectors import overdue_q

    tickets = Ticket.objects.filter(program_id__in=program_ids)
    in_window = Q(received_at__date__gte=start, received_at__date__lte=end)
    window = tickets.filter(in_window)
    # The counts in one query.
    totals = tickets.aggregate(
        received=Count("id", filter=in_window),
        resolved=Count("id", filter=Q(resolved_at__date__gte=start, resolved_at__date__lte=end)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        past_sla=Count("id", filter=overdue_q(today)),
    )
    by_category = (
        [
            (row["category__name"] or "–", row["n"])
            for row in window.values("category__name").annotate(n=Count("id")).order_by("-n")
        ]
        if any(f.name == "category" for f in Ticket._meta.get_fields())
        else []
    )
    return Complaints(
        received=totals["received"],
        resolved=totals["resolved"],
        open=totals["open"],
        past_sla=totals["past_sla"],
        by_category=by_category,
    )


# ---------------------------------------------------------------------------------------------
# Region coverage
# ---------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    code: str
    name: str
    reached: int
    population: int | None

    @property
    def per_thousand(self) -> Decimal | None:
        if not self.population:
            return None
        return (Decimal(self.reached) * 1000 / Decimal(self.population)).quantize(Decimal("0.01"))


def coverage_by_kabupaten(
    program_ids: Any, start: dt.date, end: dt.date, *, reached: Reached | None = None
) -> list[CoverageRow]:
    """People reached per kabupaten/kota and per 1,000 inhabitants (population loaded with
    ``bakti regions population``; the latest year up to the window's end). ``reached``, the
    :func:`people_reached` of the same programs and window, saves counting the people again."""
    by_kabupaten: dict[str, int] = defaultdict(int)
    if reached is None:
        reached = people_reached(program_ids, start, end)
    if not reached.available:
        return []
    for desa, n in reached.by_desa.items():
        by_kabupaten[".".join(desa.split(".")[:2])] += n
    from bakti.regions.models import Region, RegionPopulation

    names = dict(Region.objects.filter(code__in=by_kabupaten).values_list("code", "name"))
    population: dict[str, int] = {}
    for row in (
        RegionPopulation.objects.filter(region_id__in=by_kabupaten, year__lte=end.year)
        .order_by("region_id", "-year")
        .values("region_id", "total")
    ):
        population.setdefault(row["region_id"], row["total"])
    return [
        CoverageRow(code, names.get(code, code), n, population.get(code))
        for code, n in sorted(by_kabupaten.items())
    ]


def visible_programs(user: Any, capability: str = "reports.view") -> QuerySet[Any]:
    Program = apps.get_model("programs", "Program")
    return (
        Program.objects.filter(id__in=visible_program_ids(user, capability))
        .select_related("manager", "org_unit", "program_type")
        .order_by("code")
    )
