"""Program list, creation (from scratch or from a template), editing, lifecycle, overview and
history."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of

from .. import selectors, services
from ..forms import (
    HistoryFilterForm,
    ProgramFilterForm,
    ProgramForm,
    TemplateForm,
    TransitionForm,
)
from ..models import Program
from .common import program_for_edit, program_for_view, run_service, version_of

PROGRAM_FIELDS = [
    "code",
    "name",
    "program_type",
    "org_unit",
    "manager",
    "start_date",
    "end_date",
    "regions",
    "target_groups",
    "target_group_notes",
    "description",
    "strategy",
    "tier_names",
    "funding_summary",
]


@require("programs.view")
def program_list(request: HttpRequest) -> HttpResponse:
    form = ProgramFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    programs = selectors.program_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Code"), lambda p: p.code),
            Column(_("Name"), lambda p: p.name),
            Column(_("Type"), lambda p: p.program_type.name),
            Column(_("Status"), lambda p: p.get_status_display()),
            Column(_("Org unit"), lambda p: p.org_unit.name),
            Column(_("Manager"), lambda p: str(p.manager) if p.manager else ""),
            Column(_("Start date"), lambda p: p.start_date),
            Column(_("End date"), lambda p: p.end_date),
            Column(_("Regions"), lambda p: ", ".join(r.name for r in p.regions.all())),
            Column(_("Indicators"), lambda p: p.indicator_count),
            Column(_("Activities"), lambda p: p.activity_count),
        ]
        rows = programs.prefetch_related("regions").annotate(
            indicator_count=Count("indicators", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        return export_response(rows, columns, filename="programs", file_format=export)
    page = page_of(request, programs.prefetch_related("regions"))
    template = (
        "programs/program_list.html#results" if request.htmx else "programs/program_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_create": has(request.user, "programs.edit"),
            "current_module": "programs",
        },
    )


@require("programs.edit")
def program_create(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PROGRAM_FIELDS}
        program = run_service(
            request,
            form,
            lambda: services.program_create(actor=request.user, **data),
            _("The program was created as a draft."),
        )
        if program is not None:
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "title": _("New program"), "current_module": "programs"},
    )


@require("programs.edit")
def program_from_template(request: HttpRequest) -> HttpResponse:
    templates = selectors.program_templates_for_user(request.user)
    initial = {}
    if request.GET.get("template"):
        initial["template"] = request.GET["template"]
    form = TemplateForm(
        request.POST or None, user=request.user, templates=templates, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        program = run_service(
            request,
            form,
            lambda: services.program_create_from_template(
                actor=request.user,
                template=data["template"],
                code=data["code"],
                name=data["name"],
                start_date=data["start_date"],
                org_unit=data["org_unit"],
            ),
            _("The program was created from the template, with its dates moved."),
        )
        if program is not None:
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "title": _("New program from a template"), "current_module": "programs"},
    )


@require("programs.edit")
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PROGRAM_FIELDS}
        # The ModelForm has already set the new values on its instance; hand the service a
        # fresh copy so it sees the old values and records old → new.
        current = Program.objects.get(pk=program.pk)
        done = run_service(
            request,
            form,
            lambda: services.program_update(
                actor=request.user,
                program=current,
                data=data,
                expected_version=version_of(form),
            ),
            _("The program was saved."),
        )
        if done is not None:
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {
            "form": form,
            "program": program,
            "title": _("Edit program"),
            "current_module": "programs",
        },
    )


def _context(request: HttpRequest, program: Program, section: str) -> dict:
    return {
        "program": program,
        "section": section,
        "can_edit": selectors.can_edit(request.user, program),
        "editable": selectors.is_editable(program),
        "current_module": "programs",
    }


@require("programs.view")
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    context = _context(request, program, "overview")
    activities, slips, _depends = selectors.work_plan(program)
    context.update(
        regions=list(program.regions.all()),
        target_groups=list(program.target_groups.all()),
        transitions=list(program.transitions.select_related("actor")[:20]),
        actions=services.actions_for(request.user, program),
        transition_form=TransitionForm(),
        counts=selectors.program_counts(program),
        late_count=sum(1 for s in slips.values() if s.late),
        done_count=sum(1 for a in activities if a.status == "done"),
        activity_total=len(activities),
        tiers=program.tier_labels(),
        today=timezone.localdate(),
    )
    return render(request, "programs/program_detail.html", context)


@require_POST
@require("programs.view")
def program_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    program = program_for_view(request, pk)
    if action not in services.actions_for(request.user, program):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.program_transition(
            actor=request.user,
            program=program,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programs:program_detail", pk=program.pk)
    messages.success(request, _("The program's status was changed."))
    return redirect("programs:program_detail", pk=program.pk)


def _readable(event: Any) -> dict[str, Any]:
    """An audit event with the record type and field names as the user reads them."""
    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    names: dict[str, str] = {}
    if model is not None:
        for field in model._meta.get_fields():
            names[field.name] = str(getattr(field, "verbose_name", field.name))
    changes = [
        (
            names.get(key, key),
            change[0] if len(change) > 0 else None,
            change[1] if len(change) > 1 else None,
        )
        for key, change in (event.changes or {}).items()
        if isinstance(change, list)
    ]
    return {
        "event": event,
        "type": str(model._meta.verbose_name) if model is not None else event.object_type,
        "changes": changes,
    }


@require("programs.view")
def program_history(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    form = HistoryFilterForm(request.GET or None)
    events = selectors.program_history(program)
    if form.is_valid() and form.cleaned_data.get("action"):
        events = events.filter(action=form.cleaned_data["action"])
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("At"), lambda e: e.at),
            Column(_("User"), lambda e: e.actor.username if e.actor else ""),
            Column(_("Action"), lambda e: e.get_action_display()),
            Column(_("Object type"), lambda e: e.object_type),
            Column(_("Object"), lambda e: e.object_repr),
            Column(_("Changes"), lambda e: e.changes),
            Column(_("Reason"), lambda e: e.reason),
        ]
        return export_response(
            events.iterator(), columns, filename=f"{program.code}-history", file_format=export
        )
    context = _context(request, program, "history")
    context["form"] = form
    page = page_of(request, events)
    context["page"] = page
    context["rows"] = [_readable(event) for event in page]
    template = (
        "programs/program_history.html#results" if request.htmx else "programs/program_history.html"
    )
    return render(request, template, context)
