"""Writes for finance, one function per action (see ``entries`` for the approval rules)."""

from .. import ledger
from .budget import (
    account_class_create,
    budget_line_create,
    budget_line_revise,
    budget_line_update,
    disbursement_plan_set,
    disbursement_plan_spread,
    fiscal_year_create,
    fiscal_year_dates,
    fiscal_year_for,
    fiscal_year_set_closed,
    funding_source_create,
    funding_source_update,
    month_start,
)
from .entries import (
    BalanceExceeded,
    commitment_close,
    commitment_record,
    entry_approve,
    entry_reject,
    entry_reverse,
    expenditure_record,
)

__all__ = [
    "BalanceExceeded",
    "account_class_create",
    "budget_line_create",
    "budget_line_revise",
    "budget_line_update",
    "commitment_close",
    "commitment_record",
    "disbursement_plan_set",
    "disbursement_plan_spread",
    "entry_approve",
    "entry_reject",
    "entry_reverse",
    "expenditure_record",
    "fiscal_year_create",
    "fiscal_year_dates",
    "fiscal_year_for",
    "fiscal_year_set_closed",
    "funding_source_create",
    "funding_source_update",
    "ledger",
    "month_start",
]
