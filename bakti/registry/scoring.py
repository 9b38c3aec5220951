"""Scoring schemes as data, and the job that scores every household.

A scheme lists variables (household fields, or facts about the members such as how many are
under six) and, per variable, either points per value band (``formula = "points"``: the score
is the sum) or a weight (``formula = "pmt"``: intercept + sum of weight * value, a proxy-means-test
prediction of log expenditure). Running a scheme scores the households of its region, stores
each score, ranks them into deciles (decile 1 = the poorest tenth) and keeps older runs' scores
as history; the scheme records which run is current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bakti.core.scoping import region_q
from bakti.privacy.audit import audited_create, audited_update, record_bulk
from bakti.privacy.models import AuditAction

from .importing.inserting import build, insert_many
from .limits import scoring_objections
from .models import (
    Assessment,
    Formula,
    Household,
    HouseholdScore,
    HouseholdStatus,
    JobStatus,
    ScoringRun,
    ScoringScheme,
)
from .services import birth_date_cutoff

BATCH = 1000  # households per chunk when scoring in Python


@dataclass(frozen=True)
class Variable:
    label: Any
    kind: str  # "number", "category" or "bool"


# What a scheme may use. Household fields are read as they are; the others are computed from
# the current living members in the same query.
VARIABLES: dict[str, Variable] = {
    "desil": Variable(gettext_lazy("Desil"), "number"),
    "floor_material": Variable(gettext_lazy("Floor"), "category"),
    "wall_material": Variable(gettext_lazy("Walls"), "category"),
    "water_source": Variable(gettext_lazy("Drinking water"), "category"),
    "sanitation": Variable(gettext_lazy("Toilet"), "category"),
    "lighting": Variable(gettext_lazy("Lighting"), "category"),
    "cooking_fuel": Variable(gettext_lazy("Cooking fuel"), "category"),
    "house_ownership": Variable(gettext_lazy("House ownership"), "category"),
    "floor_area_m2": Variable(gettext_lazy("Floor area (m²)"), "number"),
    "floor_area_per_person": Variable(gettext_lazy("Floor area per person (m²)"), "number"),
    "monthly_expenditure": Variable(gettext_lazy("Monthly expenditure"), "number"),
    "has_motorcycle": Variable(gettext_lazy("Owns a motorcycle"), "bool"),
    "has_car": Variable(gettext_lazy("Owns a car"), "bool"),
    "has_refrigerator": Variable(gettext_lazy("Owns a refrigerator"), "bool"),
    "has_land": Variable(gettext_lazy("Owns farm land"), "bool"),
    "member_count": Variable(gettext_lazy("Number of members"), "number"),
    "children_under_6": Variable(gettext_lazy("Members under 6"), "number"),
    "children_under_18": Variable(gettext_lazy("Members under 18"), "number"),
    "elderly_60": Variable(gettext_lazy("Members aged 60 or more"), "number"),
    "disabled_count": Variable(gettext_lazy("Members with a disability"), "number"),
    "head_female": Variable(gettext_lazy("Head is a woman"), "bool"),
    "head_education": Variable(gettext_lazy("Education of the head"), "category"),
}

HOUSEHOLD_COLUMNS = (
    "desil",
    "floor_material",
    "wall_material",
    "water_source",
    "sanitation",
    "lighting",
    "cooking_fuel",
    "house_ownership",
    "floor_area_m2",
    "monthly_expenditure",
    "has_motorcycle",
    "has_car",
    "has_refrigerator",
    "has_land",
)


def _number(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from error


def check_variables(variables: Any, formula: str) -> None:
    """Refuse a variables list that cannot be scored, saying which entry is wrong and why."""
    if not isinstance(variables, list) or not variables:
        raise ValidationError(_("Give a list with at least one variable."))
    for index, spec in enumerate(variables, start=1):
        where = _("Variable %(n)d") % {"n": index}
        if not isinstance(spec, dict) or spec.get("variable") not in VARIABLES:
            raise ValidationError(
                _("%(where)s: unknown variable. Use one of: %(names)s.")
                % {"where": where, "names": ", ".join(VARIABLES)}
            )
        where = f"{where} ({spec['variable']})"
        if formula == Formula.POINTS:
            bands = spec.get("bands")
            if not isinstance(bands, list) or not bands:
                raise ValidationError(_("%(where)s: give its bands.") % {"where": where})
            for band in bands:
                if not isinstance(band, dict) or "points" not in band:
                    raise ValidationError(
                        _("%(where)s: every band needs points.") % {"where": where}
                    )
                _number(band["points"], where)
                if "value" not in band and "min" not in band and "max" not in band:
                    raise ValidationError(
                        _("%(where)s: a band needs a value, or a min and/or max.")
                        % {"where": where}
                    )
                for key in ("min", "max"):
                    if key in band:
                        _number(band[key], where)
        else:
            if "weight" in spec:
                _number(spec["weight"], where)
            elif isinstance(spec.get("weights"), dict):
                for weight in spec["weights"].values():
                    _number(weight, where)
            else:
                raise ValidationError(
                    _("%(where)s: give a weight, or weights per value.") % {"where": where}
                )


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return bool(value) == (expected in (True, "true", "True", 1, "1"))
    return str(value) == str(expected)


def _as_number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    return Decimal(str(value))


def score_of(scheme: ScoringScheme, row: dict[str, Any]) -> Decimal:
    """The score of one household, from its variable values (see :func:`household_rows`)."""
    if scheme.formula == Formula.POINTS:
        total = Decimal("0")
        for spec in scheme.variables:
            value = row.get(spec["variable"])
            if value is None or value == "":
                continue
            for band in spec["bands"]:
                if "value" in band:
                    matched = _same(value, band["value"])
                else:
                    number = _as_number(value)
                    low = Decimal(str(band["min"])) if "min" in band else None
                    high = Decimal(str(band["max"])) if "max" in band else None
                    matched = (low is None or number >= low) and (high is None or number < high)
                if matched:
                    total += Decimal(str(band["points"]))
                    break
        return total
    total = Decimal(str(scheme.intercept))
    for spec in scheme.variables:
        value = row.get(spec["variable"])
        if "weights" in spec:
            weight = spec["weights"].get(str(value))
            if weight is not None:
                total += Decimal(str(weight))
        else:
            number = _as_number(value)
            if number is not None:
                total += Decimal(str(spec["weight"])) * number
    return total.quantize(Decimal("0.0001"))


def households_of(scheme: ScoringScheme) -> Any:
    """Active households the scheme covers, less those that objected to automated scoring."""
    rows = Household.objects.filter(status=HouseholdStatus.ACTIVE).exclude(scoring_objections())
    if scheme.scope_region_id:
        rows = rows.filter(region_q("region_id", scheme.scope_region_id))
    return rows


def household_rows(queryset: Any, *, today: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Each household's variable values, computed in the database (one query per call)."""
    today = today or timezone.localdate()
    alive = Q(members__deceased=False)
    annotated = queryset.annotate(
        member_count=Count("members", filter=alive),
        children_under_6=Count(
            "members", filter=alive & Q(members__birth_date__gt=birth_date_cutoff(6, today))
        ),
        children_under_18=Count(
            "members", filter=alive & Q(members__birth_date__gt=birth_date_cutoff(18, today))
        ),
        elderly_60=Count(
            "members", filter=alive & Q(members__birth_date__lte=birth_date_cutoff(60, today))
        ),
        disabled_count=Count("members", filter=alive & Q(members__has_disability=True)),
        head_sex=F("head__sex"),
        head_education=F("head__education"),
    )
    for row in annotated.values(
        "pk",
        "region_id",
        *HOUSEHOLD_COLUMNS,
        "member_count",
        "children_under_6",
        "children_under_18",
        "elderly_60",
        "disabled_count",
        "head_sex",
        "head_education",
    ):
        yield _finish_row(row)


