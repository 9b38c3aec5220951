"""One mechanism that limits any queryset of scoped data to what a user may see.

A user holds memberships; each grants a role in an org unit (and everything under it) and,
optionally, a region (and everything under it). For a capability, the user's *scope* is the
union of the grants of the memberships whose role has that capability. A queryset is limited by
turning the scope into a Q object over the fields the model has: its region, its org unit, or
both. Region codes are hierarchical (``34.04.01`` contains ``34.04.01.2001``), so a region
subtree is a prefix match on the code, which is the region's primary key: no join is needed.

``accounts`` computes scopes from memberships; every selector applies them with
:func:`limit` or the ``Scope`` methods below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)

# "Every row" as a filter that callers can still OR with others: an empty Q() would vanish in
# ``Q() | other`` and leave only ``other``.
EVERY_ROW = Q(pk__isnull=False)


@dataclass(frozen=True)
class Grant:
    """What one membership opens: an org unit subtree and a region subtree (None = no limit)."""

    org_unit_ids: frozenset[int] | None
    region_code: str | None


@dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.everything and not self.grants

    @property
    def region_codes(self) -> list[str] | None:
        """The region subtrees of the scope, or None when some grant has no region limit."""
        if self.everything or any(g.region_code is None for g in self.grants):
            return None
        return sorted({g.region_code for g in self.grants if g.region_code})

    def q(
        self,
        *,
        region: str | None = None,
        org_unit: str | None = None,
        region_overlap: bool = False,
    ) -> Q:
        """A filter for a model whose region code field is ``region`` and org unit id field is
        ``org_unit`` (attribute names such as ``"region_id"``, ``"org_unit_id"`` or a path
        through a relation). With ``region_overlap``, a row is also in scope when its region
        *contains* a region of the scope (a program covering the whole kabupaten is visible to
        a worker of one kecamatan)."""
        if self.everything:
            return EVERY_ROW
        if not self.grants:
            return Q(pk__in=[])
        parts = []
        for grant in self.grants:
            part = Q()
            if org_unit is not None and grant.org_unit_ids is not None:
                part &= Q(**{f"{org_unit}__in": sorted(grant.org_unit_ids)})
            if region is not None and grant.region_code is not None:
                part &= region_q(region, grant.region_code, overlap=region_overlap)
            if not part:
                # This grant sets no limit on the fields the model has: it opens every row.
                return EVERY_ROW
            parts.append(part)
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined

    def contains_region(self, code: str | None) -> bool:
        """Whether a region code lies inside the scope (None, an unknown region, is not)."""
        if self.everything or any(g.region_code is None for g in self.grants):
            return not self.empty
        if code is None:
            return False
        return any(in_region(code, g.region_code) for g in self.grants if g.region_code)

    def contains_org_unit(self, org_unit_id: int | None) -> bool:
        if self.everything or any(g.org_unit_ids is None for g in self.grants):
            return not self.empty
        return org_unit_id is not None and any(
            org_unit_id in (g.org_unit_ids or ()) for g in self.grants
        )

    def contains(self, *, region_code: str | None = None, org_unit_id: int | None = None) -> bool:
        """Whether one object with this region and org unit is in scope (both are checked
        within the same grant, as :meth:`q` does)."""
        if self.everything:
            return True
        for grant in self.grants:
            region_ok = grant.region_code is None or (
                region_code is not None and in_region(region_code, grant.region_code)
            )
            org_ok = grant.org_unit_ids is None or org_unit_id in grant.org_unit_ids
            if region_ok and org_ok:
                return True
        return False


DESA_DOTS = 3  # province.kabupaten.kecamatan.desa: the last level of the region codes


def in_region(code: str, ancestor: str) -> bool:
    return code == ancestor or code.startswith(ancestor + ".")


def region_q(field_name: str, code: str, *, overlap: bool = False) -> Q:
    """Rows whose region lies in the subtree of ``code`` (and, with overlap, its ancestors).
    A desa (``pp.kk.cc.dddd``) has no subtree: an equality, which an index answers (a prefix
    ``LIKE`` is a scan on SQLite; a desa's households among a million people: 378 ms → one
    index range)."""
    if code.count(".") >= DESA_DOTS:
        q = Q(**{field_name: code})
    else:
        q = Q(**{field_name: code}) | Q(**{_prefix_lookup(field_name): code + "."})
    if overlap:
        ancestors = ancestor_codes(code)
        if ancestors:
            q |= Q(**{f"{field_name}__in": ancestors})
    return q


def _prefix_lookup(field_name: str) -> str:
    """``startswith`` on ``field_name``. A foreign key's ``x_id`` does not take ``startswith``
    in Django, so it becomes ``x__pk__startswith``, which Django turns back into a filter on the
    ``x_id`` column (no join)."""
    if field_name.endswith("_id"):
        return f"{field_name[:-3]}__pk__startswith"
    return f"{field_name}__startswith"


def ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def limit(queryset: QuerySet[M], scope: Scope, **fields: str | bool) -> QuerySet[M]:
    """``queryset`` limited to ``scope``; keyword arguments as for :meth:`Scope.q`."""
    return queryset.filter(scope.q(**fields))  # type: ignore[arg-type]


def union(scopes: Iterable[Scope]) -> Scope:
    scopes = list(scopes)
    if any(s.everything for s in scopes):
        return Scope(everything=True)
    return Scope(grants=tuple(g for s in scopes for g in s.grants))
