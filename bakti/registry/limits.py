"""Limits a data subject has put on processing (UU PDP), as the registry must respect them.

The requests and the limits themselves live in ``bakti.privacy.pdp``; when that app is not
installed, nothing is limited.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q


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
