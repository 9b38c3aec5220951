from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class LightOut(Schema):
    code: str
    text: str


class PeriodOut(Schema):
    label: str
    start: dt.date
    end: dt.date
    target: Decimal | None
    actual: Decimal | None
    status: str | None
    counted: bool
    percent: Decimal | None
    light: LightOut


class DisaggregationOut(Schema):
    dimension: str
    dimension_label: str
    category: str
    category_label: str
    periods: list[Decimal | None]
    to_date: Decimal | None


class IndicatorTrackOut(Schema):
    id: int
    code: str
    name: str
    result_label: str
    unit: str
    cumulative_rule: str
    computed: bool
    baseline: Decimal | None
    baseline_date: dt.date | None
    end_target: Decimal | None
    to_date_target: Decimal | None
    to_date_actual: Decimal | None
    percent: Decimal | None
    end_percent: Decimal | None
    light: LightOut
    pending: int
    periods: list[PeriodOut]
    disaggregations: list[DisaggregationOut]


class TrackingOut(Schema):
    program_id: int
    program_code: str
    as_of: dt.date
    indicators: list[IndicatorTrackOut]


class ResultOut(Schema):
    id: int
    indicator_id: int
    period_start: dt.date
    period_end: dt.date
    source: str
    status: str
    value: Decimal | None
    version: int


class BreakdownIn(Schema):
    dimension: str
    category: str
    value: Decimal


class ResultIn(Schema):
    period_start: dt.date
    value: Decimal
    breakdown: list[BreakdownIn] = []
    note: str = ""
    evidence_url: str = ""
    reason: str = ""
    expected_version: int | None = None


class ReasonIn(Schema):
    reason: str


class EvaluationOut(Schema):
    id: int
    program_id: int
    title: str
    evaluation_type: str
    start_date: dt.date
    end_date: dt.date | None
    evaluator_kind: str
    evaluator_name: str
    status: str


class HealthReasonOut(Schema):
    code: str
    level: str
    text: str


class HealthOut(Schema):
    program_id: int
    status: str
    reasons: list[HealthReasonOut]
    assessed_at: dt.datetime
