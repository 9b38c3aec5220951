"""Computed indicators: the registry of rule types.

A rule type is code: a function that counts something in Bakti's own data for one program and
one date window, broken down by the disaggregations the indicator asks for. Which rule type an
indicator uses, and its parameters (a service type code, a budget scope …), are data
(:class:`~bakti.monitoring.models.IndicatorRule`). A rule type that reads an app which is not
installed is not offered.

Every rule returns a :class:`Computation`: the total, optionally a numerator and denominator
(for percentages), and the value per ``(dimension, category)``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# Disaggregation codes (the programs app's ``Disaggregation`` values).
SEX = "sex"
AGE = "age_group"
DISABILITY = "disability"
REGION = "region"
PPKS = "ppks"

# Age groups as the delivery app records them for unregistered participants.
AGE_GROUPS = (
    ("child", _("Child (0-17)"), 0, 17),
    ("adult", _("Adult (18-59)"), 18, 59),
    ("older", _("Older person (60+)"), 60, 200),
)


@dataclass
class Computation:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    breakdown: dict[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Param:
    name: str
    label: Any
    required: bool = True
    help: Any = ""


@dataclass(frozen=True)
class RuleType:
    code: str
    label: Any
    description: Any
    needs: tuple[str, ...]
    params: tuple[Param, ...]
    compute: Callable[[Any, dict[str, Any], dt.date, dt.date, Iterable[str]], Computation]
    # "people": each unit counted once; the windows of a cumulative indicator start at the
    # program start so nobody reached twice is counted twice.
    is_share: bool = False

    @property
    def available(self) -> bool:
        return all(apps.is_installed(f"bakti.{app}") for app in self.needs)


def percentage(numerator: Decimal, denominator: Decimal) -> Decimal:
    if not denominator:
        return ZERO
    return (numerator * HUNDRED / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _birth_bounds(on: dt.date, low: int, high: int) -> tuple[dt.date, dt.date]:
    """Birth dates of people aged ``low``..``high`` on ``on`` (inclusive)."""

    def years_before(years: int) -> dt.date:
        try:
            return on.replace(year=on.year - years)
        except ValueError:  # 29 February
            return on.replace(year=on.year - years, day=28)

    earliest = years_before(high + 1) + dt.timedelta(days=1)
    latest = years_before(low)
    return earliest, latest


def people_breakdown(
    people: QuerySet[Any], dimensions: Iterable[str], on: dt.date
) -> dict[tuple[str, str], Decimal]:
    """Count ``people`` (a Person queryset, each person once) by each dimension: one grouped
    query per dimension, whatever the number of people."""
    out: dict[tuple[str, str], Decimal] = {}
    dimensions = set(dimensions)
    if SEX in dimensions:
        for row in people.order_by().values("sex").annotate(n=Count("id")):
            out[(SEX, row["sex"] or "?")] = Decimal(row["n"])
    if AGE in dimensions:
        aggregates = {}
        for code, _label, low, high in AGE_GROUPS:
            earliest, latest = _birth_bounds(on, low, high)
            aggregates[code] = Count(
                "id", filter=Q(birth_date__gte=earliest, birth_date__lte=latest)
            )
        aggregates["unknown"] = Count("id", filter=Q(birth_date__isnull=True))
        counts = people.order_by().aggregate(**aggregates)
        for code, n in counts.items():
            if n:
                out[(AGE, code)] = Decimal(n)
    if DISABILITY in dimensions:
        for row in people.order_by().values("has_disability").annotate(n=Count("id")):
            out[(DISABILITY, "yes" if row["has_disability"] else "no")] = Decimal(row["n"])
    if REGION in dimensions:
        # Kecamatan level: the first three parts of the desa code; grouped in Python from one
        # row per desa.
        by_kecamatan: dict[str, Decimal] = defaultdict(Decimal)
        for row in people.order_by().values("region_id").annotate(n=Count("id")):
            by_kecamatan[".".join(row["region_id"].split(".")[:3])] += row["n"]
        for code, n in by_kecamatan.items():
            out[(REGION, code)] = n
    if PPKS in dimensions:
        rows = (
            people.order_by()
            .filter(ppks__isnull=False)
            .values("ppks__code")
            .annotate(n=Count("id", distinct=True))
        )
        for row in rows:
            out[(PPKS, row["ppks__code"])] = Decimal(row["n"])
    return out


def households_breakdown(
    households: QuerySet[Any], dimensions: Iterable[str]
) -> dict[tuple[str, str], Decimal]:
    """Count households by kecamatan and by the sex of their head."""
    out: dict[tuple[str, str], Decimal] = {}
    if SEX in set(dimensions):
        for row in households.order_by().values("head__sex").annotate(n=Count("id")):
            out[(SEX, row["head__sex"] or "?")] = Decimal(row["n"])
    if REGION in set(dimensions):
        by_kecamatan: dict[str, Decimal] = defaultdict(Decimal)
        for row in households.order_by().values("region_id").annotate(n=Count("id")):
            by_kecamatan[".".join(row["region_id"].split(".")[:3])] += row["n"]
        for code, n in by_kecamatan.items():
            out[(REGION, code)] = n
    return out


def _service_filter(params: dict[str, Any]) -> Q:
    codes = params.get("service_types") or []
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    return Q(service_type__code__in=codes) if codes else Q()


# ---------------------------------------------------------------------------------------------
# Rule implementations
# ---------------------------------------------------------------------------------------------


def compute_people_served(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Distinct people named on service deliveries of the program (optionally of some service
    types) delivered within the window."""
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    Person = apps.get_model("registry", "Person")
    deliveries = ServiceDelivery.objects.filter(
        _service_filter(params),
        program=program,
        delivered_on__gte=start,
        delivered_on__lte=end,
        person__isnull=False,
    )
    people = Person.objects.filter(id__in=deliveries.values("person_id"))
    total = people.count()
    return Computation(Decimal(total), breakdown=people_breakdown(people, dims, end))