def _finish_row(row: dict[str, Any]) -> dict[str, Any]:
    if "head_sex" in row:
        sex = row.pop("head_sex")
        row["head_female"] = None if sex is None else sex == "F"
    area, members = row.get("floor_area_m2"), row.get("member_count")
    row["floor_area_per_person"] = (
        (Decimal(area) / Decimal(members)).quantize(Decimal("0.01")) if area and members else None
    )
    return row


def assign_deciles(scores: list[tuple[int, Decimal]], *, higher_is_poorer: bool) -> dict[int, int]:
    """Decile per id (1 = poorest tenth). Equal scores share the decile of the first of them."""
    ordered = sorted(scores, key=lambda item: item[1], reverse=higher_is_poorer)
    n = len(ordered)
    deciles: dict[int, int] = {}
    first_rank: dict[Decimal, int] = {}
    for rank, (pk, score) in enumerate(ordered):
        start = first_rank.setdefault(score, rank)
        deciles[pk] = start * 10 // n + 1
    return deciles


# --- Services -----------------------------------------------------------------------------


@transaction.atomic
def scoring_scheme_create(*, actor: Any, **fields: Any) -> ScoringScheme:
    """Create a scoring scheme; its variables are checked first."""
    check_variables(fields.get("variables"), fields.get("formula", Formula.POINTS))
    scheme = ScoringScheme(created_by=actor if getattr(actor, "pk", None) else None, **fields)
    return audited_create(scheme, actor=actor)


