from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from .models import Region, RegionQuerySet
from .schemas import RegionOut
from .selectors import region_search

router = Router(tags=["regions"])


@router.get("/", response=list[RegionOut], summary="Search regions")
@paginate
def list_regions(
    request: HttpRequest, q: str = "", parent: str | None = None, level: int | None = None
) -> RegionQuerySet:
    return region_search(query=q, parent=parent, level=level)


@router.get("/{code}", response=RegionOut, summary="One region")
def get_region(request: HttpRequest, code: str) -> Region:
    return get_object_or_404(Region, code=code)
