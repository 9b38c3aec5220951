"""The duplicate API at /api/v1/registry/duplicates/: the review queue, merge, mark distinct."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.registry.models import mask_id

from . import services
from .selectors import (
    MERGE_CAPABILITY,
    DuplicateFilters,
    duplicate_get_for_user,
    duplicate_list_for_user,
)

router = Router(tags=["registry duplicates"])


class PersonBrief(Schema):
    id: int
    full_name: str
    nik_masked: str
    sex: str
    birth_date: dt.date | None
    region_id: str

    @staticmethod
    def resolve_nik_masked(person) -> str:
        return mask_id(person.nik)


class Reason(Schema):
    rule: str
    detail: str


class DuplicateOut(Schema):
    id: int
    score: float
    status: str
    region_id: str
    reasons: list[Reason]
    person_a: PersonBrief
    person_b: PersonBrief
    found_at: dt.datetime


class MergeIn(Schema):
    keep: int
    reason: str = ""


class MergeOut(Schema):
    id: int
    kept_id: int
    moved_links: int

    @staticmethod
    def resolve_moved_links(merge) -> int:
        return len(merge.moved_links)


def _require(request: HttpRequest) -> None:
    if not has(request.user, MERGE_CAPABILITY):
        raise PermissionDenied


@router.get("/", response=list[DuplicateOut])
@paginate
def list_duplicates(
    request: HttpRequest, status: str = "open", min_score: float | None = None, region: str = ""
):
    _require(request)
    return duplicate_list_for_user(
        request.user, DuplicateFilters(status=status, min_score=min_score, region=region)
    )


@router.get("/{candidate_id}", response=DuplicateOut)
def get_duplicate(request: HttpRequest, candidate_id: int):
    _require(request)
    return duplicate_get_for_user(request.user, candidate_id)[0]


@router.post("/{candidate_id}/merge", response={201: MergeOut})
def merge(request: HttpRequest, candidate_id: int, payload: MergeIn):
    _require(request)
    candidate, a, b = duplicate_get_for_user(request.user, candidate_id)
    keep = {a.pk: a, b.pk: b}.get(payload.keep)
    if keep is None:
        raise ValidationError({"keep": ["The record to keep must be one of the pair."]})
    merged = services.person_merge(
        actor=request.user, candidate=candidate, keep=keep, reason=payload.reason
    )
    return 201, merged


@router.post("/{candidate_id}/distinct", response=DuplicateOut)
def distinct(request: HttpRequest, candidate_id: int):
    _require(request)
    candidate = duplicate_get_for_user(request.user, candidate_id)[0]
    services.duplicate_mark_distinct(actor=request.user, candidate=candidate)
    return duplicate_get_for_user(request.user, candidate_id)[0]
