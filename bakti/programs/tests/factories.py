"""Programs built through the services, for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from bakti.programs import services
from bakti.programs.models import Program, ProgramType, Result
from bakti.regions.models import Region

YEAR_START = dt.date(2026, 1, 1)
YEAR_END = dt.date(2026, 12, 31)


def program(
    cast: Any,
    *,
    code: str = "P-001",
    regions: list[str] | None = None,
    org_unit: Any = None,
    actor: Any = None,
    **fields: Any,
) -> Program:
    return services.program_create(
        actor=actor,
        code=code,
        name=fields.pop("name", f"Program {code}"),
        program_type=fields.pop("program_type", ProgramType.objects.get(code="social_assistance")),
        org_unit=org_unit or cast.division_rehsos,
        start_date=fields.pop("start_date", YEAR_START),
        end_date=fields.pop("end_date", YEAR_END),
        manager=fields.pop("manager", cast.manager),
        regions=[Region.objects.get(pk=code) for code in (regions or [])],
        **fields,
    )


def framework(prog: Program, *, actor: Any = None) -> dict[str, Any]:
    """A goal, an outcome, an output, a per-period indicator with quarterly targets."""
    goal = services.result_create(actor=actor, program=prog, statement="Goal", code="1")
    outcome = services.result_create(
        actor=actor, program=prog, statement="Outcome", code="1.1", parent=goal
    )
    output = services.result_create(
        actor=actor, program=prog, statement="Output", code="1.1.1", parent=outcome
    )
    indicator = services.indicator_create(
        actor=actor,
        program=prog,
        result=output,
        code="IND-1",
        name="People reached",
        frequency="quarterly",
        cumulative_rule="per_period",
    )
    quarters = [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Q1 2026"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "Q2 2026"),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "Q3 2026"),
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "Q4 2026"),
    ]
    services.indicator_set_targets(
        actor=actor,
        indicator=indicator,
        targets=[
            services.TargetInput(start, end, Decimal(value), label)
            for (start, end, label), value in zip(quarters, [10, 20, 30, 40], strict=True)
        ],
        end_target=Decimal("100"),
    )
    return {"goal": goal, "outcome": outcome, "output": output, "indicator": indicator}


def activity(prog: Program, output: Result, *, actor: Any = None, **fields: Any) -> Any:
    return services.activity_create(
        actor=actor,
        program=prog,
        output=output,
        name=fields.pop("name", "Activity"),
        planned_start=fields.pop("planned_start", dt.date(2026, 2, 1)),
        planned_end=fields.pop("planned_end", dt.date(2026, 3, 31)),
        **fields,
    )