@transaction.atomic
def scoring_scheme_update(
    *, actor: Any, scheme: ScoringScheme, data: dict[str, Any], expected_version: int | None = None
) -> ScoringScheme:
    check_variables(data.get("variables", scheme.variables), data.get("formula", scheme.formula))
    scheme, _changes = audited_update(
        scheme, actor=actor, data=data, expected_version=expected_version
    )
    return scheme


@transaction.atomic
def scoring_run_start(*, actor: Any, scheme: ScoringScheme, run_now: bool = False) -> ScoringRun:
    """Queue a run of ``scheme`` over its households; the background job does the work (or,
    with ``run_now``, this call: for the demo data and commands)."""
    busy = scheme.runs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if busy is not None:
        raise ValidationError(
            _("This scheme is already being run (run %(id)s). Wait for it to finish.")
            % {"id": busy.pk}
        )
    run = audited_create(
        ScoringRun(scheme=scheme, created_by=actor if getattr(actor, "pk", None) else None),
        actor=actor,
    )
    if run_now:
        return scoring_run_execute(run_id=run.pk)
    from .tasks import score_households

    transaction.on_commit(lambda: score_households.enqueue(run.pk))
    return run


def _batches(queryset: Any, size: int) -> Iterator[list[dict[str, Any]]]:
    """Keyset pagination by primary key. The batch's ids are found first (an index range), then
    only those households are grouped with their members: grouping with a LIMIT would make the
    database aggregate every remaining household for each batch."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield list(household_rows(Household.objects.filter(pk__in=ids).order_by("pk")))
        last = ids[-1]


def scoring_run_execute(
    *, run_id: int, batch_size: int | None = None, engine: str = "auto"
) -> ScoringRun:
    """Score every household of the run's scheme. Safe to call again: a run that finished is
    left alone; one that was interrupted starts over.

    The scores are computed in the database (:mod:`bakti.registry.scoring_sql`: one
    ``INSERT … SELECT`` for the whole run, deciles by a window function in it) whenever the
    scheme can be expressed there exactly, which is every scheme but a few odd ones; those are
    scored here in Python, ``batch_size`` households at a time, then ranked by one ``UPDATE``
    (``engine="python"`` forces that path, for the tests that compare the two). The run becomes
    the scheme's current run when it is done: nothing else is rewritten."""
    from . import scoring_sql

    run = ScoringRun.objects.select_related("scheme").get(pk=run_id)
    if run.status == JobStatus.DONE:
        return run
    scheme = run.scheme
    HouseholdScore.objects.filter(run=run).delete()
    households = households_of(scheme)
    plan = scoring_sql.plan(scheme) if engine != "python" else None
    span = households.order_by().aggregate(n=Count("pk"), low=Min("pk"), high=Max("pk"))
    run.status = JobStatus.RUNNING
    run.started_at = timezone.now()
    run.total = span["n"]
    run.processed = 0
    run.message = ""
    run.save(update_fields=["status", "started_at", "total", "processed", "message"])
    try:
        if plan is not None:
            with transaction.atomic():
                run.processed = scoring_sql.insert_run(
                    plan,
                    run_id=run.pk,
                    households=households,
                    low=(span["low"] or 1) - 1,
                    high=span["high"] or 0,
                    today=timezone.localdate(),
                )
                run.save(update_fields=["processed"])
                _finish(run, ranked=run.processed, engine="sql")
            return run
        for batch in _batches(households, batch_size or BATCH):
            with transaction.atomic():
                insert_many(
                    HouseholdScore,
                    [
                        build(
                            HouseholdScore,
                            {
                                "run_id": run.pk,
                                "scheme_id": scheme.pk,
                                "household_id": row["pk"],
                                "region_id": row["region_id"],
                                "score": score_of(scheme, row),
                            },
                        )
                        for row in batch
                    ],
                )
                run.processed += len(batch)
                run.save(update_fields=["processed"])
        with transaction.atomic():
            ranked = scoring_sql.rank(run.pk, higher_is_poorer=scheme.higher_is_poorer)
            _finish(run, ranked=ranked, engine="python")
    except Exception as error:  # the run records why it failed; the job itself does not crash
        run.status = JobStatus.FAILED
        run.message = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        return run
    return run


