from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def page_of(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Page:
    """The requested page of ``items``; out-of-range pages give the last page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
