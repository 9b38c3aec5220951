"""Explicit input and output shapes of the delivery API."""

from datetime import date, time
from decimal import Decimal

from ninja import Schema


class ServiceTypeOut(Schema):
    id: int
    program_id: int
    code: str
    name: str
    category: str
    unit: str
    unit_value: Decimal
    currency: str
    is_active: bool


class WorkerOut(Schema):
    id: int
    full_name: str
    worker_type: str
    is_volunteer: bool
    skills: str
    languages: str
    region_id: str
    user_id: int | None
    is_active: bool


class EventOut(Schema):
    id: int
    program_id: int
    activity_id: int | None
    topic: str
    date: date
    start_time: time | None
    end_time: time | None
    region_id: str
    place: str
    facilitator_id: int | None
    present: int = 0


class AttendanceIn(Schema):
    person_id: int
    status: str = "present"


class AttendanceOut(Schema):
    id: int
    event_id: int
    person_id: int
    status: str


class DeliveryIn(Schema):
    enrolment_id: int
    service_type_id: int
    quantity: Decimal = Decimal("1")
    value: Decimal | None = None
    delivered_on: date
    delivered_by_id: int | None = None
    place: str = ""
    activity_id: int | None = None
    note: str = ""


class DeliveryOut(Schema):
    id: int
    program_id: int
    service_type_id: int
    enrolment_id: int
    household_id: int
    person_id: int | None
    region_id: str
    round_id: int | None
    quantity: Decimal
    value: Decimal
    currency: str
    delivered_on: date
    delivered_by_id: int | None


class RoundOut(Schema):
    id: int
    program_id: int
    service_type_id: int
    name: str
    region_id: str
    planned_date: date
    quantity: Decimal
    status: str
    recipient_count: int = 0
    received_count: int = 0


class RecipientOut(Schema):
    id: int
    line: int
    enrolment_id: int
    household_id: int
    person_id: int | None
    region_id: str
    received: bool


class ReceiptIn(Schema):
    recipient_ids: list[int]
    delivered_on: date
    delivered_by_id: int | None = None


class ReceiptOut(Schema):
    recorded: int
    errors: list[str]
