"""Permission-scoped reads of programs and everything under them.

Who sees a program: holders of ``programs.view`` without a region limit see every program; a
holder limited to a region (a field worker of one kecamatan) sees the programs whose regions
overlap theirs: a region inside theirs, or one containing it (a program for the whole
kabupaten). The region test runs as a subquery on the program-region table, so no join
duplicates rows. Who edits: holders of ``programs.edit`` whose org unit subtree holds the
program's org unit. Who approves: holders of ``programs.approve`` there (the department head,
or a manager at or above the program's unit); never the person who submitted it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404

from bakti.accounts.access import scope_for
from bakti.core.scoping import region_q
from bakti.privacy.models import AuditAction, AuditEvent

from .models import (
    Activity,
    Indicator,
    IndicatorTarget,
    Milestone,
    Program,
    ProgramStatus,
    Result,
    Risk,
    TeamMember,
)
from .schedule import Slip, compute_slips

VIEW, EDIT, APPROVE = "programs.view", "programs.edit", "programs.approve"

# Program fields that can change only while the program is being prepared or run, not while it
# waits for approval or after it closed.
EDITABLE_STATUSES = {ProgramStatus.DRAFT, ProgramStatus.APPROVED, ProgramStatus.ACTIVE}


def program_visibility_q(user: Any, capability: str = VIEW) -> Q:
    """The programs ``user`` may see with ``capability`` (other modules pass their own, e.g.
    ``"delivery.record"``), as a filter on Program: all of them without a region limit, those
    whose regions overlap the user's otherwise."""
    scope = scope_for(user, capability)
    if scope.empty:
        return Q(pk__in=[])
    if scope.region_codes is None:
        return Q()
    in_regions = Program.regions.through.objects.filter(
        scope.q(region="region_id", region_overlap=True)
    ).values("program_id")
    return Q(pk__in=in_regions)


def program_list_for_user(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Program]:
    """Programs ``user`` may see, filtered by status, type, region, year, org unit and a search
    over code and name."""
    filters = filters or {}
    programs = Program.objects.filter(program_visibility_q(user)).select_related(
        "program_type", "org_unit", "manager"
    )
    if filters.get("status"):
        programs = programs.filter(status=filters["status"])
    if filters.get("program_type"):
        programs = programs.filter(program_type=filters["program_type"])
    if filters.get("org_unit"):
        unit = filters["org_unit"]
        programs = programs.filter(org_unit__path__startswith=unit.path)
    if filters.get("region"):
        code = filters["region"].pk if hasattr(filters["region"], "pk") else filters["region"]
        covering = Program.regions.through.objects.filter(
            region_q("region_id", code, overlap=True)
        ).values("program_id")
        programs = programs.filter(pk__in=covering)
    if filters.get("year"):
        year = int(filters["year"])
        programs = programs.filter(
            start_date__lte=dt.date(year, 12, 31), end_date__gte=dt.date(year, 1, 1)
        )
    if filters.get("q"):
        term = filters["q"].strip()
        programs = programs.filter(Q(code__icontains=term) | Q(name__icontains=term))
    return programs.order_by("-start_date", "code")


def program_get_for_user(user: Any, pk: int) -> Program:
    """One program ``user`` may see; 404 otherwise (never 403, which would confirm it exists)."""
    return get_object_or_404(
        Program.objects.filter(program_visibility_q(user)).select_related(
            "program_type", "org_unit", "manager", "submitted_by", "approved_by", "template"
        ),
        pk=pk,
    )


def can_edit(user: Any, program: Program) -> bool:
    return scope_for(user, EDIT).contains_org_unit(program.org_unit_id)


def can_approve(user: Any, program: Program) -> bool:
    """Holds the approval right over the program's org unit and did not submit it."""
    if not scope_for(user, APPROVE).contains_org_unit(program.org_unit_id):
        return False
    return program.submitted_by_id is None or program.submitted_by_id != user.pk


def is_editable(program: Program) -> bool:
    return program.status in EDITABLE_STATUSES


def program_templates_for_user(user: Any) -> QuerySet[Program]:
    return Program.objects.filter(program_visibility_q(user)).order_by("code")


