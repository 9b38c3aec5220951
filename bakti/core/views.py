from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bakti.accounts.access import memberships
from bakti.privacy.models import AuditEvent


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first page after login: the user's roles, their modules and their recent work."""
    recent = AuditEvent.objects.filter(actor=request.user).only(
        "at", "action", "object_type", "object_repr"
    )[:10]
    return render(
        request,
        "core/home.html",
        {"memberships": memberships(request.user), "recent_events": recent},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the database answers and the job queue is readable."""
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy, whatever its type
        checks["database"] = f"error: {type(error).__name__}"
        status = 503
    try:
        from django_tasks_db.models import DBTaskResult

        checks["queue_ready"] = str(DBTaskResult.objects.ready().count())
    except Exception as error:
        checks["queue"] = f"error: {type(error).__name__}"
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)
