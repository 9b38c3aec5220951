"""``Scope.q`` for delivery and cases, safe when OR-ed.

``Scope.q`` builds each grant's filter as ``Q() & …``; a grant with no limit on the fields asked
for gives an empty ``Q()``, and Django drops an empty ``Q`` from an OR (``Q(pk__in=[]) | Q()`` is
``Q(pk__in=[])``), so such a grant would admit nothing instead of everything. Here a grant
without limits gives ``pk__isnull=False``, which survives the OR.
"""

from django.db.models import Q

from bakti.core.scoping import Scope, region_q

EVERYTHING = Q(pk__isnull=False)


def scope_filter(
    scope: Scope,
    *,
    region: str | None = None,
    org_unit: str | None = None,
    region_overlap: bool = False,
    prefix: str = "",
) -> Q:
    """Rows in ``scope``; ``region`` and ``org_unit`` name the fields as for ``Scope.q``.
    ``prefix`` is the path to the row whose ``pk`` stands for "everything" (``"case__"``)."""
    everything = Q(**{f"{prefix}pk__isnull": False})
    if scope.everything:
        return everything
    combined = Q(pk__in=[])
    for grant in scope.grants:
        part = everything
        if org_unit is not None and grant.org_unit_ids is not None:
            part &= Q(**{f"{org_unit}__in": sorted(grant.org_unit_ids)})
        if region is not None and grant.region_code is not None:
            part &= region_q(region, grant.region_code, overlap=region_overlap)
        combined |= part
    return combined
