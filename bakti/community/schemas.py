import datetime as dt
from typing import Any

from ninja import Schema


class TicketOut(Schema):
    id: int
    code: str
    channel: str
    external_reference: str
    category: str
    priority: str
    is_sensitive: bool
    status: str
    region_code: str | None
    received_at: dt.datetime
    acknowledge_due: dt.date
    resolve_due: dt.date
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    assigned_to: str | None
    escalation_level: str | None
    sla_state: str

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return obj.category.code

    @staticmethod
    def resolve_priority(obj: Any) -> str:
        return obj.priority.code

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_assigned_to(obj: Any) -> str | None:
        return obj.assigned_to.username if obj.assigned_to_id else None

    @staticmethod
    def resolve_escalation_level(obj: Any) -> str | None:
        return obj.escalation_step.name if obj.escalation_step_id else None

    @staticmethod
    def resolve_sla_state(obj: Any) -> str:
        from .selectors import sla_state

        return sla_state(obj)


class TicketIn(Schema):
    channel: str
    category: str
    priority: str = "normal"
    description: str
    region_code: str | None = None
    place_detail: str = ""
    identity_mode: str = "named"
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_email: str = ""
    external_reference: str = ""


class TransitionIn(Schema):
    action: str
    note: str = ""
    resolution: str = ""
    assignee_id: int | None = None
    expected_version: int | None = None


class PublicReportIn(Schema):
    category: str
    description: str
    region_code: str | None = None
    place_detail: str = ""
    anonymous: bool = True
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_email: str = ""
    website: str = ""


class PublicReplyOut(Schema):
    at: dt.datetime
    body: str
    from_complainant: bool


class PublicStatusOut(Schema):
    code: str
    status: str
    status_label: str
    category: str
    received_at: dt.datetime
    resolve_due: dt.date
    resolution: str
    replies: list[PublicReplyOut]


class CategoryOut(Schema):
    code: str
    name: str
    is_sensitive: bool
