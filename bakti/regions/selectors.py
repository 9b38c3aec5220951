"""Reads of the region tree. Regions are public reference data: no scope applies."""

from django.db.models import Q

from .models import Region, RegionQuerySet


def region_search(
    *, query: str = "", parent: str | None = None, level: int | None = None
) -> RegionQuerySet:
    regions = Region.objects.all()
    if parent:
        regions = regions.filter(parent_id=parent)
    if level:
        regions = regions.filter(level=level)
    if query:
        regions = regions.filter(Q(name__icontains=query) | Q(code__startswith=query))
    return regions.order_by("code")


def region_path(code: str) -> list[Region]:
    """The region and its ancestors, from the province down (one query)."""
    parts = code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
