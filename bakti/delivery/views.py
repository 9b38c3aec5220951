"""Delivery pages: thin views over the selectors (reads) and services (writes)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from . import forms, selectors, services
from .models import AttendanceStatus, Headcount, RoundStatus

RECORD = "delivery.record"
VIEW = "delivery.view"


def _export(request: HttpRequest, rows: Any, columns: list[Column], name: str) -> Any:
    file_format = request.GET.get("export")
    if file_format in {"csv", "xlsx"}:
        return export_response(rows, columns, filename=name, file_format=file_format)
    return None


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _stale(form: Any, error: StaleEdit) -> None:
    show_stale_edit(form, error)


# --- Hub ---------------------------------------------------------------------------------


@require(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    month_start = today.replace(day=1)
    counts = {
        "events": selectors.event_list_for_user(user, {"date_from": month_start}).count(),
        "rounds": selectors.round_list_for_user(user, {"status": RoundStatus.OPEN}).count(),
        "deliveries": selectors.delivery_list_for_user(user, {"date_from": month_start}).count(),
        "workers": selectors.worker_list_for_user(user, {"active": "1"}).count(),
    }
    upcoming = selectors.event_list_for_user(user, {"date_from": today}).order_by(
        "date", "start_time"
    )[:5]
    return render(
        request, "delivery/home.html", {"counts": counts, "upcoming": upcoming, "today": today}
    )


# --- Service catalogue -------------------------------------------------------------------


@require(VIEW)
def service_type_list(request: HttpRequest) -> HttpResponse:
    items = selectors.service_type_list_for_user(request.user).order_by("program__code", "code")
    exported = _export(
        request,
        items,
        [
            Column(_("Program"), lambda s: s.program.code),
            Column(_("Code"), lambda s: s.code),
            Column(_("Name"), lambda s: s.name),
            Column(_("Category"), lambda s: s.get_category_display()),
            Column(_("Unit"), lambda s: s.unit),
            Column(_("Value of one unit"), lambda s: s.unit_value),
            Column(_("Currency"), lambda s: s.currency),
            Column(_("Active"), lambda s: s.is_active),
        ],
        "services",
    )
    if exported:
        return exported
    return render(request, "delivery/service_type_list.html", {"page": page_of(request, items)})


@require(RECORD)
def service_type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.service_type_get_for_user(request.user, pk, RECORD) if pk else None
    form = forms.ServiceTypeForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if instance is None:
                services.service_type_create(actor=request.user, **data)
            else:
                services.service_type_update(
                    actor=request.user,
                    service_type=selectors.service_type_get_for_user(request.user, pk, RECORD),
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
            messages.success(request, _("The service was saved."))
            return redirect("delivery:service_type_list")
        except StaleEdit as error:
            _stale(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(request, "delivery/form.html", {"form": form, "title": _("Service")})


# --- Workers -----------------------------------------------------------------------------


@require(VIEW)
def worker_list(request: HttpRequest) -> HttpResponse:
    form = forms.WorkerFilterForm(request.GET or None)
    items = selectors.worker_list_for_user(request.user, form.values())
    exported = _export(
        request,
        items,
        [
            Column(_("Name"), lambda w: w.full_name),
            Column(_("Type"), lambda w: w.get_worker_type_display()),
            Column(_("Volunteer"), lambda w: w.is_volunteer),
            Column(_("Phone"), lambda w: w.phone),
            Column(_("Skills"), lambda w: w.skills),
            Column(_("Languages"), lambda w: w.languages),
            Column(_("Base region"), lambda w: w.region.name),
            Column(_("User account"), lambda w: w.user.username if w.user else ""),
            Column(_("Active"), lambda w: w.is_active),
        ],
        "workers",
    )
    if exported:
        return exported
    template = "delivery/worker_list.html#results" if request.htmx else "delivery/worker_list.html"
    return render(request, template, {"form": form, "page": page_of(request, items)})


@require(RECORD)
def worker_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.worker_get_for_user(request.user, pk, RECORD) if pk else None
    form = forms.WorkerForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "coverage"}}
        coverage = list(form.cleaned_data.get("coverage") or [])
        try:
            if instance is None:
                worker = services.worker_create(
                    actor=request.user, coverage=coverage, org_unit=None, **data
                )
            else:
                worker = services.worker_update(
                    actor=request.user,
                    worker=selectors.worker_get_for_user(request.user, pk, RECORD),
                    data=data,
                    coverage=coverage,
                    expected_version=form.cleaned_data.get("version"),
                )
            messages.success(request, _("The worker was saved."))
            return redirect("delivery:worker_detail", pk=worker.pk)
        except StaleEdit as error:
            _stale(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(request, "delivery/form.html", {"form": form, "title": _("Worker")})


@require(VIEW)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get_for_user(request.user, pk)
    assignments = worker.assignments.select_related("activity", "activity__program")
    events = (
        selectors.event_list_for_user(request.user)
        .filter(Q(facilitator=worker) | Q(workers=worker))
        .distinct()[:20]
    )
    return render(
        request,
        "delivery/worker_detail.html",
        {
            "worker": worker,
            "assignments": assignments,
            "events": events,
            "coverage": worker.coverage.all(),
            "activities": selectors.activity_list_for_user(request.user, RECORD).select_related(
                "program"
            ),
        },
    )


@require(RECORD)
@require_POST
def worker_assign(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get_for_user(request.user, pk, RECORD)
    activity = (
        selectors.activity_list_for_user(request.user, RECORD)
        .filter(pk=request.POST.get("activity") or 0)
        .first()
    )
    if activity is None:
        messages.error(request, _("Choose an activity."))
    else:
        try:
            services.worker_assign_activity(
                actor=request.user,
                worker=worker,
                activity=activity,
                role=request.POST.get("role", ""),
            )
            messages.success(request, _("The worker was assigned."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("delivery:worker_detail", pk=worker.pk)


def _month_starts(date_from: date, months: int) -> list[date]:
    result = []
    year, month = date_from.year, date_from.month
    for _i in range(months):
        result.append(date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return result


@require(VIEW)
def workload(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=150)).replace(day=1)
    months = _month_starts(first, 6)
    table = selectors.workload(request.user, date_from=first, date_to=today)
    worker_ids = {wid for wid, _m in table}
    workers = selectors.worker_list_for_user(request.user).filter(pk__in=worker_ids)
    empty = {"events": 0, "cases": 0, "deliveries": 0}
    rows = [{"worker": w, "cells": [table.get((w.pk, m), empty) for m in months]} for w in workers]
    return render(request, "delivery/workload.html", {"months": months, "rows": rows})


# --- Events and attendance ---------------------------------------------------------------


@require(VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    form = forms.EventFilterForm(request.GET or None, user=request.user)
    items = selectors.event_list_for_user(request.user, form.values())
    exported = _export(
        request,
        items,
        [
            Column(_("Date"), lambda e: e.date),
            Column(_("Start"), lambda e: e.start_time),
            Column(_("Topic"), lambda e: e.topic),
            Column(_("Program"), lambda e: e.program.code),
            Column(_("Activity"), lambda e: e.activity.name if e.activity else ""),
            Column(_("Desa"), lambda e: e.region.name),
            Column(_("Place"), lambda e: e.place),
            Column(_("Facilitator"), lambda e: e.facilitator.full_name if e.facilitator else ""),
            Column(_("Present"), lambda e: e.present),
        ],
        "events",
    )
    if exported:
        return exported
    template = "delivery/event_list.html#results" if request.htmx else "delivery/event_list.html"
    return render(request, template, {"form": form, "page": page_of(request, items)})


@require(RECORD)
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.event_get_for_user(request.user, pk, RECORD) if pk else None
    form = forms.EventForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "workers"}}
        workers = list(form.cleaned_data.get("workers") or [])
        try:
            if instance is None:
                event = services.event_create(actor=request.user, workers=workers, **data)
            else:
                event = services.event_update(
                    actor=request.user,
                    event=selectors.event_get_for_user(request.user, pk, RECORD),
                    data=data,
                    workers=workers,
                    expected_version=form.cleaned_data.get("version"),
                )
            messages.success(request, _("The event was saved."))
            return redirect("delivery:event_detail", pk=event.pk)
        except StaleEdit as error:
            _stale(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(request, "delivery/form.html", {"form": form, "title": _("Event")})


def _headcounts(event: Any) -> dict[tuple[str, str, bool], int]:
    return {
        (h.sex, h.age_group, h.with_disability): h.count
        for h in Headcount.objects.filter(event=event)
    }


@require(VIEW)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    attendance = selectors.attendance_for_event(request.user, event)
    exported = _export(
        request,
        attendance,
        [
            Column(_("Name"), lambda a: a.person.full_name),
            Column(_("Desa"), lambda a: a.region_id),
            Column(_("Attendance"), lambda a: a.get_status_display()),
            Column(_("Recorded at"), lambda a: a.updated_at),
        ],
        f"attendance-{event.pk}",
    )
    if exported:
        return exported
    counts = _headcounts(event)
    tally = selectors.attendance_tally(event).aggregate(
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
    )
    return render(
        request,
        "delivery/event_detail.html",
        {
            "event": event,
            "attendance": attendance,
            "tally": tally,
            "unregistered": sum(counts.values()),
            "headcount_form": forms.HeadcountForm(initial_counts=counts),
            "statuses": AttendanceStatus.choices,
        },
    )


@require(RECORD)
def event_checkin_search(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in box: enrolled people matching a NIK or a name (an htmx partial)."""
    event = selectors.event_get_for_user(request.user, pk, RECORD)
    query = request.GET.get("q", "")
    people = selectors.enrolled_people_search(request.user, event.program, query)
    marked = dict(
        selectors.attendance_for_event(request.user, event)
        .filter(person__in=people)
        .values_list("person_id", "status")
    )
    return render(
        request,
        "delivery/event_checkin_results.html",
        {"event": event, "people": people, "marked": marked, "query": query},
    )


