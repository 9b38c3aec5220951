"""Writes for finance. Every one is audited; approvals follow the four-eyes and balance rules.

The rules, in one place:

- The person who recorded a commitment or an expenditure can never approve or reject it.
- Approval is refused when it would take the line past its available balance
  (budget - approved spending - open commitments), unless the approver holds
  ``finance.override`` and gives a reason, which is kept with the record.
- Approved (and rejected) records are locked. A correction is a reversing entry: the same
  amount, negative, recorded and approved like any other.
- The balance check and the approval happen in one transaction that first locks the budget
  line row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's immediate transactions serialise
  writers), so two approvals racing for the last of a balance cannot both pass.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bakti.accounts.access import has
from bakti.core.money import format_money
from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from . import ledger
from .models import (
    AccountClass,
    BudgetLine,
    BudgetRevision,
    Commitment,
    DisbursementPlan,
    EntryStatus,
    Expenditure,
    FiscalYear,
    FundingSource,
)

E = TypeVar("E", Commitment, Expenditure)

CENT = Decimal("0.01")


class BalanceExceeded(ValidationError):
    """Approving would take the line past its available balance."""


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


# --- commitments and expenditures -------------------------------------------------------------


def _amount_in_idr(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_entry(
    *, line: BudgetLine, day: dt.date, amount: Decimal, currency: str, rate: Decimal
) -> None:
    errors: dict[str, str] = {}
    year = line.fiscal_year
    if year.is_closed:
        errors["line"] = _(
            "Fiscal year %(year)s is closed: nothing more can be recorded on it."
        ) % {"year": year}
    if not year.start_date <= day <= year.end_date:
        errors["date"] = _("The date must lie in fiscal year %(year)s (%(start)s to %(end)s).") % {
            "year": year,
            "start": date_format(year.start_date, "SHORT_DATE_FORMAT"),
            "end": date_format(year.end_date, "SHORT_DATE_FORMAT"),
        }
    if day > timezone.localdate() + dt.timedelta(days=366):
        errors["date"] = _("The date is too far in the future.")
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    currency = (currency or "").upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("Give the currency as a three-letter code such as IDR or USD.")
    elif currency == settings.BAKTI_CURRENCY and rate != 1:
        errors["exchange_rate"] = _("The exchange rate of %(currency)s to itself is 1.") % {
            "currency": currency
        }
    if rate is None or rate <= 0:
        errors["exchange_rate"] = _("The exchange rate must be more than zero.")
    if errors:
        raise ValidationError(errors)


def _new_entry(
    model: type[E],
    *,
    actor: Any,
    line: BudgetLine,
    date: dt.date,
    amount: Decimal,
    payee: str,
    description: str,
    reference: str = "",
    currency: str = "",
    exchange_rate: Decimal = Decimal("1"),
    evidence: UploadedFile | None = None,
    **extra: Any,
) -> E:
    currency = (currency or settings.BAKTI_CURRENCY).upper()
    _check_entry(line=line, day=date, amount=amount, currency=currency, rate=exchange_rate)
    entry = model(
        line=line,
        date=date,
        amount=amount,
        currency=currency,
        exchange_rate=exchange_rate,
        amount_idr=_amount_in_idr(amount, currency, exchange_rate),
        payee=payee,
        description=description,
        reference=reference,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **extra,
    )
    if evidence is not None:
        entry.evidence = evidence
    return audited_create(entry, actor=actor)


@transaction.atomic
def commitment_record(
    *,
    actor: Any,
    line: BudgetLine,
    date: dt.date,
    amount: Decimal,
    payee: str,
    description: str,
    reference: str = "",
    currency: str = "",
    exchange_rate: Decimal = Decimal("1"),
    evidence: UploadedFile | None = None,
) -> Commitment:
    """Record a contract or purchase order on ``line``; it waits for approval."""
    return _new_entry(
        Commitment,
        actor=actor,
        line=line,
        date=date,
        amount=amount,
        payee=payee,
        description=description,
        reference=reference,
        currency=currency,
        exchange_rate=exchange_rate,
        evidence=evidence,
    )


@transaction.atomic
def expenditure_record(
    *,
    actor: Any,
    line: BudgetLine,
    date: dt.date,
    amount: Decimal,
    payee: str,
    description: str,
    reference: str = "",
    currency: str = "",
    exchange_rate: Decimal = Decimal("1"),
    evidence: UploadedFile | None = None,
    commitment: Commitment | None = None,
) -> Expenditure:
    """Record spending on ``line`` (optionally paying an approved commitment); it waits for
    approval and counts as spending only once approved."""
    if commitment is not None:
        commitment = Commitment.objects.get(pk=commitment.pk)  # its status as saved, not as passed
        if commitment.line_id != line.pk:
            raise ValidationError({"commitment": _("This commitment is on another budget line.")})
        if commitment.status != EntryStatus.APPROVED or commitment.is_reversal:
            raise ValidationError(
                {"commitment": _("Only an approved commitment can be paid against.")}
            )
        if commitment.is_closed:
            raise ValidationError({"commitment": _("This commitment is closed.")})
    return _new_entry(
        Expenditure,
        actor=actor,
        line=line,
        date=date,
        amount=amount,
        payee=payee,
        description=description,
        reference=reference,
        currency=currency,
        exchange_rate=exchange_rate,
        evidence=evidence,
        commitment=commitment,
    )


def _lock(entry: E) -> tuple[E, BudgetLine]:
    """Lock the budget line row, then re-read the entry, inside the caller's transaction. The
    line is locked first, always, so concurrent approvals on one line queue in one order."""
    line = (
        BudgetLine.objects.select_for_update().select_related("fiscal_year").get(pk=entry.line_id)
    )
    fresh = type(entry).objects.select_for_update().get(pk=entry.pk)
    return fresh, line


def _check_decider(actor: Any, entry: Commitment | Expenditure) -> None:
    if not has(actor, "finance.approve"):
        raise PermissionDenied(_("You may not approve or reject spending."))
    if entry.recorded_by_id is not None and entry.recorded_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("You recorded this entry, so someone else must approve or reject it.")
        )
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(
            _("This entry was already %(status)s; it is locked.")
            % {"status": entry.get_status_display().lower()}
        )


def _increase(entry: Commitment | Expenditure) -> Decimal:
    """How much approving ``entry`` takes from the line's available balance."""
    if isinstance(entry, Expenditure) and entry.commitment_id is not None and entry.amount_idr > 0:
        covered = ledger.commitment_remaining(entry.commitment)
        return entry.amount_idr - min(covered, entry.amount_idr)
    return entry.amount_idr


