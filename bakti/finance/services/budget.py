"""Writes for the budget: fiscal years, funding sources, account classes, budget lines,
revisions and the disbursement plan. Every one is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.core.money import format_money
from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from .. import ledger
from ..models import (
    AccountClass,
    BudgetLine,
    BudgetRevision,
    DisbursementPlan,
    FiscalYear,
    FundingSource,
)

CENT = Decimal("0.01")


# --- reference data ---------------------------------------------------------------------------


def fiscal_year_dates(year: int, start_month: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of fiscal year ``year`` (named by the year it starts in)."""
    month = start_month or settings.BAKTI_FISCAL_YEAR_START_MONTH
    if not 1 <= month <= 12:
        raise ValidationError(_("The fiscal year start month must be between 1 and 12."))
    start = dt.date(year, month, 1)
    next_start = dt.date(year + 1, month, 1)
    return start, next_start - dt.timedelta(days=1)


@transaction.atomic
def fiscal_year_create(*, actor: Any, year: int) -> FiscalYear:
    """Create fiscal year ``year`` with dates from ``BAKTI_FISCAL_YEAR_START_MONTH``."""
    if FiscalYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Fiscal year %(year)s already exists.") % {"year": year}})
    start, end = fiscal_year_dates(year)
    return audited_create(FiscalYear(year=year, start_date=start, end_date=end), actor=actor)


@transaction.atomic
def fiscal_year_set_closed(*, actor: Any, fiscal_year: FiscalYear, closed: bool) -> FiscalYear:
    fiscal_year, _changes = audited_update(fiscal_year, actor=actor, data={"is_closed": closed})
    return fiscal_year


def fiscal_year_for(day: dt.date) -> FiscalYear | None:
    return FiscalYear.objects.filter(start_date__lte=day, end_date__gte=day).first()


@transaction.atomic
def funding_source_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    organisation: Any = None,
    currency: str = "IDR",
) -> FundingSource:
    return audited_create(
        FundingSource(
            code=code, name=name, kind=kind, organisation=organisation, currency=currency
        ),
        actor=actor,
    )


