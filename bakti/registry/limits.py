"""Limits a data subject has put on processing (UU PDP), as the registry must respect them.

The requests and the limits themselves live in ``bakti.privacy.pdp``; when that app is not
installed, nothing is limited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def scoring_objections() -> Q:
    """Households whose member objected to automated scoring: left out of scoring runs."""
    if not apps.is_installed("bakti.privacy.pdp"):
        return Q(pk__in=[])
    from bakti.privacy.pdp.selectors import objected_household_ids

    return Q(pk__in=objected_household_ids())


def restricted_households() -> Q:
    """Households with a member whose processing is restricted: not targeted or enrolled."""
    if not apps.is_installed("bakti.privacy.pdp"):
        return Q(pk__in=[])
    from bakti.privacy.pdp.selectors import restricted_person_ids

    from .models import Person

    return Q(pk__in=Person.objects.filter(pk__in=restricted_person_ids()).values("household_id"))


def active_restriction(*, person_id: int | None = None, household_id: int | None = None) -> Any:
    """The active restriction of processing (a ``ProcessingLimit``) that forbids recording
    anything new about this person or, for a record about a whole household, about any of its
    members; the oldest one, or None. Existing records stay; only new ones are refused."""
    if not apps.is_installed("bakti.privacy.pdp") or not (person_id or household_id):
        return None
    from bakti.privacy.pdp.models import LimitKind, ProcessingLimit

    about = Q(person_id=person_id) if person_id else Q(pk__in=[])
    if household_id:
        about |= Q(household_id=household_id) | Q(person__household_id=household_id)
    return (
        ProcessingLimit.objects.filter(about, kind=LimitKind.RESTRICTION, lifted_at__isnull=True)
        .select_related("person")
        .order_by("created_at", "pk")
        .first()
    )


def restricted_among(*, person_ids: Iterable[int] = (), household_ids: Iterable[int] = ()) -> Any:
    """For checking a batch in one query: ``(person ids, household ids)`` of the given ones
    under an active restriction (a household is restricted when any member is)."""
    person_ids, household_ids = set(person_ids), set(household_ids)
    if not apps.is_installed("bakti.privacy.pdp") or not (person_ids or household_ids):
        return set(), set()
    from bakti.privacy.pdp.models import LimitKind, ProcessingLimit

    rows = ProcessingLimit.objects.filter(
        Q(person_id__in=person_ids)
        | Q(household_id__in=household_ids)
        | Q(person__household_id__in=household_ids),
        kind=LimitKind.RESTRICTION,
        lifted_at__isnull=True,
    ).values_list("person_id", "household_id", "person__household_id")
    people: set[int] = set()
    households: set[int] = set()
    for person, household, home in rows:
        people.add(person)
        households.update(h for h in (household, home) if h)
    return people & person_ids, households & household_ids


def restriction_message(limit: Any) -> str:
    """What the officer sees when a restriction refuses a new record, in their language."""
    return _(
        "%(name)s: processing restricted under UU PDP since %(date)s: %(reason)s. Existing "
        "records stay; nothing new may be recorded until the restriction is lifted."
    ) % {
        "name": limit.person.full_name,
        "date": date_format(timezone.localtime(limit.created_at).date()),
        "reason": limit.reason.strip() or _("no reason recorded"),
    }


def check_not_restricted(*, person_id: int | None = None, household_id: int | None = None) -> None:
    """Raise ``ValidationError`` (the message of :func:`restriction_message`) when an active
    restriction forbids a new record about this person or household."""
    limit = active_restriction(person_id=person_id, household_id=household_id)
    if limit is not None:
        raise ValidationError(restriction_message(limit), code="restricted")
