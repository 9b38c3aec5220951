from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .access import roles_of
from .roles import Role

PRIVILEGED_ROLES = {Role.ADMIN, Role.HEAD, Role.AUDITOR}


class TwoFactorRequiredMiddleware:
    """With BAKTI_REQUIRE_2FA set, privileged users must set up and use a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.BAKTI_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and (user.is_superuser or roles_of(user) & PRIVILEGED_ROLES)
        ):
            allowed = (
                reverse("accounts:two_factor_setup"),
                reverse("accounts:logout"),
                settings.STATIC_URL,
                "/i18n/",
            )
            if not request.path.startswith(allowed):
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)