def result_tree(program: Program) -> list[tuple[Result, int]]:
    """The program's results depth-first (parent before children) with their depth, their
    indicators and each indicator's targets prefetched: four queries whatever the size."""
    results = list(
        Result.objects.filter(program=program)
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "code", "id").prefetch_related(
                    Prefetch("targets", queryset=IndicatorTarget.objects.order_by("period_start"))
                ),
            )
        )
        .order_by("tier", "order", "code", "id")
    )
    children: dict[int | None, list[Result]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)
    ordered: list[tuple[Result, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            if node.pk in seen:
                continue
            seen.add(node.pk)
            ordered.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    ordered.extend((r, 0) for r in results if r.pk not in seen)
    return ordered


def result_get_for_user(user: Any, program: Program, pk: int) -> Result:
    return get_object_or_404(Result, program=program, pk=pk)


def indicator_get_for_user(user: Any, program: Program, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("result").prefetch_related("targets"),
        program=program,
        pk=pk,
    )


def indicator_list_for_user(user: Any, program_id: int | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(
        program__in=Program.objects.filter(program_visibility_q(user))
    ).select_related("result", "program")
    if program_id is not None:
        indicators = indicators.filter(program_id=program_id)
    return indicators.order_by("program_id", "order", "code", "id")


def target_list_for_user(user: Any, indicator_id: int | None = None) -> QuerySet[IndicatorTarget]:
    targets = IndicatorTarget.objects.filter(
        indicator__program__in=Program.objects.filter(program_visibility_q(user))
    )
    if indicator_id is not None:
        targets = targets.filter(indicator_id=indicator_id)
    return targets.order_by("indicator_id", "period_start")


def result_list_for_user(user: Any, program_id: int | None = None) -> QuerySet[Result]:
    results = Result.objects.filter(program__in=Program.objects.filter(program_visibility_q(user)))
    if program_id is not None:
        results = results.filter(program_id=program_id)
    return results.order_by("program_id", "tier", "order", "code", "id")


def activity_queryset(program: Program) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(program=program)
        .select_related("owner", "output")
        .prefetch_related("locations", "milestones")
        .order_by("planned_start", "order", "id")
    )


def dependency_pairs(program_ids: list[int] | QuerySet[Any]) -> list[tuple[int, int]]:
    through = Activity.depends_on.through
    return list(
        through.objects.filter(from_activity__program_id__in=program_ids).values_list(
            "from_activity_id", "to_activity_id"
        )
    )


def work_plan(
    program: Program, *, today: dt.date | None = None
) -> tuple[list[Activity], dict[int, Slip], dict[int, list[int]]]:
    """All activities of the program with their computed slip and their dependencies."""
    activities = list(activity_queryset(program))
    pairs = dependency_pairs([program.pk])
    slips = compute_slips(activities, pairs, today=today)
    depends: dict[int, list[int]] = {}
    for activity, prerequisite in pairs:
        depends.setdefault(activity, []).append(prerequisite)
    return activities, slips, depends


def activity_list_for_user(user: Any, program_id: int | None = None) -> QuerySet[Activity]:
    activities = Activity.objects.filter(
        program__in=Program.objects.filter(program_visibility_q(user))
    ).select_related("owner", "output")
    if program_id is not None:
        activities = activities.filter(program_id=program_id)
    return activities.order_by("program_id", "planned_start", "order", "id")


def activity_get_for_user(user: Any, program: Program, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("owner", "output").prefetch_related(
            "depends_on", "locations"
        ),
        program=program,
        pk=pk,
    )


def slips_for_programs(program_ids: list[int], today: dt.date | None = None) -> dict[int, Slip]:
    """Slips of the activities of several programs at once (two queries)."""
    activities = list(Activity.objects.filter(program_id__in=program_ids))
    return compute_slips(activities, dependency_pairs(program_ids), today=today)


def milestone_list_for_user(user: Any, program_id: int | None = None) -> QuerySet[Milestone]:
    milestones = Milestone.objects.filter(
        program__in=Program.objects.filter(program_visibility_q(user))
    ).select_related("activity")
    if program_id is not None:
        milestones = milestones.filter(program_id=program_id)
    return milestones.order_by("program_id", "due_date", "id")


def milestone_get_for_user(user: Any, program: Program, pk: int) -> Milestone:
    return get_object_or_404(Milestone, program=program, pk=pk)


def risk_list_for_user(user: Any, program_id: int | None = None) -> QuerySet[Risk]:
    risks = Risk.objects.filter(
        program__in=Program.objects.filter(program_visibility_q(user))
    ).select_related("owner")
    if program_id is not None:
        risks = risks.filter(program_id=program_id)
    return risks


def risk_get_for_user(user: Any, program: Program, pk: int) -> Risk:
    return get_object_or_404(Risk.objects.select_related("owner"), program=program, pk=pk)


def risk_matrix(risks: list[Risk]) -> list[list[dict[str, Any]]]:
    """Rows of the 5 by 5 matrix from likelihood 5 (top) to 1, columns impact 1 to 5."""
    cells: dict[tuple[int, int], list[Risk]] = {}
    for risk in risks:
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk)
    rows = []
    for likelihood in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            score = likelihood * impact
            level = (
                "critical"
                if score >= 20
                else "high"
                if score >= 10
                else "medium"
                if score >= 5
                else "low"
            )
            row.append(
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "score": score,
                    "level": level,
                    "risks": cells.get((likelihood, impact), []),
                }
            )
        rows.append(row)
    return rows


def team_for_program(program: Program) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(program=program).select_related("user")


def team_member_get(program: Program, pk: int) -> TeamMember:
    return get_object_or_404(TeamMember, program=program, pk=pk)


def program_history(program: Program) -> QuerySet[AuditEvent]:
    """The audit trail of the program and everything under it, deletions included (a deleted
    row's event carries its program id in its changes)."""
    condition = Q(object_type="programs.program", object_id=str(program.pk))
    for model in (Result, Indicator, Activity, Milestone, Risk, TeamMember):
        label = model._meta.label_lower
        ids = (
            model.objects.filter(program=program)
            .annotate(key=Cast("pk", output_field=CharField()))
            .values("key")
        )
        condition |= Q(object_type=label, object_id__in=ids)
        condition |= Q(object_type=label, action=AuditAction.DELETE, changes__program__0=program.pk)
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-at", "-id")


def program_counts(program: Program) -> dict[str, int]:
    counts = Program.objects.filter(pk=program.pk).aggregate(
        results=Count("results", distinct=True),
        indicators=Count("indicators", distinct=True),
        activities=Count("activities", distinct=True),
        risks=Count("risks", distinct=True),
        team=Count("team", distinct=True),
    )
    return {k: v or 0 for k, v in counts.items()}


def ensure_visible(user: Any, program: Program) -> None:
    if not Program.objects.filter(program_visibility_q(user), pk=program.pk).exists():
        raise Http404
