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

import datetime as dt
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
from bakti.privacy.audit import audited_create, audited_update
from bakti.privacy.models import AuditAction

from .. import ledger
from ..models import (
    BudgetLine,
    Commitment,
    EntryStatus,
    Expenditure,
)

E = TypeVar("E", Commitment, Expenditure)

CENT = Decimal("0.01")


class BalanceExceeded(ValidationError):
    """Approving would take the line past its available balance."""


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