@require(RECORD)
@require_POST
def event_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, RECORD)
    form = forms.CheckInForm(request.POST)
    message = ""
    ok = False
    if form.is_valid():
        try:
            person = selectors.person_get_for_user(request.user, form.cleaned_data["person"])
            services.attendance_record(
                actor=request.user, event=event, person=person, status=form.cleaned_data["status"]
            )
            message = _("%(name)s: %(status)s") % {
                "name": person.full_name,
                "status": AttendanceStatus(form.cleaned_data["status"]).label,
            }
            ok = True
        except ValidationError as error:
            message = " ".join(error.messages)
        except Exception as error:  # Http404 for a person outside the scope
            if error.__class__.__name__ != "Http404":
                raise
            message = _("This person was not found in your area.")
    else:
        message = _("Choose a person and an attendance status.")
    if request.htmx:
        return render(request, "delivery/event_checkin_done.html", {"ok": ok, "message": message})
    (messages.success if ok else messages.error)(request, message)
    return redirect("delivery:event_detail", pk=event.pk)


@require(RECORD)
@require_POST
def event_headcount(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, RECORD)
    form = forms.HeadcountForm(request.POST, initial_counts=_headcounts(event))
    if form.is_valid():
        services.headcount_set(actor=request.user, event=event, counts=form.counts())
        messages.success(request, _("The count of unregistered participants was saved."))
    else:
        messages.error(
            request,
            _("The counts were not saved: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
                )
            },
        )
    return redirect("delivery:event_detail", pk=event.pk)