@transaction.atomic
def funding_source_update(
    *,
    actor: Any,
    source: FundingSource,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> FundingSource:
    source, _changes = audited_update(
        source, actor=actor, data=data, expected_version=expected_version
    )
    return source


@transaction.atomic
def account_class_create(*, actor: Any, code: str, name: str) -> AccountClass:
    return audited_create(AccountClass(code=code, name=name), actor=actor)


# --- budget lines -----------------------------------------------------------------------------


def _check_links(program: Any, output: Any, activity: Any) -> Any:
    """The output a line pays for: the one given, or the activity's own output."""
    errors: dict[str, str] = {}
    if output is None and activity is None:
        errors["activity"] = _("Link the line to a work-plan activity or to an output.")
    if activity is not None and activity.program_id != program.pk:
        errors["activity"] = _("This activity belongs to another program.")
    if output is not None and output.program_id != program.pk:
        errors["output"] = _("This output belongs to another program.")
    if errors:
        raise ValidationError(errors)
    if output is None and activity is not None:
        output = getattr(activity, "output", None)
    if output is not None and activity is not None:
        activity_output = getattr(activity, "output_id", None)
        if activity_output is not None and activity_output != output.pk:
            raise ValidationError({"activity": _("This activity is not under the chosen output.")})
    return output


@transaction.atomic
def budget_line_create(
    *,
    actor: Any,
    program: Any,
    fiscal_year: FiscalYear,
    account_class: AccountClass,
    funding_source: FundingSource,
    description: str,
    amount: Decimal,
    code: str = "",
    output: Any = None,
    activity: Any = None,
) -> BudgetLine:
    """Add a line to ``program``'s budget for ``fiscal_year``."""
    if fiscal_year.is_closed:
        raise ValidationError(
            {"fiscal_year": _("Fiscal year %(year)s is closed.") % {"year": fiscal_year}}
        )
    output = _check_links(program, output, activity)
    line = BudgetLine(
        program=program,
        fiscal_year=fiscal_year,
        org_unit_id=program.org_unit_id,
        output=output,
        activity=activity,
        account_class=account_class,
        funding_source=funding_source,
        code=code,
        description=description,
        original_amount=amount,
        amount=amount,
    )
    return audited_create(line, actor=actor)


@transaction.atomic
def budget_line_update(
    *,
    actor: Any,
    line: BudgetLine,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> BudgetLine:
    """Change a line's description, code, account class, funding source or links. The amount
    changes only through :func:`budget_line_revise`, which keeps the history."""
    allowed = {"code", "description", "account_class", "funding_source", "output", "activity"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    output = data.get("output", line.output)
    activity = data.get("activity", line.activity)
    output = _check_links(line.program, output, activity)
    data = {**data, "output": output} if "output" in data or "activity" in data else data
    line, _changes = audited_update(line, actor=actor, data=data, expected_version=expected_version)
    return line


@transaction.atomic
def budget_line_revise(
    *,
    actor: Any,
    line: BudgetLine,
    new_amount: Decimal,
    reason: str,
    revised_on: dt.date | None = None,
    expected_version: int | None = None,
) -> BudgetRevision:
    """Change a line's ceiling, keeping the original and every revision with date and reason.
    The new amount may not fall below what is already spent or committed on the line."""
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _("This budget line was changed by someone else while you were editing it.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revision.")})
    if new_amount < 0:
        raise ValidationError({"new_amount": _("The amount cannot be negative.")})
    figures = ledger.figures_of_line(locked)
    used = figures.realised + figures.committed
    if new_amount < used:
        raise ValidationError(
            {
                "new_amount": _(
                    "The new amount is below what is already spent or committed on this line "
                    "(%(used)s)."
                )
                % {"used": format_money(used)}
            }
        )
    revision = BudgetRevision(
        line=locked,
        previous_amount=locked.amount,
        new_amount=new_amount,
        revised_on=revised_on or timezone.localdate(),
        reason=reason.strip(),
        revised_by=actor if getattr(actor, "pk", None) else None,
    )
    revision.full_clean()
    revision.save()
    audited_update(locked, actor=actor, data={"amount": new_amount}, reason=reason.strip())
    line.refresh_from_db()
    return revision


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def disbursement_plan_set(
    *, actor: Any, line: BudgetLine, amounts: Mapping[dt.date, Decimal]
) -> list[DisbursementPlan]:
    """Replace the monthly disbursement plan of ``line``. The months must lie in the line's
    fiscal year and the plan may not exceed the line's amount."""
    months = set(line.fiscal_year.months())
    errors = []
    clean: dict[dt.date, Decimal] = {}
    for month, amount in amounts.items():
        first = month_start(month)
        if first not in months:
            errors.append(
                _("%(month)s is outside fiscal year %(year)s.")
                % {"month": first.strftime("%m/%Y"), "year": line.fiscal_year}
            )
            continue
        if amount is None:
            continue
        if amount < 0:
            errors.append(
                _("The amount for %(month)s cannot be negative.")
                % {"month": first.strftime("%m/%Y")}
            )
            continue
        clean[first] = clean.get(first, Decimal("0")) + amount
    total = sum(clean.values(), Decimal("0"))
    if total > line.amount:
        errors.append(
            _("The plan adds up to %(total)s, more than the line's amount of %(amount)s.")
            % {"total": format_money(total), "amount": format_money(line.amount)}
        )
    if errors:
        raise ValidationError(errors)
    before = {
        p.month.isoformat(): str(p.amount) for p in DisbursementPlan.objects.filter(line=line)
    }
    DisbursementPlan.objects.filter(line=line).delete()
    rows = DisbursementPlan.objects.bulk_create(
        [DisbursementPlan(line=line, month=m, amount=a) for m, a in sorted(clean.items()) if a]
    )
    after = {m.isoformat(): str(a) for m, a in sorted(clean.items()) if a}
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=line,
        changes={"disbursement_plan": [before, after]},
    )
    return rows


def disbursement_plan_spread(*, actor: Any, line: BudgetLine) -> list[DisbursementPlan]:
    """An even plan: the line's amount split over the months of its year (the last month takes
    the rounding remainder)."""
    months = line.fiscal_year.months()
    share = (line.amount / len(months)).quantize(CENT, rounding=ROUND_HALF_UP)
    amounts = {m: share for m in months[:-1]}
    amounts[months[-1]] = line.amount - share * (len(months) - 1)
    return disbursement_plan_set(actor=actor, line=line, amounts=amounts)
