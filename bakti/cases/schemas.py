"""Explicit input and output shapes of the cases API."""

from datetime import date, datetime

from ninja import Schema


class CaseOut(Schema):
    id: int
    reference: str
    case_type_id: int
    person_id: int | None
    household_id: int
    region_id: str
    caseworker_id: int
    status: str
    risk_level: str
    opened_on: date
    assessment_due: date
    plan_due: date
    closed_on: date | None
    closure_reason: str


class CaseIn(Schema):
    case_type_id: int
    person_id: int
    summary: str
    risk_level: str = "medium"


class FollowUpIn(Schema):
    due_date: date
    purpose: str


class FollowUpOut(Schema):
    id: int
    case_id: int
    due_date: date
    purpose: str
    done_on: date | None
    outcome: str


class ReferralIn(Schema):
    service_id: int
    need: str
    override_reason: str = ""
    complete_by: date | None = None


class ReferralOut(Schema):
    id: int
    case_id: int
    organisation_id: int
    service_id: int
    need: str
    status: str
    respond_by: date
    sent_at: datetime
    rejection_reason: str
    consent_override_reason: str


class ReferralAnswerIn(Schema):
    decision: str  # accept, reject or complete
    reason: str = ""