# --- Deliveries --------------------------------------------------------------------------


def _delivery_columns(show_names: bool) -> list[Column]:
    return [
        Column(_("Date"), lambda d: d.delivered_on),
        Column(_("Program"), lambda d: d.program.code),
        Column(_("Service"), lambda d: d.service_type.name),
        Column(_("Household (KK)"), lambda d: d.household.no_kk[:4] + "********"),
        Column(_("Person"), lambda d: d.person.full_name if d.person and show_names else ""),
        Column(_("Desa"), lambda d: d.region.name),
        Column(_("Quantity"), lambda d: d.quantity),
        Column(_("Value"), lambda d: d.value),
        Column(_("Currency"), lambda d: d.currency),
        Column(_("Delivered by"), lambda d: d.delivered_by.full_name if d.delivered_by else ""),
        Column(_("Round"), lambda d: d.round.name if d.round else ""),
    ]


@require(VIEW)
def delivery_list(request: HttpRequest) -> HttpResponse:
    form = forms.DeliveryFilterForm(request.GET or None, user=request.user)
    items = selectors.delivery_list_for_user(request.user, form.values())
    show_names = has(request.user, "registry.view")
    exported = _export(request, items, _delivery_columns(show_names), "deliveries")
    if exported:
        return exported
    totals = items.aggregate(value=Sum("value"), count=Count("pk"))
    template = (
        "delivery/delivery_list.html#results" if request.htmx else "delivery/delivery_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page_of(request, items),
            "totals": totals,
            "show_names": show_names,
        },
    )


