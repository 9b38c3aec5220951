"""Building blocks for finance tests: a program with an output and an activity, a fiscal
year, funding sources and budget lines. Program records are made directly (they belong to the
programs app and are only scenery here); everything of finance goes through its services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from bakti.finance import services
from bakti.finance.models import AccountClass, BudgetLine, FiscalYear, FundingSource
from bakti.programs.models import Activity, Program, ProgramType, Result

_counter = itertools.count(1)


def program(org_unit: Any, code: str | None = None) -> Program:
    n = next(_counter)
    return Program.objects.create(
        code=code or f"PRG-{n}",
        name=f"Program {n}",
        program_type=ProgramType.objects.order_by("pk").first()
        or ProgramType.objects.create(code="other", name="Other"),
        org_unit=org_unit,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )


def output(prog: Program, code: str = "1.1") -> Result:
    goal = Result.objects.create(program=prog, tier=1, code="1", statement="Goal")
    return Result.objects.create(
        program=prog, parent=goal, tier=3, code=code, statement=f"Output {code}"
    )


def activity(prog: Program, out: Result, code: str = "A1") -> Activity:
    return Activity.objects.create(
        program=prog,
        output=out,
        code=code,
        name=f"Activity {code}",
        planned_start=dt.date(2026, 1, 1),
        planned_end=dt.date(2026, 12, 31),
    )


def fiscal_year(year: int = 2026) -> FiscalYear:
    existing = FiscalYear.objects.filter(year=year).first()
    return existing or services.fiscal_year_create(actor=None, year=year)


def funding_source(code: str = "APBD-KAB", kind: str = "apbd_district") -> FundingSource:
    existing = FundingSource.objects.filter(code=code).first()
    return existing or services.funding_source_create(
        actor=None, code=code, name=f"Source {code}", kind=kind
    )


def account(code: str = "5.1.02") -> AccountClass:
    # Loaded by the data migration; created here too so ``--nomigrations`` runs work.
    return AccountClass.objects.get_or_create(code=code, defaults={"name": f"Account {code}"})[0]


def line(
    org_unit: Any,
    amount: str | Decimal = "100000000",
    *,
    prog: Program | None = None,
    source: FundingSource | None = None,
    account_code: str = "5.1.02",
    code: str = "",
    year: int = 2026,
) -> BudgetLine:
    prog = prog or program(org_unit)
    out = Result.objects.filter(program=prog, tier=3).first() or output(prog)
    act = Activity.objects.filter(program=prog, output=out).first() or activity(prog, out)
    return services.budget_line_create(
        actor=None,
        program=prog,
        fiscal_year=fiscal_year(year),
        account_class=account(account_code),
        funding_source=source or funding_source(),
        description=f"Line {code or next(_counter)}",
        code=code,
        amount=Decimal(amount),
        activity=act,
    )


def spend(
    actor: Any,
    approver: Any,
    budget_line: BudgetLine,
    amount: str | Decimal,
    day: dt.date = dt.date(2026, 3, 10),
    **extra: Any,
):
    """Record and approve an expenditure (the four-eyes way)."""
    entry = services.expenditure_record(
        actor=actor,
        line=budget_line,
        date=day,
        amount=Decimal(amount),
        payee="CV Maju Jaya",
        description="Purchase",
        **extra,
    )
    return services.entry_approve(approver, entry)
