import datetime as dt

from ninja import Field, Schema

from .models import Channel, RequesterRelation, RequestKind


class RequestOut(Schema):
    id: int
    kind: str
    person_id: int | None
    region_id: str
    requester_name: str
    requester_relation: str
    channel: str
    details: str
    received_at: dt.datetime
    due_at: dt.datetime
    status: str
    overdue: bool = Field(False, description="Open and past the 3x24-hour deadline.")
    answer: str
    answer_channel: str
    answered_at: dt.datetime | None
    refusal_reason: str

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()


class RequestIn(Schema):
    kind: RequestKind
    person_id: int | None = Field(None, ge=1, le=2**31 - 1)
    region_code: str | None = Field(None, max_length=20)
    requester_name: str = Field(..., min_length=1, max_length=200)
    requester_relation: RequesterRelation
    requester_contact: str = Field("", max_length=200)
    channel: Channel
    received_at: dt.datetime
    details: str = Field("", max_length=5000)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=5000)
    answer_channel: Channel


class RefuseIn(AnswerIn):
    refusal_reason: str = Field(..., min_length=1, max_length=5000)
