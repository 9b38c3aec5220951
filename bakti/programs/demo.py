"""Demo data: six programs of the Dinas Sosial of Kabupaten Sleman for 2026 (see
``demo_data.py``), each with its results framework, indicators with baselines and quarterly
targets, a year's work plan (progress set against today's date, some activities late), risks and
a team; most of them approved and running, one waiting for the department head's approval.

Everything goes through the services. Later apps find the programs in
``ctx.shared["programs"]`` (by code).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bakti.core.demo import DemoContext
from bakti.regions.models import Region

from . import services
from .demo_data import PROGRAMS
from .models import ActivityStatus, PPKSCategory, ProgramType
from .periods import reporting_periods

YEAR = 2026


def _day(month_day: tuple[int, int]) -> dt.date:
    return dt.date(YEAR, *month_day)


def _places(codes: list[str]) -> list[Region]:
    """Up to two desa in each kecamatan of the program (or the kecamatan themselves)."""
    places: list[Region] = []
    for code in codes:
        desa = list(
            Region.objects.filter(code__startswith=code + ".", level=4).order_by("code")[:2]
        )
        places.extend(desa)
    return places


def _indicator(ctx: DemoContext, program: Any, result: Any, spec: tuple) -> None:
    code, name, unit, label, direction, baseline, rule, quarters, disaggregations, source = spec
    fields: dict[str, Any] = {
        "code": code,
        "name": name,
        "unit": unit,
        "unit_label": label,
        "direction": direction,
        "cumulative_rule": rule,
        "frequency": "quarterly",
        "disaggregations": list(disaggregations),
        "data_source": source,
        "means_of_verification": source,
    }
    if unit == "percentage":
        fields["numerator"] = name.replace("Persentase", "Jumlah")
        fields["denominator"] = "Jumlah seluruh sasaran program"
    if baseline is None:
        fields["baseline_not_applicable"] = True
    else:
        fields["baseline_value"] = Decimal(baseline)
        fields["baseline_date"] = dt.date(YEAR - 1, 12, 31)
    indicator = services.indicator_create(actor=None, program=program, result=result, **fields)
    periods = reporting_periods("quarterly", program.start_date, program.end_date)
    targets = [
        services.TargetInput(p.start, p.end, Decimal(value), p.label)
        for p, value in zip(periods, quarters, strict=True)
        if value != ""
    ]
    values = [t.value for t in targets]
    end = sum(values, Decimal(0)) if rule == "per_period" else (values[-1] if values else None)
    services.indicator_set_targets(actor=None, indicator=indicator, targets=targets, end_target=end)


def _progress(
    activity: Any, late: bool, prerequisites_done: bool, today: dt.date
) -> dict[str, Any]:
    """Where the activity stands today: done when its plan is past (unless marked late),
    running when today falls inside its plan and what it waits for is done."""
    if not prerequisites_done or activity.planned_start > today:
        return {}
    if activity.planned_end < today and not late:
        return {
            "status": ActivityStatus.DONE,
            "actual_start": activity.planned_start,
            "actual_end": activity.planned_end,
        }
    span = (activity.planned_end - activity.planned_start).days or 1
    elapsed = min((today - activity.planned_start).days, span)
    percent = 60 if late else max(5, min(95, round(elapsed * 100 / span / 5) * 5))
    return {
        "status": ActivityStatus.DELAYED if late else ActivityStatus.IN_PROGRESS,
        "actual_start": activity.planned_start,
        "percent_complete": percent,
    }


def _program(ctx: DemoContext, spec: dict[str, Any], today: dt.date) -> Any:
    users = ctx.users
    program = services.program_create(
        actor=None,
        code=spec["code"],
        name=spec["name"],
        program_type=ProgramType.objects.get(code=spec["type"]),
        org_unit=ctx.org_units[spec["unit"]],
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 12, 31),
        manager=users.get("manajer"),
        description=spec["description"],
        strategy=spec["strategy"],
        target_groups=list(PPKSCategory.objects.filter(code__in=spec["ppks"])),
        regions=list(Region.objects.filter(pk__in=spec["regions"])),
        tier_names=["Tujuan", "Hasil", "Keluaran"],
    )
    places = _places(spec["regions"] if len(spec["regions"][0]) > 5 else [])
    goal = services.result_create(actor=None, program=program, statement=spec["goal"], code="1")
    for o, outcome_spec in enumerate(spec["outcomes"], start=1):
        outcome = services.result_create(
            actor=None,
            program=program,
            parent=goal,
            code=f"1.{o}",
            statement=outcome_spec["statement"],
            assumptions="Anggaran tersedia tepat waktu dan data sasaran mutakhir.",
        )
        for indicator_spec in outcome_spec["indicators"]:
            _indicator(ctx, program, outcome, indicator_spec)
        for k, output_spec in enumerate(outcome_spec["outputs"], start=1):
            output = services.result_create(
                actor=None,
                program=program,
                parent=outcome,
                code=f"1.{o}.{k}",
                statement=output_spec["statement"],
                order=k,
            )
            for indicator_spec in output_spec["indicators"]:
                _indicator(ctx, program, output, indicator_spec)
            previous = None
            previous_done = True
            for a, (code, name, start, end, owner, budget, flags) in enumerate(
                output_spec["activities"]
            ):
                depends = [previous] if previous is not None and "after" in flags else []
                activity = services.activity_create(
                    actor=None,
                    program=program,
                    output=output,
                    code=code,
                    name=name,
                    planned_start=_day(start),
                    planned_end=_day(end),
                    owner=users.get(owner),
                    planned_budget=Decimal(budget),
                    depends_on=depends,
                    locations=places[a % max(len(places), 1) :][:1] if places else [],
                    order=a,
                )
                ready = previous_done or not depends
                progress = _progress(activity, "late" in flags, ready, today)
                if progress:
                    services.activity_update(actor=None, activity=activity, data=progress)
                previous = activity
                previous_done = progress.get("status") == ActivityStatus.DONE
            if previous is not None:
                achieved = previous_done
                services.milestone_create(
                    actor=None,
                    program=program,
                    activity=previous,
                    name=f"Keluaran {output.code} tercapai",
                    due_date=previous.planned_end,
                    achieved=achieved,
                    achieved_on=previous.planned_end if achieved else None,
                )
    services.milestone_create(
        actor=None, program=program, name="Laporan tahunan program", due_date=dt.date(YEAR, 12, 31)
    )
    for description, category, likelihood, impact, mitigation, owner in spec["risks"]:
        services.risk_create(
            actor=None,
            program=program,
            description=description,
            category=category,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner=users.get(owner),
            status="mitigating" if likelihood * impact >= 12 else "open",
            review_date=dt.date(YEAR, 12, 15),
        )
    for username, role in spec["team"]:
        if username in users:
            services.team_member_add(
                actor=None,
                program=program,
                user=users[username],
                role=role,
                start_date=dt.date(YEAR, 1, 1),
                end_date=dt.date(YEAR, 12, 31),
            )
    _move(ctx, program, spec)
    return program


def _move(ctx: DemoContext, program: Any, spec: dict[str, Any]) -> None:
    """Take the program through its lifecycle with the real people: submitted by the officer
    (Rehsos programs) or the manager, approved by the head, started by the manager."""
    target = spec["status"]
    if target == "draft":
        return
    submitter = ctx.users["staf"] if spec["unit"].startswith("REHSOS") else ctx.users["manajer"]
    services.program_submit(
        actor=submitter, program=program, comment="Rencana program dan kerangka hasil lengkap."
    )
    if target == "submitted":
        return
    services.program_approve(
        actor=ctx.users["kadis"], program=program, comment="Disetujui sesuai Renja 2026."
    )
    if target == "approved":
        return
    services.program_transition(
        actor=ctx.users["manajer"],
        program=program,
        action="activate",
        comment="Pelaksanaan dimulai.",
    )


def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    programs = {spec["code"]: _program(ctx, spec, today) for spec in PROGRAMS}
    ctx.shared["programs"] = programs
    ctx.say(f"{len(programs)} programs with frameworks, work plans, risks and teams")
