"""The work plan: activities (with finish → start dependencies and locations) and milestones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from bakti.privacy.audit import audited_create, audited_delete, audited_update, record
from bakti.privacy.models import AuditAction

from ..models import Activity, ActivityStatus, Milestone, Program, Result
from ..schedule import topological_order
from .common import check_can_edit

# What may change on an activity while the program runs (progress); everything else is plan.
PROGRESS_FIELDS = {"actual_start", "actual_end", "status", "percent_complete"}

ACTIVITY_FIELDS = (
    "output",
    "code",
    "name",
    "description",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "owner",
    "status",
    "percent_complete",
    "location_notes",
    "planned_budget",
    "currency",
    "order",
)


def _check_activity(activity: Activity, program: Program) -> None:
    errors: dict[str, str] = {}
    output: Result | None = activity.output if activity.output_id else None
    if output is not None:
        if output.program_id != program.pk:
            errors["output"] = _("The output belongs to another program.")
        elif output.tier != program.output_tier:
            errors["output"] = _(
                "Activities hang under results of the lowest tier (%(tier)s); "
                "this result is a %(actual)s."
            ) % {
                "tier": program.tier_label(program.output_tier),
                "actual": program.tier_label(output.tier),
            }
    if activity.planned_start and activity.planned_end:
        if activity.planned_end < activity.planned_start:
            errors["planned_end"] = _("The planned end must not be before the planned start.")
        elif activity.planned_start < program.start_date or activity.planned_end > program.end_date:
            errors["planned_start"] = _(
                "The planned dates must lie within the program's dates (%(start)s to %(end)s)."
            ) % {"start": program.start_date.isoformat(), "end": program.end_date.isoformat()}
    if activity.actual_end and not activity.actual_start:
        errors["actual_start"] = _("Give the actual start when you give the actual end.")
    elif (
        activity.actual_end
        and activity.actual_start
        and activity.actual_end < activity.actual_start
    ):
        errors["actual_end"] = _("The actual end must not be before the actual start.")
    if activity.status == ActivityStatus.DONE and not activity.actual_end:
        errors["actual_end"] = _("Give the actual end date of a done activity.")
    if activity.actual_end and activity.status not in (
        ActivityStatus.DONE,
        ActivityStatus.CANCELLED,
    ):
        errors["status"] = _("An activity with an actual end date is done (or cancelled).")
    if activity.percent_complete is not None and activity.percent_complete > 100:
        errors["percent_complete"] = _("Percent complete cannot be more than 100.")
    if errors:
        raise ValidationError(errors)
    if activity.status == ActivityStatus.DONE:
        activity.percent_complete = 100


def _check_dependencies(activity: Activity, program: Program, depends_on: list[Activity]) -> None:
    for other in depends_on:
        if other.program_id != program.pk:
            raise ValidationError({"depends_on": _("A dependency belongs to another program.")})
        if activity.pk and other.pk == activity.pk:
            raise ValidationError({"depends_on": _("An activity cannot depend on itself.")})
    if not activity.pk:
        return  # a new activity has no dependents yet, so it cannot close a cycle
    through = Activity.depends_on.through
    pairs = [
        (a, b)
        for a, b in through.objects.filter(from_activity__program=program).values_list(
            "from_activity_id", "to_activity_id"
        )
        if a != activity.pk
    ] + [(activity.pk, other.pk) for other in depends_on]
    ids = list(Activity.objects.filter(program=program).values_list("pk", flat=True))
    order = topological_order(ids, pairs)
    position = {pk: i for i, pk in enumerate(order)}
    for a, b in pairs:
        if position[b] > position[a]:
            raise ValidationError(
                {
                    "depends_on": _(
                        "These dependencies make a circle (an activity would wait for itself)."
                    )
                }
            )


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    program: Program,
    output: Result,
    name: str,
    planned_start: Any,
    planned_end: Any,
    depends_on: Iterable[Activity] = (),
    locations: Iterable[Any] = (),
    **fields: Any,
) -> Activity:
    """A work-plan activity under an output of ``program``."""
    check_can_edit(actor, program)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown activity fields: {sorted(unknown)}")
    activity = Activity(
        program=program,
        output=output,
        name=name.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        currency=fields.pop("currency", program.currency),
        **fields,
    )
    _check_activity(activity, program)
    dependencies = list(depends_on)
    _check_dependencies(activity, program, dependencies)
    audited_create(activity, actor=actor)
    activity.depends_on.set(dependencies)
    activity.locations.set(list(locations))
    extra = {}
    if dependencies:
        extra["depends_on"] = [None, sorted(a.pk for a in dependencies)]
    if activity.locations.exists():
        extra["locations"] = [None, sorted(activity.locations.values_list("pk", flat=True))]
    if extra:
        record(actor=actor, action=AuditAction.UPDATE, obj=activity, changes=extra)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Activity:
    """Change an activity. ``data`` may hold ``depends_on`` and ``locations``. Progress
    (actual dates, status, percent complete) can be kept up while the program runs; the plan
    itself changes only while the program can be edited."""
    program = activity.program
    plan_fields = set(data) - PROGRESS_FIELDS
    changed_plan = {
        k
        for k in plan_fields
        if k not in ("depends_on", "locations") and getattr(activity, k) != data[k]
    }
    if "depends_on" in data:
        current = set(activity.depends_on.values_list("pk", flat=True))
        if current != {a.pk for a in data["depends_on"]}:
            changed_plan.add("depends_on")
    if "locations" in data:
        current_locations = set(activity.locations.values_list("pk", flat=True))
        if current_locations != {getattr(r, "pk", r) for r in data["locations"]}:
            changed_plan.add("locations")
    check_can_edit(actor, program, structure=bool(changed_plan))
    plain = {k: v for k, v in data.items() if k in ACTIVITY_FIELDS}
    preview = Activity(
        **{f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields}
    )
    for key, value in plain.items():
        setattr(preview, key, value)
    _check_activity(preview, program)
    if preview.percent_complete != plain.get("percent_complete", activity.percent_complete):
        plain["percent_complete"] = preview.percent_complete
    extra: dict[str, list[Any]] = {}
    if "depends_on" in data:
        dependencies = list(data["depends_on"])
        _check_dependencies(activity, program, dependencies)
        before = sorted(activity.depends_on.values_list("pk", flat=True))
        activity.depends_on.set(dependencies)
        after = sorted(a.pk for a in dependencies)
        if before != after:
            extra["depends_on"] = [before, after]
    if "locations" in data:
        before_l = sorted(activity.locations.values_list("pk", flat=True))
        activity.locations.set(list(data["locations"]))
        after_l = sorted(activity.locations.values_list("pk", flat=True))
        if before_l != after_l:
            extra["locations"] = [before_l, after_l]
    activity, _changes = audited_update(
        activity, actor=actor, data=plain, expected_version=expected_version
    )
    if extra:
        record(actor=actor, action=AuditAction.UPDATE, obj=activity, changes=extra)
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    check_can_edit(actor, activity.program)
    try:
        with transaction.atomic():
            audited_delete(activity, actor=actor)
    except ProtectedError as error:
        raise ValidationError(
            _(
                "This activity is still used by budget lines, events, distributions or "
                "deliveries: it cannot be deleted. Mark it cancelled instead."
            )
        ) from error


MILESTONE_FIELDS = ("activity", "name", "due_date", "achieved", "achieved_on", "notes")


def _check_milestone(milestone: Milestone, program: Program) -> None:
    errors = {}
    if milestone.activity_id and milestone.activity.program_id != program.pk:
        errors["activity"] = _("The activity belongs to another program.")
    if milestone.achieved and not milestone.achieved_on:
        errors["achieved_on"] = _("Give the date the milestone was achieved.")
    if milestone.achieved_on and not milestone.achieved:
        errors["achieved"] = _("Tick 'achieved' when you give the date it was achieved.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def milestone_create(
    *, actor: Any, program: Program, name: str, due_date: Any, **fields: Any
) -> Milestone:
    check_can_edit(actor, program)
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown milestone fields: {sorted(unknown)}")
    milestone = Milestone(program=program, name=name.strip(), due_date=due_date, **fields)
    _check_milestone(milestone, program)
    return audited_create(milestone, actor=actor)


@transaction.atomic
def milestone_update(
    *,
    actor: Any,
    milestone: Milestone,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Milestone:
    program = milestone.program
    structural = {k for k in data if k not in ("achieved", "achieved_on", "notes")}
    changed = {k for k in structural if getattr(milestone, k) != data[k]}
    check_can_edit(actor, program, structure=bool(changed))
    plain = {k: v for k, v in data.items() if k in MILESTONE_FIELDS}
    preview = Milestone(
        **{f.attname: getattr(milestone, f.attname) for f in Milestone._meta.concrete_fields}
    )
    for key, value in plain.items():
        setattr(preview, key, value)
    _check_milestone(preview, program)
    milestone, _changes = audited_update(
        milestone, actor=actor, data=plain, expected_version=expected_version
    )
    return milestone


@transaction.atomic
def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    check_can_edit(actor, milestone.program)
    audited_delete(milestone, actor=actor)
