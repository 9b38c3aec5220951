"""Programs: create, change, move through the lifecycle, copy from a template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from ..models import (
    MAX_TIERS,
    Activity,
    Indicator,
    IndicatorTarget,
    Milestone,
    Program,
    ProgramStatus,
    ProgramTransition,
    Result,
    Risk,
)
from ..periods import Shift, period_label
from ..selectors import can_approve
from .common import check_can_edit, check_can_edit_org_unit
from .framework import check_indicator_targets

M2M_FIELDS = ("target_groups", "regions")


def _clean_tier_names(names: Iterable[str] | None) -> list[str]:
    cleaned = [str(n).strip() for n in (names or []) if str(n).strip()]
    if len(cleaned) > MAX_TIERS:
        raise ValidationError(
            {
                "tier_names": _("A results framework has at most %(max)d tiers; you gave %(n)d.")
                % {"max": MAX_TIERS, "n": len(cleaned)}
            }
        )
    if cleaned and len(cleaned) < 2:
        raise ValidationError(
            {"tier_names": _("Give at least two tier names (for example goal and output).")}
        )
    return cleaned


def _check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})


def _set_m2m(program: Program, actor: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in M2M_FIELDS:
        if name not in values:
            continue
        manager = getattr(program, name)
        before = sorted(str(pk) for pk in manager.values_list("pk", flat=True))
        items = list(values[name] or [])
        manager.set(items)
        after = sorted(str(getattr(item, "pk", item)) for item in items)
        if before != after:
            changes[name] = [before, after]
    return changes


@transaction.atomic
def program_create(
    *,
    actor: Any,
    code: str,
    name: str,
    program_type: Any,
    org_unit: Any,
    start_date: dt.date,
    end_date: dt.date,
    manager: Any = None,
    description: str = "",
    strategy: str = "",
    target_groups: Iterable[Any] = (),
    target_group_notes: str = "",
    regions: Iterable[Any] = (),
    tier_names: Iterable[str] | None = None,
    funding_summary: str = "",
    template: Program | None = None,
) -> Program:
    """A new program in draft, owned by ``org_unit`` (where ``actor`` must hold
    ``programs.edit``)."""
    check_can_edit_org_unit(actor, org_unit.pk)
    _check_dates(start_date, end_date)
    program = Program(
        code=code.strip(),
        name=name.strip(),
        program_type=program_type,
        org_unit=org_unit,
        start_date=start_date,
        end_date=end_date,
        manager=manager,
        description=description,
        strategy=strategy,
        target_group_notes=target_group_notes,
        tier_names=_clean_tier_names(tier_names),
        funding_summary=funding_summary,
        template=template,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audited_create(program, actor=actor)
    changes = _set_m2m(program, actor, {"target_groups": target_groups, "regions": regions})
    if changes:
        record(actor=actor, action=AuditAction.UPDATE, obj=program, changes=changes)
    return program


@transaction.atomic
def program_update(
    *,
    actor: Any,
    program: Program,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Program:
    """Change the program's details; ``data`` may hold ``target_groups`` and ``regions``."""
    check_can_edit(actor, program)
    plain = {k: v for k, v in data.items() if k not in M2M_FIELDS}
    if "org_unit" in plain and plain["org_unit"] is not None:
        check_can_edit_org_unit(actor, plain["org_unit"].pk)
    if "tier_names" in plain:
        plain["tier_names"] = _clean_tier_names(plain["tier_names"])
        deepest = program.results.order_by("-tier").values_list("tier", flat=True).first()
        if deepest and plain["tier_names"] and deepest > len(plain["tier_names"]):
            raise ValidationError(
                {
                    "tier_names": _(
                        "The framework already has results at tier %(tier)d; give at least "
                        "%(tier)d tier names."
                    )
                    % {"tier": deepest}
                }
            )
    _check_dates(
        plain.get("start_date", program.start_date), plain.get("end_date", program.end_date)
    )
    for field in ("status", "submitted_by", "approved_by", "submitted_at", "approved_at"):
        plain.pop(field, None)
    program, _changes = audited_update(
        program, actor=actor, data=plain, expected_version=expected_version
    )
    m2m_changes = _set_m2m(program, actor, data)
    if m2m_changes:
        record(actor=actor, action=AuditAction.UPDATE, obj=program, changes=m2m_changes)
    return program


