"""The REST API at /api/v1/: one router per app, token or session authentication, one error body.

Errors always look like ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from bakti.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = api_token_authenticate(key or "")
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Bakti API",
    version="1",
    description="Bakti's REST API. Authenticate with a personal access token "
    "(Authorization: Bearer bkt_…) created on your profile page, or a browser session.",
    auth=[BearerToken(), HeaderToken(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[Any] | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "Authentication required: send a valid token or log in.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(ValidationError)
def on_django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": str(m)} for m in exc.messages]
    return _error(request, 422, "The data is not valid.", errors)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", [])),
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return _error(request, 422, "The data is not valid.", errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


api.add_router("/", "bakti.accounts.api.router")
api.add_router("/regions/", "bakti.regions.api.router")
api.add_router("/programs/", "bakti.programs.api.router")
api.add_router("/registry/", "bakti.registry.api.router")
api.add_router("/registry/imports/", "bakti.registry.importing.api.router")
api.add_router("/registry/duplicates/", "bakti.registry.dedup.api.router")
api.add_router("/delivery/", "bakti.delivery.api.router")
api.add_router("/cases/", "bakti.cases.api.router")
api.add_router("/finance/", "bakti.finance.api.router")
api.add_router("/monitoring/", "bakti.monitoring.api.router")
api.add_router("/reports/", "bakti.reports.api.router")
api.add_router("/partners/", "bakti.partners.api.router")
api.add_router("/feedback/", "bakti.community.api.router")
api.add_router("/privacy/", "bakti.privacy.pdp.api.router")
