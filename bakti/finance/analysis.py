"""What the manager reads from the books: budget versus actual by any grouping, absorption
(serapan) per month and quarter against the disbursement plan, burn rate and end-of-year
forecast, alerts, and cost per beneficiary.

All of it is computed from approved expenditures through :mod:`bakti.finance.ledger`, so every
total here equals the sum of approved expenditures of the lines it covers.

The forecast is a straight-line trend: the burn rate is the average monthly spending over the
completed months of the fiscal year (``as_of`` counts as complete on a month's last day), and
the end-of-year forecast is that rate times the months of the year. With no completed month
there is no forecast; after the year has ended the forecast is what was spent.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ledger
from .ledger import ZERO, Figures
from .models import BudgetLine, DisbursementPlan, EntryStatus, Expenditure, FiscalYear

DIMENSIONS = {
    "line": gettext_lazy("Budget line"),
    "activity": gettext_lazy("Activity"),
    "output": gettext_lazy("Output"),
    "program": gettext_lazy("Program"),
    "funding_source": gettext_lazy("Funding source"),
    "org_unit": gettext_lazy("Org unit"),
    "account_class": gettext_lazy("Account class"),
}


def lag_margin() -> Decimal:
    """How far (as a share of the budget) cumulative absorption may trail the plan before an
    alert: ``BAKTI_FINANCE_LAG_MARGIN`` in settings or the environment, default 0.10."""
    value = getattr(settings, "BAKTI_FINANCE_LAG_MARGIN", None) or os.environ.get(
        "BAKTI_FINANCE_LAG_MARGIN", "0.10"
    )
    return Decimal(str(value))


@dataclass
class Row:
    key: Any
    label: str
    figures: Figures = field(default_factory=Figures)
    line: BudgetLine | None = None


def _label(line: BudgetLine, dimension: str) -> tuple[Any, str]:
    if dimension == "line":
        return line.pk, str(line)
    related = getattr(line, dimension)
    if related is None:
        return None, _("(none)")
    return related.pk, str(related)


def _related_for(dimension: str) -> list[str]:
    if dimension == "line":
        return ["program"]
    return [dimension]


def budget_vs_actual(lines: QuerySet[BudgetLine], dimension: str) -> tuple[list[Row], Figures]:
    """Rows of budget versus actual grouped by ``dimension`` (see ``DIMENSIONS``), and the
    total. Five queries, whatever the number of lines."""
    if dimension not in DIMENSIONS:
        dimension = "program"
    figures = ledger.figures_by_line(lines)
    rows: dict[Any, Row] = {}
    for line in lines.select_related(*_related_for(dimension)).order_by(
        "program__code", "code", "pk"
    ):
        key, label = _label(line, dimension)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key=key, label=label, line=line if dimension == "line" else None)
        row.figures.add(figures[line.pk])
    total = Figures()
    for row in rows.values():
        total.add(row.figures)
    return sorted(rows.values(), key=lambda r: r.label), total


# --- absorption per month and quarter -----------------------------------------------------------


@dataclass
class Period:
    label: str
    start: dt.date
    planned: Decimal = ZERO
    realised: Decimal = ZERO
    planned_cumulative: Decimal = ZERO
    realised_cumulative: Decimal = ZERO
    budget: Decimal = ZERO

    @property
    def planned_rate(self) -> Decimal | None:
        return self.planned_cumulative / self.budget if self.budget else None

    @property
    def realised_rate(self) -> Decimal | None:
        return self.realised_cumulative / self.budget if self.budget else None

    @property
    def gap(self) -> Decimal | None:
        """How far cumulative absorption trails the plan (positive = behind)."""
        if not self.budget:
            return None
        return (self.planned_cumulative - self.realised_cumulative) / self.budget


def monthly_realised(lines: QuerySet[BudgetLine]) -> dict[dt.date, Decimal]:
    rows = (
        Expenditure.objects.filter(line__in=lines.values("pk"), status=EntryStatus.APPROVED)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount_idr"))
        .order_by()
    )
    out: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        out[month] += row["total"] or ZERO
    return out


def monthly_planned(lines: QuerySet[BudgetLine]) -> dict[dt.date, Decimal]:
    rows = (
        DisbursementPlan.objects.filter(line__in=lines.values("pk"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["month"]: row["total"] or ZERO for row in rows}


def absorption(lines: QuerySet[BudgetLine], year: FiscalYear) -> tuple[list[Period], list[Period]]:
    """Monthly and quarterly periods of ``year`` with plan and realisation, each also
    cumulative, against the total budget of ``lines`` (which should all be of ``year``)."""
    budget = lines.aggregate(total=Sum("amount"))["total"] or ZERO
    realised = monthly_realised(lines)
    planned = monthly_planned(lines)
    months: list[Period] = []
    plan_cum = real_cum = ZERO
    for start in year.months():
        plan_cum += planned.get(start, ZERO)
        real_cum += realised.get(start, ZERO)
        months.append(
            Period(
                label=start.strftime("%m/%Y"),
                start=start,
                planned=planned.get(start, ZERO),
                realised=realised.get(start, ZERO),
                planned_cumulative=plan_cum,
                realised_cumulative=real_cum,
                budget=budget,
            )
        )
    quarters = []
    for index in range(0, len(months), 3):
        chunk = months[index : index + 3]
        quarters.append(
            Period(
                label=_("Q%(n)s") % {"n": index // 3 + 1},
                start=chunk[0].start,
                planned=sum((p.planned for p in chunk), ZERO),
                realised=sum((p.realised for p in chunk), ZERO),
                planned_cumulative=chunk[-1].planned_cumulative,
                realised_cumulative=chunk[-1].realised_cumulative,
                budget=budget,
            )
        )
    return months, quarters


# --- burn rate and forecast ---------------------------------------------------------------------


@dataclass
class Forecast:
    budget: Decimal
    realised_to_date: Decimal
    completed_months: int
    total_months: int
    burn_rate: Decimal | None
    year_end: Decimal | None

    @property
    def year_end_absorption(self) -> Decimal | None:
        if self.year_end is None or not self.budget:
            return None
        return self.year_end / self.budget

    @property
    def unspent(self) -> Decimal | None:
        return None if self.year_end is None else self.budget - self.year_end


def completed_months(year: FiscalYear, as_of: dt.date) -> int:
    """Months of ``year`` wholly past on ``as_of`` (a month counts on its last day)."""
    count = 0
    for start in year.months():
        next_start = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if next_start - dt.timedelta(days=1) <= as_of:
            count += 1
    return count


def forecast(
    months: list[Period], year: FiscalYear, as_of: dt.date, budget: Decimal | None = None
) -> Forecast:
    """Burn rate and end-of-year forecast from the monthly periods of :func:`absorption`."""
    total_months = len(months)
    done = completed_months(year, as_of)
    budget = months[0].budget if budget is None and months else (budget or ZERO)
    to_date = sum((p.realised for p in months if p.start <= as_of), ZERO)
    if done == 0:
        return Forecast(budget, to_date, 0, total_months, None, None)
    spent_in_done = sum((p.realised for p in months[:done]), ZERO)
    rate = spent_in_done / done
    year_end = spent_in_done if done >= total_months else rate * total_months
    return Forecast(
        budget=budget,
        realised_to_date=to_date,
        completed_months=done,
        total_months=total_months,
        burn_rate=rate.quantize(Decimal("0.01")),
        year_end=year_end.quantize(Decimal("0.01")),
    )


# --- alerts -------------------------------------------------------------------------------------


@dataclass
class Alert:
    line: BudgetLine
    kind: str
    message: str


def alerts(
    lines: QuerySet[BudgetLine],
    as_of: dt.date,
    margin: Decimal | None = None,
    *,
    figures: dict[int, ledger.Figures] | None = None,
) -> list:
    """Lines that are over-committed, and lines whose cumulative absorption trails their
    disbursement plan by more than ``margin`` of the budget at the end of the last completed
    month (or ``as_of``'s month when the plan is already due). ``figures``, the
    :func:`~bakti.finance.ledger.figures_by_line` of the same lines, saves reading them again."""
    margin = lag_margin() if margin is None else margin
    figures = ledger.figures_by_line(lines) if figures is None else figures
    plan_rows = (
        DisbursementPlan.objects.filter(line__in=lines.values("pk"), month__lte=as_of)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    planned_to_date = {row["line_id"]: row["total"] or ZERO for row in plan_rows}
    real_rows = (
        Expenditure.objects.filter(
            line__in=lines.values("pk"), status=EntryStatus.APPROVED, date__lte=as_of
        )
        .values("line_id")
        .annotate(total=Sum("amount_idr"))
        .order_by()
    )
    realised_to_date = {row["line_id"]: row["total"] or ZERO for row in real_rows}
    out: list[Alert] = []
    for line in lines.select_related("program").order_by("program__code", "code", "pk"):
        f = figures[line.pk]
        if f.over_committed:
            out.append(
                Alert(
                    line,
                    "over_committed",
                    _("Over-committed: spending and open commitments exceed the budget by %(x)s.")
                    % {"x": _money(-f.available)},
                )
            )
        planned = planned_to_date.get(line.pk, ZERO)
        if line.amount and planned:
            lag = (planned - realised_to_date.get(line.pk, ZERO)) / line.amount
            if lag > margin:
                out.append(
                    Alert(
                        line,
                        "lagging",
                        _(
                            "Absorption lags the plan by %(lag)s%% of the budget "
                            "(planned %(planned)s, realised %(realised)s)."
                        )
                        % {
                            "lag": (lag * 100).quantize(Decimal("1")),
                            "planned": _money(planned),
                            "realised": _money(realised_to_date.get(line.pk, ZERO)),
                        },
                    )
                )
    return out


def _money(amount: Decimal) -> str:
    from bakti.core.money import format_money

    return format_money(amount)


# --- cost per beneficiary and per output --------------------------------------------------------


@dataclass
class CostRow:
    label: str
    realised: Decimal
    beneficiaries: int | None

    @property
    def per_beneficiary(self) -> Decimal | None:
        if not self.beneficiaries:
            return None
        return (self.realised / self.beneficiaries).quantize(Decimal("1"))


def delivery_available() -> bool:
    return apps.is_installed("bakti.delivery")


def _reached(year: FiscalYear, **filters: Any) -> dict[Any, int]:
    """People reached by service deliveries in ``year`` (named on a delivery, or living in a
    household served as a whole), each counted once per group: ``group`` is ``program_id`` or
    ``activity__output_id``, the filter names the programs or outputs."""
    group = filters.pop("group")
    if apps.is_installed("bakti.reports"):  # the pre-aggregated counts: no scan of deliveries
        from bakti.reports import rollups

        (refs,) = filters.values()
        calendar_year = year.start_date == dt.date(
            year.start_date.year, 1, 1
        ) and year.end_date == dt.date(year.start_date.year, 12, 31)
        if calendar_year:
            scope = rollups.PROGRAM if group == "program_id" else rollups.OUTPUT
            out: dict[Any, int] = defaultdict(int)
            refs = [r.pk if hasattr(r, "pk") else r for r in refs]
            for ref, _dimension, _code, n in rollups.tally(scope, refs, year.start_date.year, 4):
                out[ref] += n
            return out
        rows = rollups.reach_in(
            None, year.start_date, year.end_date, same_activity=group != "program_id"
        ).filter(**filters)
        return dict(
            rows.values(group)
            .annotate(n=Count("person", distinct=True))
            .order_by()
            .values_list(group, "n")
        )
    # Without the reports app: named people, plus each household served as a whole counted once.
    deliveries = apps.get_model("delivery", "ServiceDelivery").objects.filter(
        delivered_on__gte=year.start_date, delivered_on__lte=year.end_date, **filters
    )
    out = defaultdict(int)
    for counted, rows in (
        ("person", deliveries.filter(person__isnull=False)),
        ("household", deliveries.filter(person__isnull=True)),
    ):
        for key, n in (
            rows.values(group)
            .annotate(n=Count(counted, distinct=True))
            .order_by()
            .values_list(group, "n")
        ):
            out[key] += n
    return out


def cost_per_beneficiary(
    lines: QuerySet[BudgetLine],
    year: FiscalYear,
    *,
    realised: dict[int, Decimal] | None = None,
) -> tuple[list[CostRow], list[CostRow]]:
    """Realised cost per program and per output, with the beneficiaries reached when the
    delivery module is installed (``beneficiaries`` is None otherwise). ``realised``, the
    approved spending of each line when already read, saves a query."""
    realised = ledger.realised_by_line(lines) if realised is None else realised
    by_program: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    by_output: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    program_labels: dict[Any, str] = {}
    output_labels: dict[Any, str] = {}
    for line in lines.select_related("program", "output"):
        amount = realised.get(line.pk, ZERO)
        by_program[line.program_id] += amount
        program_labels[line.program_id] = str(line.program)
        by_output[line.output_id] += amount
        output_labels[line.output_id] = str(line.output) if line.output else _("(none)")
    reached_program: dict[Any, int] | None = None
    reached_output: dict[Any, int] | None = None
    if delivery_available():
        reached_program = _reached(year, program__in=list(by_program), group="program_id")
        reached_output = _reached(
            year, activity__output__in=[k for k in by_output if k], group="activity__output_id"
        )
    programs = [
        CostRow(
            program_labels[k],
            v,
            None if reached_program is None else reached_program.get(k, 0),
        )
        for k, v in by_program.items()
    ]
    outputs = [
        CostRow(
            output_labels[k],
            v,
            None if reached_output is None or k is None else reached_output.get(k, 0),
        )
        for k, v in by_output.items()
    ]
    return sorted(programs, key=lambda r: r.label), sorted(outputs, key=lambda r: r.label)