# --- lifecycle --------------------------------------------------------------------------------

NEXT = {
    "submit": (ProgramStatus.DRAFT, ProgramStatus.SUBMITTED),
    "approve": (ProgramStatus.SUBMITTED, ProgramStatus.APPROVED),
    "return": (ProgramStatus.SUBMITTED, ProgramStatus.DRAFT),
    "activate": (ProgramStatus.APPROVED, ProgramStatus.ACTIVE),
    "close": (ProgramStatus.ACTIVE, ProgramStatus.CLOSED),
    "evaluate": (ProgramStatus.CLOSED, ProgramStatus.EVALUATED),
}


def actions_for(user: Any, program: Program) -> list[str]:
    """The lifecycle steps ``user`` may take on ``program`` now."""
    from ..selectors import can_edit

    allowed = []
    for action, (source, _target) in NEXT.items():
        if program.status != source:
            continue
        if action in ("approve", "return"):
            if can_approve(user, program):
                allowed.append(action)
        elif can_edit(user, program):
            allowed.append(action)
    return allowed


def _submission_problems(program: Program) -> list[str]:
    problems = []
    if not program.results.exists():
        problems.append(_("The program has no results framework yet: add at least one result."))
    indicators = Indicator.objects.filter(program=program).prefetch_related("targets")
    if not indicators:
        problems.append(_("The results framework has no indicators yet: add at least one."))
    for indicator in indicators:
        for message in check_indicator_targets(indicator, list(indicator.targets.all())):
            problems.append(f"{indicator.code}: {message}")
    return problems


@transaction.atomic
def program_transition(*, actor: Any, program: Program, action: str, comment: str = "") -> Program:
    """Move ``program`` one step through its lifecycle and record who, when and why.

    Submitting, activating, closing and marking evaluated need ``programs.edit`` over the
    program's org unit; approving and returning need ``programs.approve`` there, and are never
    allowed to the person who submitted it (four eyes). Returning needs a comment."""
    if action not in NEXT:
        raise ValidationError(_("Unknown step: %(action)s.") % {"action": action})
    source, target = NEXT[action]
    program = Program.objects.select_for_update().get(pk=program.pk)
    if action in ("approve", "return"):
        if actor is not None and not can_approve(actor, program):
            if program.submitted_by_id is not None and program.submitted_by_id == actor.pk:
                raise PermissionDenied(
                    _("You submitted this program, so someone else must approve or return it.")
                )
            raise PermissionDenied(_("You may not approve programs of this org unit."))
    else:
        check_can_edit(actor, program, structure=False)
    if program.status != source:
        raise ValidationError(
            _("This step is not possible: the program is %(status)s.")
            % {"status": program.get_status_display().lower()}
        )
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise ValidationError({"comment": _("Say why the program is returned.")})
    if action == "submit":
        problems = _submission_problems(program)
        if problems:
            raise ValidationError(problems)
    data: dict[str, Any] = {"status": target}
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    if action == "submit":
        data.update(submitted_by=who, submitted_at=now, approved_by=None, approved_at=None)
    elif action == "approve":
        data.update(approved_by=who, approved_at=now)
    elif action == "return":
        data.update(submitted_by=None, submitted_at=None)
    before = program.status
    program, _changes = audited_update(
        program, actor=actor, data=data, action=AuditAction.TRANSITION, reason=comment
    )
    ProgramTransition.objects.create(
        program=program, from_status=before, to_status=target, actor=who, comment=comment
    )
    return program


def program_submit(*, actor: Any, program: Program, comment: str = "") -> Program:
    return program_transition(actor=actor, program=program, action="submit", comment=comment)


def program_approve(*, actor: Any, program: Program, comment: str = "") -> Program:
    return program_transition(actor=actor, program=program, action="approve", comment=comment)


def program_return(*, actor: Any, program: Program, comment: str) -> Program:
    return program_transition(actor=actor, program=program, action="return", comment=comment)


# --- templates ----------------------------------------------------------------------------------


