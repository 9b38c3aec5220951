"""Targeting: which households a program takes, what it would cost, and the proposals.

A scheme's rules are data (``{"all": [conditions]}`` or ``{"any": [...]}``), compiled here into
one database filter so that a simulation over a whole registry is a handful of queries. Quotas
per region keep the poorest first (lowest desil, then the scheme's score, then registration
order). Applying a scheme creates enrolment proposals that a manager approves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.core.scoping import region_q
from bakti.privacy.audit import audited_create, audited_update, record_bulk
from bakti.privacy.models import AuditAction

from .limits import restricted_households
from .models import (
    BenefitUnit,
    Enrolment,
    EnrolmentStatus,
    Household,
    HouseholdScore,
    HouseholdStatus,
    Person,
    ScoringScheme,
    TargetingScheme,
)
from .services import OPEN_ENROLMENT, age_on, birth_date_cutoff

RULES = (
    "desil_at_most",
    "member_under_age",
    "member_over_age",
    "member_with_disability",
    "ppks_in",
    "score_below",
    "score_above",
)
AGE_GROUPS = ((0, 5, "0-5"), (6, 17, "6-17"), (18, 59, "18-59"), (60, 200, "60+"))


def _alive_members() -> QuerySet:
    return Person.objects.filter(household=OuterRef("pk"), deceased=False)


def condition_q(condition: dict[str, Any], scheme: TargetingScheme, today: dt.date) -> Q:
    """One condition as a filter on households."""
    rule = condition.get("rule")
    value = condition.get("value")
    if rule == "desil_at_most":
        return Q(desil__lte=int(value))
    if rule == "member_under_age":
        return Q(
            Exists(_alive_members().filter(birth_date__gt=birth_date_cutoff(int(value), today)))
        )
    if rule == "member_over_age":
        return Q(
            Exists(_alive_members().filter(birth_date__lte=birth_date_cutoff(int(value), today)))
        )
    if rule == "member_with_disability":
        return Q(Exists(_alive_members().filter(has_disability=True)))
    if rule == "ppks_in":
        return Q(
            Exists(
                Person.ppks.through.objects.filter(
                    person__household=OuterRef("pk"),
                    person__deceased=False,
                    ppkscategory__code__in=condition.get("codes", []),
                )
            )
        )
    if rule in ("score_below", "score_above"):
        lookup = "score__lt" if rule == "score_below" else "score__gt"
        return Q(
            Exists(
                HouseholdScore.objects.filter(
                    household=OuterRef("pk"),
                    run_id=_current_run_id(scheme),
                    **{lookup: Decimal(str(value))},
                )
            )
        )
    raise ValidationError(_("Unknown targeting rule “%(rule)s”.") % {"rule": rule})


def _current_run_id(scheme: TargetingScheme) -> Subquery:
    """The current run of the targeting scheme's scoring scheme, read by the query itself (a
    run may have finished since the scheme was loaded); none, no household has a score."""
    return Subquery(
        ScoringScheme.objects.filter(pk=scheme.scoring_scheme_id).values("current_run_id")[:1]
    )


def rules_q(rules: dict[str, Any], scheme: TargetingScheme, today: dt.date) -> Q:
    if not isinstance(rules, dict) or not (rules.get("all") or rules.get("any")):
        raise ValidationError(_("The scheme has no conditions."))
    if rules.get("any"):
        combined = Q(pk__in=[])
        for condition in rules["any"]:
            combined |= condition_q(condition, scheme, today)
        return combined
    combined = Q()
    for condition in rules["all"]:
        combined &= condition_q(condition, scheme, today)
    return combined


def base_households(scheme: TargetingScheme) -> QuerySet:
    """Active households in the scheme's region, less those with a member whose processing
    is restricted (UU PDP): they are neither counted nor proposed."""
    rows = Household.objects.filter(status=HouseholdStatus.ACTIVE).exclude(restricted_households())
    if scheme.region_id:
        rows = rows.filter(region_q("region_id", scheme.region_id))
    return rows


def qualifying(
    scheme: TargetingScheme, *, rules: dict[str, Any] | None = None, today: dt.date | None = None
) -> QuerySet:
    """Households meeting the rules (before quotas), poorest first."""
    today = today or timezone.localdate()
    rows = base_households(scheme).filter(rules_q(rules or scheme.rules, scheme, today))
    order: list[Any] = [F("desil").asc(nulls_last=True)]
    if scheme.scoring_scheme_id:
        score = HouseholdScore.objects.filter(
            household=OuterRef("pk"), run_id=_current_run_id(scheme)
        ).values("score")[:1]
        rows = rows.annotate(current_score=Subquery(score))
        poorer_first = F("current_score").desc(nulls_last=True)
        if not scheme.scoring_scheme.higher_is_poorer:
            poorer_first = F("current_score").asc(nulls_last=True)
        order.append(poorer_first)
    order.append(F("pk").asc())
    return rows.order_by(*order)


def select(
    scheme: TargetingScheme, *, rules: dict[str, Any] | None = None, today: dt.date | None = None
) -> list[tuple[int, str]]:
    """(household id, desa code) of the households the scheme takes, quotas applied."""
    chosen = []
    taken: Counter[str] = Counter()
    quotas = scheme.quotas or {}
    for pk, region in qualifying(scheme, rules=rules, today=today).values_list("pk", "region_id"):
        limits = [code for code in quotas if region == code or region.startswith(code + ".")]
        if any(taken[code] >= quotas[code] for code in limits):
            continue
        for code in limits:
            taken[code] += 1
        chosen.append((pk, region))
    return chosen


def _chunks(items: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _people(household_ids: list[int]) -> list[tuple[int, str, dt.date | None, bool, str]]:
    rows = []
    for chunk in _chunks(household_ids):
        rows.extend(
            Person.objects.filter(household_id__in=chunk, deceased=False).values_list(
                "household_id", "sex", "birth_date", "has_disability", "region_id"
            )
        )
    return rows


def program_budget(scheme: TargetingScheme, year: int) -> tuple[Decimal, str]:
    """The program's budget for the year from the finance module when it has one, otherwise
    the amount typed in the scheme; and where it came from."""
    if apps.is_installed("bakti.finance"):
        line_model = apps.get_model("finance", "BudgetLine")
        total = line_model.objects.filter(
            program_id=scheme.program_id, fiscal_year__year=year
        ).aggregate(total=Sum("amount"))["total"]
        if total:
            return Decimal(total), "finance"
    return Decimal(scheme.budget_amount or 0), "scheme"


@dataclass
class Simulation:
    households: int = 0
    people: int = 0
    by_region: list[dict[str, Any]] = field(default_factory=list)
    by_sex: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    with_disability: int = 0
    cost_per_period: Decimal = Decimal("0")
    cost_per_year: Decimal = Decimal("0")
    budget: Decimal = Decimal("0")
    budget_source: str = "scheme"
    what_if: list[dict[str, Any]] = field(default_factory=list)
    what_if_rule: str = ""

    @property
    def budget_share(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.cost_per_year / self.budget * 100).quantize(Decimal("0.1"))


def cost(scheme: TargetingScheme, households: int, people: int) -> tuple[Decimal, Decimal]:
    units = households if scheme.benefit_unit == BenefitUnit.HOUSEHOLD else people
    per_period = Decimal(scheme.benefit_amount or 0) * units
    return per_period, per_period * scheme.periods_per_year


def simulate(scheme: TargetingScheme, *, today: dt.date | None = None) -> Simulation:
    """Who would qualify, broken down, what it would cost, and a what-if table."""
    today = today or timezone.localdate()
    chosen = select(scheme, today=today)
    ids = [pk for pk, _region in chosen]
    people = _people(ids)
    sim = Simulation(households=len(chosen), people=len(people))
    per_region: dict[str, dict[str, int]] = defaultdict(lambda: {"households": 0, "people": 0})
    for _pk, region in chosen:
        per_region[region]["households"] += 1
    sexes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    for _household, sex, born, disabled, region in people:
        per_region[region]["people"] += 1
        sexes[sex] += 1
        ages[age_group(born, today)] += 1
        sim.with_disability += int(disabled)
    sim.by_region = [{"region": code, **counts} for code, counts in sorted(per_region.items())]
    sim.by_sex = dict(sexes)
    sim.by_age = {label: ages.get(label, 0) for *_bounds, label in AGE_GROUPS} | (
        {"unknown": ages["unknown"]} if ages.get("unknown") else {}
    )
    sim.cost_per_period, sim.cost_per_year = cost(scheme, sim.households, sim.people)
    sim.budget, sim.budget_source = program_budget(scheme, today.year)
    sim.what_if_rule, sim.what_if = what_if(scheme, today=today)
    return sim


def age_group(born: dt.date | None, today: dt.date) -> str:
    age = age_on(born, today)
    if age is None:
        return "unknown"
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "unknown"


def _what_if_values(rule: str, current: Any) -> list[Any]:
    if rule == "desil_at_most":
        return list(range(1, 11))
    if rule == "member_under_age":
        return sorted({1, 2, 3, 4, 5, 6, 7, 12, 18, int(current)})
    if rule == "member_over_age":
        return sorted({50, 55, 60, 65, 70, 75, int(current)})
    number = Decimal(str(current))
    step = abs(number) / 10 or Decimal("1")
    return [number + step * k for k in range(-3, 4)]


def what_if(scheme: TargetingScheme, *, today: dt.date) -> tuple[str, list[dict[str, Any]]]:
    """How the numbers move as the first numeric threshold of the rules moves."""
    key = "any" if scheme.rules.get("any") else "all"
    conditions = scheme.rules.get(key, [])
    for index, condition in enumerate(conditions):
        rule = condition.get("rule")
        if rule not in ("desil_at_most", "member_under_age", "member_over_age") and not (
            rule or ""
        ).startswith("score"):
            continue
        table = []
        for value in _what_if_values(rule, condition.get("value")):
            changed = [dict(c) for c in conditions]
            changed[index]["value"] = str(value) if rule.startswith("score") else value
            chosen = select(scheme, rules={key: changed}, today=today)
            households = len(chosen)
            people = len(_people([pk for pk, _r in chosen]))
            _per_period, per_year = cost(scheme, households, people)
            table.append(
                {
                    "value": value,
                    "households": households,
                    "people": people,
                    "cost_per_year": per_year,
                    "current": str(value) == str(condition.get("value")),
                }
            )
        return rule, table
    return "", []


# --- Services -----------------------------------------------------------------------------


@transaction.atomic
def targeting_scheme_create(*, actor: Any, **fields: Any) -> TargetingScheme:
    scheme = TargetingScheme(created_by=actor if getattr(actor, "pk", None) else None, **fields)
    rules_q(scheme.rules, scheme, timezone.localdate())  # refuse rules that cannot run
    return audited_create(scheme, actor=actor)


@transaction.atomic
def targeting_scheme_update(
    *,
    actor: Any,
    scheme: TargetingScheme,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> TargetingScheme:
    if "rules" in data:
        rules_q(data["rules"], scheme, timezone.localdate())
    scheme, _changes = audited_update(
        scheme, actor=actor, data=data, expected_version=expected_version
    )
    return scheme


@transaction.atomic
def targeting_scheme_apply(*, actor: Any, scheme: TargetingScheme) -> int:
    """Propose every selected household that has no open enrolment in the program yet.
    Returns how many proposals were made. One audit event records the batch."""
    if scheme.program.status in ("closed", "evaluated"):
        raise ValidationError(
            _("Program %(code)s is closed: nobody can be enrolled.") % {"code": scheme.program.code}
        )
    chosen = select(scheme)
    already = set()
    ids = [pk for pk, _r in chosen]
    for chunk in _chunks(ids):
        already.update(
            Enrolment.objects.filter(
                program=scheme.program,
                household_id__in=chunk,
                person__isnull=True,
                status__in=OPEN_ENROLMENT,
            ).values_list("household_id", flat=True)
        )
    proposals = [
        Enrolment(
            program=scheme.program,
            household_id=pk,
            region_id=region,
            targeting_scheme=scheme,
            status=EnrolmentStatus.PROPOSED,
            proposed_by=actor if getattr(actor, "pk", None) else None,
        )
        for pk, region in chosen
        if pk not in already
    ]
    Enrolment.objects.bulk_create(proposals, batch_size=1000)
    scheme.applied_at = timezone.now()
    scheme.save(update_fields=["applied_at"])
    record_bulk(
        actor=actor,
        object_type="registry.enrolment",
        action=AuditAction.CREATE,
        summary={
            "targeting_scheme": scheme.pk,
            "program": scheme.program.code,
            "proposed": len(proposals),
            "already_open": len(already),
        },
        reason=_("targeting scheme applied"),
    )
    return len(proposals)
