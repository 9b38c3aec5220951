"""Input and output shapes of the programs API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    status: str
    program_type_id: int
    program_type: str = Field(..., alias="program_type.name")
    org_unit_id: int
    manager_id: int | None
    start_date: dt.date
    end_date: dt.date
    description: str
    strategy: str
    target_group_notes: str
    tier_names: list[str] = Field(..., alias="tier_labels")
    region_codes: list[str]
    target_group_codes: list[str]
    template_id: int | None
    submitted_by_id: int | None
    submitted_at: dt.datetime | None
    approved_by_id: int | None
    approved_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_region_codes(obj: Any) -> list[str]:
        return [r.pk for r in obj.regions.all()]

    @staticmethod
    def resolve_target_group_codes(obj: Any) -> list[str]:
        return [g.code for g in obj.target_groups.all()]


class ProgramIn(Schema):
    code: str
    name: str
    program_type_id: int
    org_unit_id: int
    start_date: dt.date
    end_date: dt.date
    manager_id: int | None = None
    description: str = ""
    strategy: str = ""
    target_group_notes: str = ""
    tier_names: list[str] = []
    region_codes: list[str] = []
    target_group_codes: list[str] = []


class ProgramPatch(Schema):
    name: str | None = None
    program_type_id: int | None = None
    org_unit_id: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    manager_id: int | None = None
    description: str | None = None
    strategy: str | None = None
    target_group_notes: str | None = None
    tier_names: list[str] | None = None
    region_codes: list[str] | None = None
    target_group_codes: list[str] | None = None
    version: int | None = None


class FromTemplateIn(Schema):
    template_id: int
    code: str
    name: str
    start_date: dt.date
    org_unit_id: int | None = None


class TransitionIn(Schema):
    action: str = Field(..., description="submit, approve, return, activate, close or evaluate")
    comment: str = ""


class ResultOut(Schema):
    id: int
    program_id: int
    parent_id: int | None
    tier: int
    code: str
    statement: str
    assumptions: str
    order: int
    version: int


class ResultIn(Schema):
    statement: str
    parent_id: int | None = None
    code: str = ""
    assumptions: str = ""
    order: int = 0


class ResultPatch(Schema):
    statement: str | None = None
    parent_id: int | None = None
    code: str | None = None
    assumptions: str | None = None
    order: int | None = None
    version: int | None = None


class IndicatorBase(Schema):
    definition: str = ""
    unit: str = "number"
    unit_label: str = ""
    numerator: str = ""
    denominator: str = ""
    direction: str = "increase"
    baseline_value: Decimal | None = None
    baseline_date: dt.date | None = None
    baseline_not_applicable: bool = False
    frequency: str = "quarterly"
    cumulative_rule: str = "per_period"
    data_source: str = ""
    means_of_verification: str = ""
    disaggregations: list[str] = []
    end_target: Decimal | None = None
    order: int = 0


class IndicatorOut(IndicatorBase):
    id: int
    program_id: int
    result_id: int
    code: str
    name: str
    version: int


class IndicatorIn(IndicatorBase):
    result_id: int
    code: str
    name: str


class IndicatorPatch(Schema):
    result_id: int | None = None
    code: str | None = None
    name: str | None = None
    definition: str | None = None
    unit: str | None = None
    unit_label: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    direction: str | None = None
    baseline_value: Decimal | None = None
    baseline_date: dt.date | None = None
    baseline_not_applicable: bool | None = None
    frequency: str | None = None
    cumulative_rule: str | None = None
    data_source: str | None = None
    means_of_verification: str | None = None
    disaggregations: list[str] | None = None
    end_target: Decimal | None = None
    order: int | None = None
    version: int | None = None


class TargetOut(Schema):
    id: int
    indicator_id: int
    period_start: dt.date
    period_end: dt.date
    label: str
    value: Decimal
    notes: str


class TargetItem(Schema):
    period_start: dt.date
    period_end: dt.date
    value: Decimal
    label: str = ""
    notes: str = ""


class TargetsIn(Schema):
    targets: list[TargetItem]
    end_target: Decimal | None = None
    version: int | None = None


class ActivityOut(Schema):
    id: int
    program_id: int
    output_id: int
    code: str
    name: str
    description: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    owner_id: int | None
    status: str
    percent_complete: int
    location_notes: str
    planned_budget: Decimal
    currency: str
    order: int
    version: int
    depends_on: list[int]
    locations: list[str]
    late: bool
    slip_days: int
    forecast_end: dt.date

    @staticmethod
    def resolve_depends_on(obj: Any) -> list[int]:
        return [a.pk for a in obj.depends_on.all()]

    @staticmethod
    def resolve_locations(obj: Any) -> list[str]:
        return [r.pk for r in obj.locations.all()]

    @staticmethod
    def _slip(obj: Any, context: Any) -> Any:
        return context["request"].bakti_slips[obj.pk]

    @staticmethod
    def resolve_late(obj: Any, context: Any) -> bool:
        return ActivityOut._slip(obj, context).late

    @staticmethod
    def resolve_slip_days(obj: Any, context: Any) -> int:
        return ActivityOut._slip(obj, context).slip_days

    @staticmethod
    def resolve_forecast_end(obj: Any, context: Any) -> dt.date:
        return ActivityOut._slip(obj, context).forecast_end


class ActivityIn(Schema):
    output_id: int
    name: str
    planned_start: dt.date
    planned_end: dt.date
    code: str = ""
    description: str = ""
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    owner_id: int | None = None
    status: str = "not_started"
    percent_complete: int = 0
    location_notes: str = ""
    planned_budget: Decimal = Decimal("0")
    order: int = 0
    depends_on: list[int] = []
    locations: list[str] = []


class ActivityPatch(Schema):
    output_id: int | None = None
    name: str | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    code: str | None = None
    description: str | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    owner_id: int | None = None
    status: str | None = None
    percent_complete: int | None = None
    location_notes: str | None = None
    planned_budget: Decimal | None = None
    order: int | None = None
    depends_on: list[int] | None = None
    locations: list[str] | None = None
    version: int | None = None


class MilestoneOut(Schema):
    id: int
    program_id: int
    activity_id: int | None
    name: str
    due_date: dt.date
    achieved: bool
    achieved_on: dt.date | None
    notes: str
    version: int


class MilestoneIn(Schema):
    name: str
    due_date: dt.date
    activity_id: int | None = None
    achieved: bool = False
    achieved_on: dt.date | None = None
    notes: str = ""


class MilestonePatch(Schema):
    name: str | None = None
    due_date: dt.date | None = None
    activity_id: int | None = None
    achieved: bool | None = None
    achieved_on: dt.date | None = None
    notes: str | None = None
    version: int | None = None


class RiskOut(Schema):
    id: int
    program_id: int
    description: str
    category: str
    likelihood: int
    impact: int
    score: int
    mitigation: str
    owner_id: int | None
    status: str
    review_date: dt.date | None
    version: int


class RiskIn(Schema):
    description: str
    category: str = "other"
    likelihood: int = Field(3, ge=1, le=5)
    impact: int = Field(3, ge=1, le=5)
    mitigation: str = ""
    owner_id: int | None = None
    status: str = "open"
    review_date: dt.date | None = None


class RiskPatch(Schema):
    description: str | None = None
    category: str | None = None
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    mitigation: str | None = None
    owner_id: int | None = None
    status: str | None = None
    review_date: dt.date | None = None
    version: int | None = None
