"""The REST API at /api/v1/: one router per app, token or session authentication, one error body.

Errors always look like ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``, in the
language of the request: refusals of the views (401, 403, 404, 409, 422), a request for a method
the path does not offer (405) and a path that is no operation at all (404).
"""

from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLPattern, path, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
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


class BaktiAPI(NinjaAPI):
    """NinjaAPI whose every answer outside an operation also has the common error body."""

    def _get_urls(self) -> list[Any]:
        urls = [
            URLPattern(p.pattern, _json_not_allowed(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern)
            else p
            for p in super()._get_urls()
        ]
        # Last: any other path under /api/v1/ is no operation (not Django's HTML 404 page).
        urls.append(path("<path:unknown>", _no_such_operation, name="not-found"))
        return urls

    def validation_error_from_error_contexts(
        self, error_contexts: list[Any]
    ) -> NinjaValidationError:
        """Ninja's errors, keeping (shortened) what was sent, so the message can quote it."""
        errors = []
        for context in error_contexts:
            model = context.model
            flat = model.__ninja_flatten_map_reverse__
            for error in context.pydantic_validation_error.errors(include_url=False):
                error = dict(error)
                where = flat.get(error["loc"], error["loc"])
                error["loc"] = (model.__ninja_param_source__, *where)
                error["sent"] = _shown(error.pop("input", None))
                if "ctx" in error and isinstance(error["ctx"].get("error"), Exception):
                    error["ctx"]["error"] = str(error["ctx"]["error"])
                errors.append(error)
        return NinjaValidationError(errors)


def _shown(value: Any) -> str | None:
    """A sent value as the message quotes it: scalars only, at most 60 characters."""
    if value is None or isinstance(value, dict | list | tuple):
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


api = BaktiAPI(
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
    return _error(request, 401, _("Authentication required: send a valid token or log in."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Your role does not allow this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found: no such record, or it is outside what you may see."))


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
    return _error(request, 422, _("The data is not valid."), errors)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", [])),
            "message": _schema_message(error),
        }
        for error in exc.errors
    ]
    return _error(request, 422, _("The data is not valid."), errors)


def _schema_message(error: dict[str, Any]) -> str:
    """Pydantic's complaint in the user's language, quoting the value sent when there is one."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        message = _("This field is required.")
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = _("Enter a whole number.")
    elif kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        message = _("Enter a number.")
    elif kind in ("bool_parsing", "bool_type"):
        message = _("Enter true or false.")
    elif kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        message = _("Enter a date as YYYY-MM-DD.")
    elif kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        message = _("Enter a date and time as YYYY-MM-DDTHH:MM:SS with a time zone.")
    elif kind in ("less_than_equal", "less_than"):
        message = _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    elif kind in ("greater_than_equal", "greater_than"):
        message = _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    elif kind == "string_too_long":
        message = _("At most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    elif kind == "string_too_short":
        message = _("At least %(limit)s characters.") % {"limit": ctx.get("min_length")}
    elif kind in ("literal_error", "enum"):
        message = _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    elif kind == "json_invalid":
        message = _("The body is not valid JSON.")
    elif kind in ("model_attributes_type", "dict_type", "model_type"):
        message = _("Send a JSON object.")
    elif kind == "list_type":
        message = _("Send a list.")
    elif kind == "string_type":
        message = _("Send text.")
    else:
        message = error.get("msg") or _("This value is not valid.")
    sent = error.get("sent")
    if sent is not None and kind != "missing":
        message = _("%(message)s You sent: %(value)s") % {"message": message, "value": sent}
    return message


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _json_not_allowed(view: Any) -> Any:
    """Ninja answers a method the path does not offer with a plain-text 405; this gives it the
    common error body (and keeps the Allow header)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or "json" in response.get("Content-Type", ""):
            return response
        allowed = response.get("Allow", "")
        message = _("This path does not accept %(method)s; it accepts %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        answer = _error(request, 405, message)
        answer["Allow"] = allowed
        return answer

    return wrapped


@csrf_exempt  # it changes nothing; a POST to a wrong path gets this answer, not a CSRF page
def _no_such_operation(request: HttpRequest, unknown: str) -> HttpResponse:
    """Any path under /api/v1/ that is no operation: 404 with the common body, saying where the
    operations are listed (and the address with a slash, when that one exists)."""
    message = _("There is no API operation at %(path)s. The operations are listed at %(docs)s.")
    detail = message % {"path": request.path, "docs": reverse("api:openapi-view")}
    if settings.APPEND_SLASH and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not _no_such_operation:
            detail = _("There is no API operation at %(path)s; did you mean %(slashed)s?") % {
                "path": request.path,
                "slashed": request.path + "/",
            }
    return _error(request, 404, detail)


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