@transaction.atomic
def program_create_from_template(
    *,
    actor: Any,
    template: Program,
    code: str,
    name: str,
    start_date: dt.date,
    org_unit: Any = None,
    manager: Any = None,
) -> Program:
    """A new draft program copied from ``template``: details, results framework, indicators and
    their targets, and the work plan (activities with their dependencies, locations and
    milestones), with every date moved so the copy starts on ``start_date``. Progress (actual
    dates, status, achievements) is not copied."""
    shift = Shift.between(template.start_date, start_date)
    program = program_create(
        actor=actor,
        code=code,
        name=name,
        program_type=template.program_type,
        org_unit=org_unit or template.org_unit,
        start_date=start_date,
        end_date=shift.apply(template.end_date),  # type: ignore[arg-type]
        manager=manager if manager is not None else template.manager,
        description=template.description,
        strategy=template.strategy,
        target_groups=list(template.target_groups.all()),
        target_group_notes=template.target_group_notes,
        regions=list(template.regions.all()),
        tier_names=template.tier_names,
        template=template,
    )
    result_map: dict[int, Result] = {}
    for old in Result.objects.filter(program=template).order_by("tier", "order", "id"):
        result_map[old.pk] = Result.objects.create(
            program=program,
            parent=result_map.get(old.parent_id) if old.parent_id else None,
            tier=old.tier,
            code=old.code,
            statement=old.statement,
            assumptions=old.assumptions,
            order=old.order,
        )
    indicator_count = 0
    targets: list[IndicatorTarget] = []
    for old in Indicator.objects.filter(program=template).prefetch_related("targets"):
        copied_targets = list(old.targets.all())
        new = Indicator.objects.create(
            program=program,
            result=result_map[old.result_id],
            **{
                f.name: getattr(old, f.name)
                for f in Indicator._meta.concrete_fields
                if f.name not in {"id", "program", "result", "created_at", "updated_at", "version"}
            },
        )
        if new.baseline_date:
            new.baseline_date = shift.apply(new.baseline_date)
            new.save(update_fields=["baseline_date"])
        indicator_count += 1
        targets.extend(
            IndicatorTarget(
                indicator=new,
                period_start=shift.apply(t.period_start),
                period_end=shift.apply(t.period_end),
                label=period_label(new.frequency, shift.apply(t.period_start)),  # type: ignore[arg-type]
                value=t.value,
                notes=t.notes,
            )
            for t in copied_targets
        )
    IndicatorTarget.objects.bulk_create(targets)
    activity_map: dict[int, Activity] = {}
    old_activities = list(
        Activity.objects.filter(program=template).prefetch_related("locations").order_by("id")
    )
    for old in old_activities:
        new_activity = Activity.objects.create(
            program=program,
            output=result_map[old.output_id],
            code=old.code,
            name=old.name,
            description=old.description,
            planned_start=shift.apply(old.planned_start),
            planned_end=shift.apply(old.planned_end),
            owner=old.owner,
            location_notes=old.location_notes,
            planned_budget=old.planned_budget,
            currency=old.currency,
            order=old.order,
        )
        new_activity.locations.set(old.locations.all())
        activity_map[old.pk] = new_activity
    through = Activity.depends_on.through
    through.objects.bulk_create(
        through(
            from_activity_id=activity_map[a].pk,
            to_activity_id=activity_map[b].pk,
        )
        for a, b in through.objects.filter(from_activity__program=template).values_list(
            "from_activity_id", "to_activity_id"
        )
    )
    Milestone.objects.bulk_create(
        Milestone(
            program=program,
            activity=activity_map.get(m.activity_id) if m.activity_id else None,
            name=m.name,
            due_date=shift.apply(m.due_date),
            notes=m.notes,
        )
        for m in Milestone.objects.filter(program=template)
    )
    Risk.objects.bulk_create(
        Risk(
            program=program,
            description=r.description,
            category=r.category,
            likelihood=r.likelihood,
            impact=r.impact,
            mitigation=r.mitigation,
            owner=r.owner,
        )
        for r in Risk.objects.filter(program=template)
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=program,
        changes={
            "template": [None, template.pk],
            "results": [None, len(result_map)],
            "indicators": [None, indicator_count],
            "activities": [None, len(activity_map)],
        },
        reason=_("Copied from %(template)s") % {"template": template.code},
    )
    return program
