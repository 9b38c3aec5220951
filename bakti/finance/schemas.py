"""Input and output schemas of the finance API. Money is a decimal string, never a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class FiguresOut(Schema):
    original: Decimal
    budget: Decimal
    committed: Decimal
    realised: Decimal
    available: Decimal
    pending: Decimal
    absorption: Decimal | None


class FundingSourceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    organisation_id: int | None
    currency: str


class FiscalYearOut(Schema):
    id: int
    year: int
    start_date: dt.date
    end_date: dt.date
    is_closed: bool


class LineOut(Schema):
    id: int
    code: str
    description: str
    program_id: int
    fiscal_year: int
    org_unit_id: int
    output_id: int | None
    activity_id: int | None
    account_class: str
    funding_source_id: int
    original_amount: Decimal
    amount: Decimal
    version: int
    figures: FiguresOut | None = None

    @staticmethod
    def resolve_fiscal_year(obj: object) -> int:
        return obj.fiscal_year.year  # type: ignore[attr-defined]

    @staticmethod
    def resolve_account_class(obj: object) -> str:
        return obj.account_class.code  # type: ignore[attr-defined]


class SummaryRowOut(Schema):
    key: str | None
    label: str
    figures: FiguresOut


class SummaryOut(Schema):
    group_by: str
    rows: list[SummaryRowOut]
    total: FiguresOut


class EntryOut(Schema):
    id: int
    line_id: int
    date: dt.date
    reference: str
    payee: str
    description: str
    amount: Decimal
    currency: str
    exchange_rate: Decimal
    amount_idr: Decimal
    status: str
    recorded_by: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str
    override_reason: str
    reverses_id: int | None
    version: int

    @staticmethod
    def resolve_recorded_by(obj: object) -> str | None:
        user = obj.recorded_by  # type: ignore[attr-defined]
        return user.username if user else None

    @staticmethod
    def resolve_decided_by(obj: object) -> str | None:
        user = obj.decided_by  # type: ignore[attr-defined]
        return user.username if user else None


class ExpenditureOut(EntryOut):
    commitment_id: int | None


class CommitmentOut(EntryOut):
    is_closed: bool


class EntryIn(Schema):
    line_id: int
    date: dt.date
    amount: Decimal
    payee: str
    description: str
    reference: str = ""
    currency: str = "IDR"
    exchange_rate: Decimal = Decimal("1")


class ExpenditureIn(EntryIn):
    commitment_id: int | None = None


class ApproveIn(Schema):
    override_reason: str = ""


class ReasonIn(Schema):
    reason: str


class ReverseIn(Schema):
    reason: str
    date: dt.date | None = None


class PeriodOut(Schema):
    label: str
    start: dt.date
    planned: Decimal
    realised: Decimal
    planned_cumulative: Decimal
    realised_cumulative: Decimal
    planned_rate: Decimal | None
    realised_rate: Decimal | None


class ForecastOut(Schema):
    budget: Decimal
    realised_to_date: Decimal
    completed_months: int
    total_months: int
    burn_rate: Decimal | None
    year_end: Decimal | None
    year_end_absorption: Decimal | None


class AbsorptionOut(Schema):
    fiscal_year: int
    budget: Decimal
    months: list[PeriodOut]
    quarters: list[PeriodOut]
    forecast: ForecastOut
