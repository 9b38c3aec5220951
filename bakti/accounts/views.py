from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bakti.privacy.audit import record
from bakti.privacy.models import AuditAction

from . import services
from .access import memberships
from .forms import ApiTokenForm, LoginForm, OtpTokenForm, ProfileForm
from .models import ApiToken

PENDING_USER = "bakti_pending_user"
PENDING_BACKEND = "bakti_pending_backend"
PENDING_NEXT = "bakti_pending_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _finish_login(request: HttpRequest, user: Any, backend: str, next_url: str) -> HttpResponse:
    auth_login(request, user, backend=backend)
    record(actor=user, action=AuditAction.LOGIN, obj=user)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@sensitive_post_parameters()
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one of logging in: username and password. Users with a second factor go on to
    :func:`login_verify`; throttling of failed attempts is django-axes' job."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = backend
            request.session[PENDING_NEXT] = next_url
            return redirect("accounts:login_verify")
        return _finish_login(request, user, backend, next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters()
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app."""
    user_id = request.session.get(PENDING_USER)
    if user_id is None:
        return redirect("accounts:login")
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        throttled = not any(device.verify_is_allowed()[0] for device in devices)
        for device in devices:
            if device.verify_token(token):
                backend = request.session.pop(PENDING_BACKEND)
                next_url = request.session.pop(PENDING_NEXT, "/")
                request.session.pop(PENDING_USER, None)
                response = _finish_login(request, user, backend, next_url)
                otp_login(request, device)
                return response
        if throttled:
            form.add_error(
                "token", _("Too many wrong codes in a row. Wait a minute, then try again.")
            )
        else:
            form.add_error("token", _("This code is not right. Check the time on your phone."))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice in the user's profile."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.preferred_language != language  # type: ignore[union-attr]
    ):
        services.user_update_profile(
            actor=user,  # type: ignore[arg-type]
            user=user,  # type: ignore[arg-type]
            full_name=user.full_name,  # type: ignore[union-attr]
            email=user.email,  # type: ignore[union-attr]
            phone=user.phone,  # type: ignore[union-attr]
            preferred_language=language,
        )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user.refresh_from_db()
        services.user_update_profile(actor=user, user=user, **data)  # type: ignore[arg-type]
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["preferred_language"])
        return response
    has_2fa = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": memberships(user), "has_2fa": has_2fa},
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
            )
            form = ApiTokenForm()
        except ValidationError as error:
            form.add_error(None, error)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (TOTP): scan the code, confirm with one code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return render(request, "accounts/two_factor.html", {"device": confirmed})
    device = services.two_factor_pending_device(actor=user)  # type: ignore[arg-type]
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_confirm(
            actor=user,  # type: ignore[arg-type]
            device=device,
            token=form.cleaned_data["token"],
        ):
            otp_login(request, device)
            messages.success(request, _("Two-factor login is on."))
            return redirect("accounts:profile")
        form.add_error("token", _("This code is not right. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "qr": qr, "secret": secret, "device": None},
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    services.two_factor_disable(actor=request.user, user=request.user)  # type: ignore[arg-type]
    messages.info(request, _("Two-factor login is off."))
    return redirect("accounts:profile")
