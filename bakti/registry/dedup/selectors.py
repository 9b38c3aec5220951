"""Scoped reads of deduplication: the review queue, one pair, the merge history.

A pair is visible to a user who may merge in the regions of *both* records; the records
themselves are read through the registry's person selector, so the rules about who may see
children's records apply here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from bakti.accounts.access import scope_for
from bakti.core.scoping import region_q
from bakti.registry.models import DuplicateCandidate, DuplicateStatus, Person, PersonMerge
from bakti.registry.selectors import in_scope, person_get_for_user, sensitive_scope
from bakti.registry.services import ADULT_AGE, birth_date_cutoff

MERGE_CAPABILITY = "registry.merge"


@dataclass
class DuplicateFilters:
    status: str = DuplicateStatus.OPEN
    min_score: float | None = None
    region: str = ""


def _visible(user: Any, prefix: str) -> Q:
    """Adults (or unknown age), or children where the user may see children's records: the
    rule the registry's person selector applies."""
    adult = Q(**{f"{prefix}birth_date__isnull": True}) | Q(
        **{f"{prefix}birth_date__lte": birth_date_cutoff(ADULT_AGE)}
    )
    return adult | in_scope(sensitive_scope(user), f"{prefix}region_id")


def duplicate_list_for_user(user: Any, filters: DuplicateFilters | None = None) -> QuerySet:
    """Candidate pairs both of whose records lie in the user's merge scope."""
    filters = filters or DuplicateFilters()
    scope = scope_for(user, MERGE_CAPABILITY)
    rows = DuplicateCandidate.objects.filter(
        in_scope(scope, "person_a__region_id"),
        in_scope(scope, "person_b__region_id"),
        _visible(user, "person_a__"),
        _visible(user, "person_b__"),
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.min_score is not None:
        rows = rows.filter(score__gte=filters.min_score)
    if filters.region:
        rows = rows.filter(region_q("region_id", filters.region))
    return rows.select_related("person_a", "person_b", "region").order_by("-score", "id")


def duplicate_get_for_user(user: Any, pk: int) -> tuple[DuplicateCandidate, Person, Person]:
    """One pair and its two records, or 404 when any of them is out of the user's reach."""
    candidate = duplicate_list_for_user(user, DuplicateFilters(status="")).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return (
        candidate,
        person_get_for_user(user, candidate.person_a_id),
        person_get_for_user(user, candidate.person_b_id),
    )


def merge_list_for_user(user: Any) -> QuerySet:
    """Merges whose kept record lies in the user's merge scope, newest first."""
    scope = scope_for(user, MERGE_CAPABILITY)
    return (
        PersonMerge.objects.filter(in_scope(scope, "kept__region_id"))
        .select_related("kept", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )


def merge_get_for_user(user: Any, pk: int) -> PersonMerge:
    merge = merge_list_for_user(user).filter(pk=pk).first()
    if merge is None:
        raise Http404
    person_get_for_user(user, merge.kept_id)
    return merge