def compute_households_served(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Distinct households that received a service or aid of the program (optionally of some
    service types) within the window; by kecamatan and by the sex of the household head."""
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    Household = apps.get_model("registry", "Household")
    deliveries = ServiceDelivery.objects.filter(
        _service_filter(params), program=program, delivered_on__gte=start, delivered_on__lte=end
    )
    households = Household.objects.filter(id__in=deliveries.values("household_id"))
    total = households.count()
    return Computation(Decimal(total), breakdown=households_breakdown(households, dims))


def compute_people_enrolled(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Distinct people enrolled in the program at some time in the window: named on a person
    enrolment, or members of an enrolled household."""
    Enrolment = apps.get_model("registry", "Enrolment")
    Person = apps.get_model("registry", "Person")
    active = Enrolment.objects.filter(
        Q(exited_on__isnull=True) | Q(exited_on__gte=start),
        program=program,
        status__in=["enrolled", "suspended", "exited"],
        enrolled_on__isnull=False,
        enrolled_on__lte=end,
    )
    people = Person.objects.filter(
        Q(id__in=active.filter(person__isnull=False).values("person_id"))
        | Q(household_id__in=active.filter(person__isnull=True).values("household_id"))
    )
    total = people.count()
    return Computation(Decimal(total), breakdown=people_breakdown(people, dims, end))


def compute_household_distribution_share(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Share (%) of the households enrolled in the program at the window's end that received
    at least one delivery (optionally of some service types) within the window."""
    Enrolment = apps.get_model("registry", "Enrolment")
    Household = apps.get_model("registry", "Household")
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    enrolled = Enrolment.objects.filter(
        Q(exited_on__isnull=True) | Q(exited_on__gt=end),
        program=program,
        status__in=["enrolled", "suspended", "exited"],
        enrolled_on__isnull=False,
        enrolled_on__lte=end,
    ).values("household_id")
    base = Household.objects.filter(id__in=enrolled)
    received = base.filter(
        id__in=ServiceDelivery.objects.filter(
            _service_filter(params),
            program=program,
            delivered_on__gte=start,
            delivered_on__lte=end,
        ).values("household_id")
    )
    denominator = Decimal(base.count())
    numerator = Decimal(received.count())
    breakdown = {}
    if REGION in set(dims):
        all_by = households_breakdown(base, [REGION])
        got_by = households_breakdown(received, [REGION])
        for key, n in all_by.items():
            breakdown[key] = percentage(got_by.get(key, ZERO), n)
    return Computation(percentage(numerator, denominator), numerator, denominator, breakdown)


def of_program_households(program: Any) -> Exists:
    """A filter for records with a ``household_id`` (cases): their household is or was
    enrolled in the program. This is what links cases, which belong to a household rather than
    a program, to the program. It is an ``EXISTS`` probe of the enrolment index per record: a
    program may enrol hundreds of thousands of households, a department has far fewer cases."""
    Enrolment = apps.get_model("registry", "Enrolment")
    return Exists(
        Enrolment.objects.filter(
            household_id=OuterRef("household_id"),
            program=program,
            status__in=["enrolled", "suspended", "exited"],
        )
    )


def compute_cases_closed_goals_met(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Cases of the program's enrolled households closed within the window with the reason
    "case plan goals met"."""
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("registry", "Person")
    closed = Case.objects.filter(
        of_program_households(program),
        status="closed",
        closure_reason="goals_met",
        closed_on__gte=start,
        closed_on__lte=end,
    )
    total = closed.count()
    people = Person.objects.filter(id__in=closed.filter(person__isnull=False).values("person_id"))
    return Computation(Decimal(total), breakdown=people_breakdown(people, dims, end))


def compute_complaints_within_sla(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Share (%) of the program's complaints resolved within the window that were resolved
    by their SLA deadline."""
    Ticket = apps.get_model("community", "Ticket")
    resolved = Ticket.objects.filter(
        program=program,
        resolved_at__isnull=False,
        resolved_at__date__gte=start,
        resolved_at__date__lte=end,
    )
    denominator = Decimal(resolved.count())
    numerator = Decimal(resolved.filter(resolved_at__date__lte=F("resolve_due")).count())
    breakdown = {}
    if REGION in set(dims):
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        rows = (
            resolved.order_by()
            .values("region_id")
            .annotate(
                n=Count("id"), ok=Count("id", filter=Q(resolved_at__date__lte=F("resolve_due")))
            )
        )
        for row in rows:
            kecamatan = ".".join(row["region_id"].split(".")[:3])
            totals[kecamatan][0] += row["ok"]
            totals[kecamatan][1] += row["n"]
        for code, (ok, n) in totals.items():
            breakdown[(REGION, code)] = percentage(Decimal(ok), Decimal(n))
    return Computation(percentage(numerator, denominator), numerator, denominator, breakdown)


def compute_budget_absorption(
    program: Any, params: dict[str, Any], start: dt.date, end: dt.date, dims: Iterable[str]
) -> Computation:
    """Budget absorption (%): approved expenditure dated up to the window's end in the fiscal
    year of the window's end, over the program's budget (pagu) for that year."""
    BudgetLine = apps.get_model("finance", "BudgetLine")
    Expenditure = apps.get_model("finance", "Expenditure")
    lines = BudgetLine.objects.filter(
        program=program, fiscal_year__start_date__lte=end, fiscal_year__end_date__gte=end
    )
    budget = lines.aggregate(total=Sum("amount"))["total"] or ZERO
    year_start = min(
        (fy for fy in lines.values_list("fiscal_year__start_date", flat=True)), default=end
    )
    spent = (
        Expenditure.objects.filter(
            line__in=lines, status="approved", date__gte=year_start, date__lte=end
        ).aggregate(total=Sum("amount_idr"))["total"]
        or ZERO
    )
    return Computation(percentage(spent, budget), Decimal(spent), Decimal(budget))


RULE_TYPES: dict[str, RuleType] = {
    rule.code: rule
    for rule in (
        RuleType(
            code="people_served",
            label=_("Distinct people who received a service"),
            description=_(
                "Counts each person named on a service delivery of the program once, "
                "optionally only for some service types."
            ),
            needs=("registry", "delivery"),
            params=(
                Param(
                    "service_types",
                    _("service type codes"),
                    required=False,
                    help=_("Comma-separated; empty means every service of the program."),
                ),
            ),
            compute=compute_people_served,
        ),
        RuleType(
            code="households_served",
            label=_("Distinct households that received a service"),
            description=_(
                "Counts each household that received a service or aid of the program once, "
                "optionally only for some service types."
            ),
            needs=("registry", "delivery"),
            params=(
                Param(
                    "service_types",
                    _("service type codes"),
                    required=False,
                    help=_("Comma-separated; empty means every service of the program."),
                ),
            ),
            compute=compute_households_served,
        ),
        RuleType(
            code="people_enrolled",
            label=_("Distinct people enrolled"),
            description=_(
                "People enrolled in the program during the period, in person or as members "
                "of an enrolled household."
            ),
            needs=("registry",),
            params=(),
            compute=compute_people_enrolled,
        ),
        RuleType(
            code="household_distribution_share",
            label=_("Share of enrolled households that received at least one distribution"),
            description=_(
                "Enrolled households with at least one delivery in the period, as a "
                "percentage of the households enrolled at the period's end."
            ),
            needs=("registry", "delivery"),
            params=(
                Param(
                    "service_types",
                    _("service type codes"),
                    required=False,
                    help=_("Comma-separated; empty means every service of the program."),
                ),
            ),
            compute=compute_household_distribution_share,
            is_share=True,
        ),
        RuleType(
            code="cases_closed_goals_met",
            label=_("Cases closed with plan goals met"),
            description=_("Cases of the program closed in the period with their goals met."),
            needs=("registry", "cases"),
            params=(),
            compute=compute_cases_closed_goals_met,
        ),
        RuleType(
            code="complaints_within_sla",
            label=_("Complaints resolved within SLA (%)"),
            description=_(
                "Of the program's complaints resolved in the period, the percentage resolved "
                "by their deadline."
            ),
            needs=("community",),
            params=(),
            compute=compute_complaints_within_sla,
            is_share=True,
        ),
        RuleType(
            code="budget_absorption",
            label=_("Budget absorption (%)"),
            description=_(
                "Approved expenditure of the fiscal year up to the period's end over the "
                "program's budget for that year."
            ),
            needs=("finance",),
            params=(),
            compute=compute_budget_absorption,
            is_share=True,
        ),
    )
}


def available_rule_types() -> list[RuleType]:
    return [rule for rule in RULE_TYPES.values() if rule.available]


def rule_type(code: str) -> RuleType:
    rule = RULE_TYPES.get(code)
    if rule is None or not rule.available:
        raise ValidationError(
            {"rule_type": _("Unknown or unavailable rule type: %(code)s") % {"code": code}}
        )
    return rule


def clean_params(rule: RuleType, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a rule type knows, checked: a required one missing is an error."""
    cleaned: dict[str, Any] = {}
    errors = {}
    for param in rule.params:
        value = params.get(param.name)
        if isinstance(value, str):
            value = value.strip()
        if param.required and not value:
            errors[param.name] = _("This parameter is required.")
        if value:
            cleaned[param.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
