"""The public side: /lapor/ (no login). A citizen files a report, gets a tracking code, follows
it, reads the replies, rates the outcome or reopens it; and anyone can read the statistics.
Nothing here shows who complained, where, or what any other report says."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import codes, selectors, services
from .forms import PublicReportForm, RatingForm, ReopenForm, StatusLookupForm
from .models import Status
from .statistics import MIN_CELL, public_statistics


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            # A robot filled the hidden field: accept nothing, say little.
            form.add_error(None, _("Your report could not be accepted."))
            return render(request, "community/public/report.html", {"form": form}, status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_file_public(
                    address=client_address(request),
                    category=data["category"],
                    description=data["description"],
                    region_code=data["region"].pk if data["region"] else None,
                    place_detail=data["place_detail"],
                    anonymous=data["anonymous"],
                    complainant_name=data["complainant_name"],
                    complainant_phone=data["complainant_phone"],
                    complainant_email=data["complainant_email"],
                    attachments=data["attachments"],
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 429
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    form.add_error("attachments", error.messages[0])
                status = 400
            else:
                return redirect(reverse("lapor:status", args=[ticket.code]) + "?new=1")
        else:
            status = 400
    return render(request, "community/public/report.html", {"form": form}, status=status)


def lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.GET or None)
    if form.is_valid():
        code = codes.normalise(form.cleaned_data["code"])
        if codes.is_valid(code):
            return redirect("lapor:status", code=code)
        form.add_error(
            "code",
            _("This code is not valid. Check each character: codes have 10 letters and digits."),
        )
    return render(request, "community/public/lookup.html", {"form": form})


@never_cache
def status(request: HttpRequest, code: str) -> HttpResponse:
    ticket = selectors.ticket_by_code(code)
    if ticket is None:
        raise Http404
    rating_form = RatingForm()
    reopen_form = ReopenForm()
    finished = ticket.status in {Status.RESOLVED, Status.CLOSED}
    if request.method == "POST" and finished:
        if request.POST.get("form") == "rating":
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid():
                services.ticket_rate(
                    ticket=ticket,
                    satisfaction=rating_form.cleaned_data["satisfaction"],
                    comment=rating_form.cleaned_data["comment"],
                )
                return redirect(reverse("lapor:status", args=[ticket.code]) + "?rated=1")
        elif request.POST.get("form") == "reopen":
            reopen_form = ReopenForm(request.POST)
            if reopen_form.is_valid():
                services.ticket_transition(
                    actor=None,
                    ticket=ticket,
                    action="reopen",
                    note=reopen_form.cleaned_data["reason"],
                    by_complainant=True,
                )
                return redirect("lapor:status", code=ticket.code)
    context = {
        "ticket": ticket,
        "code": codes.display(ticket.code),
        "is_new": request.GET.get("new") == "1",
        "rated": request.GET.get("rated") == "1",
        "finished": finished,
        "replies": ticket.replies.filter(is_public=True),
        "rating_form": rating_form,
        "reopen_form": reopen_form,
        "steps": _progress(ticket.status),
    }
    return render(request, "community/public/status.html", context)


def _progress(current: str) -> list[tuple[str, bool]]:
    order = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED]
    reached = {
        Status.NEW: 0,
        Status.ACKNOWLEDGED: 1,
        Status.ASSIGNED: 1,
        Status.IN_PROGRESS: 2,
        Status.ON_HOLD: 2,
        Status.RESOLVED: 3,
        Status.CLOSED: 3,
    }[current]
    return [(str(step.label), i <= reached) for i, step in enumerate(order)]


def statistics(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/public/statistics.html",
        {"stats": public_statistics(), "min_cell": MIN_CELL},
    )
