"""Programs, indicators and targets for monitoring tests, built directly (the programs app
owns their services; here they are only the stage)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bakti.programs.models import (
    Indicator,
    IndicatorTarget,
    Program,
    ProgramStatus,
    ProgramType,
    Result,
)

QUARTERS_2026 = [
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Q1 2026"),
    (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "Q2 2026"),
    (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "Q3 2026"),
    (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "Q4 2026"),
]


def make_program(
    org_unit: Any, *, code: str = "PRG-1", manager: Any = None, **extra: Any
) -> Program:
    program = Program.objects.create(
        code=code,
        name=extra.pop("name", f"Program {code}"),
        program_type=ProgramType.objects.order_by("order").first(),
        status=extra.pop("status", ProgramStatus.ACTIVE),
        org_unit=org_unit,
        manager=manager,
        start_date=extra.pop("start_date", dt.date(2026, 1, 1)),
        end_date=extra.pop("end_date", dt.date(2026, 12, 31)),
        **extra,
    )
    return program


def make_output(program: Program, statement: str = "People are reached") -> Result:
    goal = Result.objects.create(program=program, tier=1, code="1", statement="Goal")
    outcome = Result.objects.create(
        program=program, parent=goal, tier=2, code="1.1", statement="Outcome"
    )
    return Result.objects.create(
        program=program, parent=outcome, tier=3, code="1.1.1", statement=statement
    )


def make_indicator(
    program: Program,
    *,
    code: str = "IND-1",
    rule: str = "per_period",
    targets: list[Any] | None = None,
    unit: str = "number",
    disaggregations: list[str] | None = None,
    result: Result | None = None,
    **extra: Any,
) -> Indicator:
    result = (
        result or Result.objects.filter(program=program, tier=3).first() or make_output(program)
    )
    indicator = Indicator.objects.create(
        program=program,
        result=result,
        code=code,
        name=extra.pop("name", f"Indicator {code}"),
        unit=unit,
        cumulative_rule=rule,
        disaggregations=disaggregations or [],
        **extra,
    )
    for (start, end, label), value in zip(QUARTERS_2026, targets or [], strict=False):
        if value is not None:
            IndicatorTarget.objects.create(
                indicator=indicator,
                period_start=start,
                period_end=end,
                label=label,
                value=Decimal(str(value)),
            )
    return indicator


def make_case(cast: Any, household: Any, number: int, **fields: Any) -> Any:
    """A case of ``household`` (worked by field worker A of the Rehsos division), built
    directly; ``fields`` gives the status and the dates that matter to the test."""
    from bakti.cases.models import Case, CaseType

    kind = CaseType.objects.get_or_create(code="T", defaults={"name": "Type"})[0]
    defaults = {
        "summary": "-",
        "opened_on": dt.date(2026, 1, 5),
        "assessment_due": dt.date(2026, 1, 20),
        "plan_due": dt.date(2026, 2, 5),
    }
    return Case.objects.create(
        reference=f"K-{number}",
        case_type=kind,
        household=household,
        region_id=household.region_id,
        caseworker=cast.field_worker_a,
        org_unit=cast.division_rehsos,
        **{**defaults, **fields},
    )