@transaction.atomic
def entry_approve(actor: Any, entry: E, *, override_reason: str = "") -> E:
    """Approve a pending commitment or expenditure (four eyes, balance rule; see the module)."""
    entry, line = _lock(entry)
    _check_decider(actor, entry)
    if line.fiscal_year.is_closed:
        raise ValidationError(_("Fiscal year %(year)s is closed.") % {"year": line.fiscal_year})
    increase = _increase(entry)
    figures = ledger.figures_of_line(line)
    available = figures.available
    override_reason = override_reason.strip()
    if increase > 0 and increase > available:
        if not override_reason:
            raise BalanceExceeded(
                _(
                    "Approving %(amount)s would take budget line “%(line)s” past its available "
                    "balance of %(available)s (budget %(budget)s − spent %(spent)s − committed "
                    "%(committed)s)."
                )
                % {
                    "amount": format_money(increase),
                    "line": line,
                    "available": format_money(available),
                    "budget": format_money(figures.budget),
                    "spent": format_money(figures.realised),
                    "committed": format_money(figures.committed),
                }
            )
        if not has(actor, "finance.override"):
            raise PermissionDenied(
                _("Only a user with the override permission may approve beyond the balance.")
            )
    elif override_reason:
        override_reason = ""  # nothing to override: keep the record honest
    audited_update(
        entry,
        actor=actor,
        action=AuditAction.APPROVE,
        reason=override_reason,
        data={
            "status": EntryStatus.APPROVED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "override_reason": override_reason,
        },
    )
    return entry


@transaction.atomic
def entry_reject(actor: Any, entry: E, *, reason: str) -> E:
    """Reject a pending commitment or expenditure, with the reason."""
    entry, _line = _lock(entry)
    _check_decider(actor, entry)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    audited_update(
        entry,
        actor=actor,
        action=AuditAction.REJECT,
        reason=reason.strip(),
        data={
            "status": EntryStatus.REJECTED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_reason": reason.strip(),
        },
    )
    return entry


@transaction.atomic
def entry_reverse(actor: Any, entry: E, *, reason: str, date: dt.date | None = None) -> E:
    """Record the reversing entry of an approved commitment or expenditure: the same amount,
    negative, with the reason. It waits for approval like any other entry."""
    entry, line = _lock(entry)
    if not has(actor, "finance.record"):
        raise PermissionDenied(_("You may not record spending."))
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError(_("Only an approved entry can be reversed."))
    if entry.is_reversal:
        raise ValidationError(_("A reversing entry cannot itself be reversed."))
    if type(entry).objects.filter(reverses=entry).exclude(status=EntryStatus.REJECTED).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    extra: dict[str, Any] = {"reverses": entry}
    if isinstance(entry, Commitment):
        if Expenditure.objects.filter(commitment=entry, status=EntryStatus.APPROVED).exists():
            raise ValidationError(
                _("Money has been paid against this commitment: close it instead of reversing it.")
            )
    else:
        extra["commitment"] = entry.commitment
    day = date or timezone.localdate()
    day = min(max(day, line.fiscal_year.start_date), line.fiscal_year.end_date)
    reversal = type(entry)(
        line=line,
        date=day,
        amount=-entry.amount,
        currency=entry.currency,
        exchange_rate=entry.exchange_rate,
        amount_idr=-entry.amount_idr,
        payee=entry.payee,
        description=_("Reversal of %(ref)s: %(reason)s")
        % {"ref": entry.reference or f"#{entry.pk}", "reason": reason.strip()},
        reference=entry.reference,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        **extra,
    )
    reversal.description = reversal.description[:300]
    return audited_create(reversal, actor=actor, reason=reason.strip())


@transaction.atomic
def commitment_close(actor: Any, commitment: Commitment, *, reason: str) -> Commitment:
    """Close an approved commitment: what remains of it no longer holds money."""
    commitment, _line = _lock(commitment)
    if not (has(actor, "finance.record") or has(actor, "finance.approve")):
        raise PermissionDenied(_("You may not close commitments."))
    if commitment.status != EntryStatus.APPROVED or commitment.is_reversal:
        raise ValidationError(_("Only an approved commitment can be closed."))
    if commitment.is_closed:
        raise ValidationError(_("This commitment is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the commitment.")})
    commitment, _changes = audited_update(
        commitment,
        actor=actor,
        action=AuditAction.TRANSITION,
        reason=reason.strip(),
        data={"is_closed": True},
    )
    return commitment


def months_in(year: FiscalYear) -> int:
    return len(year.months())


def last_day_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