@require(RECORD)
def delivery_create(request: HttpRequest) -> HttpResponse:
    programs = selectors.program_list_for_user(request.user, RECORD)
    program = programs.filter(pk=request.GET.get("program") or 0).first()
    if program is None:
        return render(request, "delivery/delivery_choose_program.html", {"programs": programs})
    form = forms.DeliveryForm(
        request.POST or None, request.FILES or None, user=request.user, program=program
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delivery_record(
                actor=request.user,
                enrolment=data["enrolment"],
                service_type=data["service_type"],
                quantity=data["quantity"],
                value=data.get("value"),
                delivered_on=data["delivered_on"],
                delivered_by=data.get("delivered_by"),
                place=data.get("place", ""),
                activity=data.get("activity"),
                evidence=data.get("evidence"),
                note=data.get("note", ""),
            )
            messages.success(request, _("The delivery was recorded."))
            return redirect("delivery:delivery_list")
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(
        request,
        "delivery/form.html",
        {"form": form, "title": _("Record a delivery"), "subtitle": program.name, "files": True},
    )


# --- Distribution rounds -----------------------------------------------------------------


@require(VIEW)
def round_list(request: HttpRequest) -> HttpResponse:
    form = forms.RoundFilterForm(request.GET or None, user=request.user)
    items = selectors.round_list_for_user(request.user, form.values())
    exported = _export(
        request,
        items,
        [
            Column(_("Name"), lambda r: r.name),
            Column(_("Program"), lambda r: r.program.code),
            Column(_("Service"), lambda r: r.service_type.name),
            Column(_("Region"), lambda r: r.region.name),
            Column(_("Planned date"), lambda r: r.planned_date),
            Column(_("Status"), lambda r: r.get_status_display()),
            Column(_("Recipients"), lambda r: r.recipient_count),
            Column(_("Received"), lambda r: r.received_count),
        ],
        "distribution-rounds",
    )
    if exported:
        return exported
    template = "delivery/round_list.html#results" if request.htmx else "delivery/round_list.html"
    return render(request, template, {"form": form, "page": page_of(request, items)})


@require(RECORD)
def round_create(request: HttpRequest) -> HttpResponse:
    form = forms.RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = services.round_create(actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("The round was created with %(n)s recipients.")
                % {"n": distribution.recipients.count()},
            )
            return redirect("delivery:round_detail", pk=distribution.pk)
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(request, "delivery/form.html", {"form": form, "title": _("Distribution round")})


def _recipient_columns(show_names: bool) -> list[Column]:
    return [
        Column("line", lambda r: r.line),
        Column(_("Name"), lambda r: _recipient_name(r) if show_names else ""),
        Column(_("Household (KK)"), lambda r: r.household.no_kk[:4] + "********"),
        Column(_("Desa"), lambda r: r.region.name),
        Column("received", lambda r: "yes" if r.received else ""),
    ]


def _recipient_name(recipient: Any) -> str:
    if recipient.person_id:
        return recipient.person.full_name
    return recipient.household.head.full_name if recipient.household.head_id else ""


@require(VIEW)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.round_get_for_user(request.user, pk)
    recipients = selectors.recipients_for_user(request.user, distribution)
    show_names = has(request.user, "registry.view")
    exported = _export(
        request, recipients, _recipient_columns(show_names), f"round-{distribution.pk}"
    )
    if exported:
        return exported
    show = request.GET.get("show", "")
    if show == "pending":
        recipients = recipients.filter(received=False)
    elif show == "received":
        recipients = recipients.filter(received=True)
    return render(
        request,
        "delivery/round_detail.html",
        {
            "round": distribution,
            "show_names": show_names,
            "page": page_of(request, recipients, per_page=100),
            "show": show,
            "receipt_form": forms.ReceiptForm(user=request.user),
            "import_form": forms.ReceiptImportForm(user=request.user),
            "may_record": distribution.status == RoundStatus.OPEN and has(request.user, RECORD),
        },
    )


@require(RECORD)
@require_POST
def round_receive(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.round_get_for_user(request.user, pk, RECORD)
    form = forms.ReceiptForm(request.POST, user=request.user)
    ids = [int(i) for i in request.POST.getlist("recipient") if i.isdigit()]
    if not form.is_valid():
        messages.error(request, _("Give the date the aid was received."))
    elif not ids:
        messages.error(request, _("Tick at least one line of the list."))
    else:
        lines = list(
            selectors.recipients_for_user(request.user, distribution, RECORD).filter(pk__in=ids)
        )
        result = services.round_receive(
            actor=request.user,
            distribution=distribution,
            recipients=lines,
            delivered_on=form.cleaned_data["delivered_on"],
            delivered_by=form.cleaned_data.get("delivered_by"),
        )
        if result.recorded:
            messages.success(
                request, _("Receipt recorded for %(n)s lines.") % {"n": result.recorded}
            )
        for error in result.errors:
            messages.error(request, error)
    return redirect("delivery:round_detail", pk=distribution.pk)


@require(RECORD)
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.round_get_for_user(request.user, pk, RECORD)
    form = forms.ReceiptImportForm(request.POST or None, request.FILES or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        lines = list(selectors.recipients_for_user(request.user, distribution, RECORD))
        result = services.round_import_receipts(
            actor=request.user,
            distribution=distribution,
            recipients=lines,
            upload=form.cleaned_data["file"],
            delivered_on=form.cleaned_data["delivered_on"],
            delivered_by=form.cleaned_data.get("delivered_by"),
        )
    return render(
        request,
        "delivery/round_import.html",
        {"round": distribution, "form": form, "result": result},
    )


@require(RECORD)
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.round_get_for_user(request.user, pk, RECORD)
    services.round_close(actor=request.user, distribution=distribution)
    messages.success(request, _("The round was closed."))
    return redirect("delivery:round_detail", pk=distribution.pk)


def round_pdf_bytes(request: HttpRequest, distribution: Any) -> bytes:
    """The printable recipient list with a signature column, as a PDF."""
    from weasyprint import HTML

    recipients = selectors.recipients_for_user(request.user, distribution)
    html = render_to_string(
        "delivery/round_pdf.html",
        {
            "round": distribution,
            "recipients": recipients,
            "printed": timezone.localtime(),
            "show_names": has(request.user, "registry.view"),
        },
        request=request,
    )
    out = io.BytesIO()
    HTML(string=html).write_pdf(out)
    return out.getvalue()


@require(VIEW)
def round_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = selectors.round_get_for_user(request.user, pk)
    response = HttpResponse(round_pdf_bytes(request, distribution), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="round-{distribution.pk}.pdf"'
    return response
