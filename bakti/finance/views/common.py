"""What the finance pages share: who may plan, form errors from services, the default year."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from bakti.accounts.access import has, require

from .. import selectors


def can_plan(user: Any) -> bool:
    """Budget lines, revisions and plans are kept by finance officers and approvers."""
    return has(user, "finance.record") or has(user, "finance.approve")


def require_planner(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_plan(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require("finance.view")(wrapped)


def apply_service_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def default_year(request: HttpRequest) -> Any:
    return selectors.current_fiscal_year(timezone.localdate())


def budget_filters(request: HttpRequest, form: Any) -> dict[str, Any]:
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if not filters.get("fiscal_year") and "fiscal_year" not in request.GET:
        filters["fiscal_year"] = default_year(request)
    return filters
