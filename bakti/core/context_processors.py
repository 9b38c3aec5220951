from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import nav_items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the navigation and which module is open."""
    user = getattr(request, "user", None)
    items = nav_items_for(user) if user is not None and user.is_authenticated else []
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    return {
        "nav_items": items,
        "current_module": namespace,
        "require_2fa": settings.BAKTI_REQUIRE_2FA,
    }
