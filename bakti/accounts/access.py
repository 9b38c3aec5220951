"""What a user may do, and where: capabilities from roles, scopes from memberships.

Everything here is computed once per user object (two queries: memberships and org units) and
cached on it, so views and selectors can ask freely.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from bakti.core.scoping import Grant, Scope

from .models import Membership, OrgUnit
from .roles import VIEW, capabilities_of

F = TypeVar("F", bound=Callable[..., HttpResponse])


def memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_bakti_memberships", None)
    if cached is None:
        cached = [
            m
            for m in Membership.objects.filter(user=user).select_related("org_unit", "region")
            if m.is_current
        ]
        user._bakti_memberships = cached
    return cached


def _subtree_ids(user: Any, unit: OrgUnit) -> frozenset[int]:
    units = getattr(user, "_bakti_units", None)
    if units is None:
        units = list(OrgUnit.objects.values_list("id", "path"))
        user._bakti_units = units
    return frozenset(pk for pk, path in units if path.startswith(unit.path))


def scope_for(user: Any, capability: str) -> Scope:
    """Where ``user`` holds ``capability``: the union of the granting memberships' scopes."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache: dict[str, Scope] = user.__dict__.setdefault("_bakti_scopes", {})
    if capability not in cache:
        grants = []
        for m in memberships(user):
            if capability in capabilities_of(m.role):
                grants.append(
                    Grant(org_unit_ids=_subtree_ids(user, m.org_unit), region_code=m.region_id)
                )
        cache[capability] = Scope(grants=tuple(grants))
    return cache[capability]


def has(user: Any, capability: str) -> bool:
    """Whether ``user`` holds ``capability`` anywhere."""
    return not scope_for(user, capability).empty


def roles_of(user: Any) -> set[str]:
    return {m.role for m in memberships(user)}


def visible_modules(user: Any) -> set[str]:
    return {module for module, capability in VIEW.items() if has(user, capability)}


def require(capability: str) -> Callable[[F], F]:
    """View decorator: log in first, then 403 unless the user holds ``capability`` somewhere.
    Object-level checks (is *this* record in scope?) are the selectors' job."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