def _finish(run: ScoringRun, *, ranked: int, engine: str) -> None:
    """The run marked done and made its scheme's current run; one audit event for the whole
    run (counts, not rows: the scores are derived data, the run is the act)."""
    scheme = run.scheme
    run.status = JobStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    ScoringScheme.objects.filter(pk=scheme.pk).update(current_run=run)
    scheme.current_run = run
    record_bulk(
        actor=run.created_by,
        object_type="registry.householdscore",
        action=AuditAction.OTHER,
        summary={"scheme": scheme.pk, "run": run.pk, "households": ranked, "engine": engine},
        reason=_("scoring run"),
    )


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    household: Household,
    assessed_on: dt.date,
    answers: dict[str, Any],
    scheme: ScoringScheme | None = None,
    notes: str = "",
    person: Any = None,
    update_household: bool = False,
) -> Assessment:
    """Record a visit's answers; with a scheme, score the household as the answers describe it;
    optionally write the answers to the household (audited like any edit)."""
    from .services import _check_in_scope, household_update

    _check_in_scope(actor, "registry.edit", household.region_id)
    answers = {k: v for k, v in answers.items() if v is not None and v != ""}
    score = None
    if scheme is not None:
        row = next(household_rows(Household.objects.filter(pk=household.pk)))
        row.update(answers)
        row = _finish_row(row)
        score = score_of(scheme, row)
    assessment = Assessment(
        household=household,
        person=person,
        region_id=household.region_id,
        assessed_on=assessed_on,
        assessor=actor if getattr(actor, "pk", None) else None,
        scheme=scheme,
        answers={k: (str(v) if isinstance(v, Decimal) else v) for k, v in answers.items()},
        score=score,
        notes=notes,
    )
    audited_create(assessment, actor=actor)
    if update_household and answers:
        household_update(
            actor=actor, household=household, data=answers, reason=_("assessment visit")
        )
    return assessment


def variable_choices() -> Iterable[tuple[str, str]]:
    return [(name, str(v.label)) for name, v in VARIABLES.items()]
