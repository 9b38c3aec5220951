"""The work plan: the timeline (server-rendered SVG Gantt), the activity table with filters and
export, and the forms for activities and milestones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of

from .. import selectors, services
from ..forms import ActivityForm, ListFilterForm, MilestoneForm
from ..gantt import build_timeline
from ..models import Activity, ActivityStatus, Milestone
from .common import program_for_edit, program_for_view, run_delete, run_service, version_of

ACTIVITY_FIELDS = [
    "output",
    "code",
    "name",
    "description",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "owner",
    "status",
    "percent_complete",
    "depends_on",
    "locations",
    "location_notes",
    "planned_budget",
    "order",
]


def _context(request: HttpRequest, program, **extra) -> dict:
    return {
        "program": program,
        "section": "workplan",
        "can_edit": selectors.can_edit(request.user, program),
        "editable": selectors.is_editable(program),
        "current_module": "programs",
        **extra,
    }


@require("programs.view")
def workplan(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    today = timezone.localdate()
    activities, slips, depends = selectors.work_plan(program, today=today)
    milestones = list(Milestone.objects.filter(program=program).order_by("due_date", "id"))
    form = ListFilterForm(
        request.GET or None, statuses=list(ActivityStatus.choices), with_late=True
    )
    filters = form.cleaned_data if form.is_valid() else {}
    names = {a.pk: (a.code or a.name) for a in activities}
    rows = []
    for activity in activities:
        slip = slips[activity.pk]
        if filters.get("status") and activity.status != filters["status"]:
            continue
        if filters.get("late") and not slip.late:
            continue
        term = (filters.get("q") or "").strip().lower()
        if term and term not in activity.name.lower() and term not in activity.code.lower():
            continue
        rows.append(
            {
                "activity": activity,
                "slip": slip,
                "depends": [names[d] for d in depends.get(activity.pk, []) if d in names],
                "pushed_by": [names[d] for d in slip.pushed_by if d in names],
            }
        )
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Code"), lambda r: r["activity"].code),
            Column(_("Activity"), lambda r: r["activity"].name),
            Column(_("Output"), lambda r: r["activity"].output.code),
            Column(_("Owner"), lambda r: str(r["activity"].owner or "")),
            Column(_("Planned start"), lambda r: r["activity"].planned_start),
            Column(_("Planned end"), lambda r: r["activity"].planned_end),
            Column(_("Actual start"), lambda r: r["activity"].actual_start),
            Column(_("Actual end"), lambda r: r["activity"].actual_end),
            Column(_("Status"), lambda r: r["activity"].get_status_display()),
            Column(_("Percent complete"), lambda r: r["activity"].percent_complete),
            Column(_("Forecast end"), lambda r: r["slip"].forecast_end),
            Column(_("Slip (days)"), lambda r: r["slip"].slip_days),
            Column(_("Late"), lambda r: _("yes") if r["slip"].late else _("no")),
            Column(_("Depends on"), lambda r: ", ".join(r["depends"])),
            Column(
                _("Locations"), lambda r: ", ".join(x.name for x in r["activity"].locations.all())
            ),
            Column(_("Planned budget"), lambda r: r["activity"].planned_budget),
        ]
        return export_response(
            rows, columns, filename=f"{program.code}-workplan", file_format=export
        )
    timeline = build_timeline(
        start=program.start_date,
        end=program.end_date,
        activities=activities,
        slips=slips,
        milestones=milestones,
        today=today,
    )
    context = _context(
        request,
        program,
        timeline=timeline,
        page=page_of(request, rows),
        form=form,
        milestones=milestones,
        late_count=sum(1 for s in slips.values() if s.late),
        today=today,
    )
    template = "programs/workplan.html#results" if request.htmx else "programs/workplan.html"
    return render(request, template, context)


@require("programs.edit")
def activity_form(request: HttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    activity = (
        selectors.activity_get_for_user(request.user, program, activity_pk) if activity_pk else None
    )
    form = ActivityForm(request.POST or None, instance=activity, program=program)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
        if activity is None:
            output, name = data.pop("output"), data.pop("name")
            start, end = data.pop("planned_start"), data.pop("planned_end")
            action = lambda: services.activity_create(  # noqa: E731
                actor=request.user,
                program=program,
                output=output,
                name=name,
                planned_start=start,
                planned_end=end,
                **data,
            )
        else:
            current = Activity.objects.select_related("program", "output").get(pk=activity.pk)
            action = lambda: services.activity_update(  # noqa: E731
                actor=request.user,
                activity=current,
                data=data,
                expected_version=version_of(form),
            )
        if run_service(request, form, action, _("The activity was saved.")) is not None:
            return redirect("programs:workplan", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            form=form,
            title=_("Edit activity") if activity else _("New activity"),
            back=("programs:workplan", program.pk),
            delete_url_name="programs:activity_delete" if activity else None,
            item=activity,
        ),
    )


@require_POST
@require("programs.edit")
def activity_delete(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    activity = selectors.activity_get_for_user(request.user, program, activity_pk)
    run_delete(
        request,
        lambda: services.activity_delete(actor=request.user, activity=activity),
        _("The activity was deleted."),
    )
    return redirect("programs:workplan", pk=program.pk)


MILESTONE_FIELDS = ["name", "activity", "due_date", "achieved", "achieved_on", "notes"]


@require("programs.edit")
def milestone_form(request: HttpRequest, pk: int, milestone_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    milestone = (
        selectors.milestone_get_for_user(request.user, program, milestone_pk)
        if milestone_pk
        else None
    )
    form = MilestoneForm(request.POST or None, instance=milestone, program=program)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in MILESTONE_FIELDS}
        if milestone is None:
            name, due = data.pop("name"), data.pop("due_date")
            action = lambda: services.milestone_create(  # noqa: E731
                actor=request.user, program=program, name=name, due_date=due, **data
            )
        else:
            current = Milestone.objects.select_related("program").get(pk=milestone.pk)
            action = lambda: services.milestone_update(  # noqa: E731
                actor=request.user,
                milestone=current,
                data=data,
                expected_version=version_of(form),
            )
        if run_service(request, form, action, _("The milestone was saved.")) is not None:
            return redirect("programs:workplan", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            form=form,
            title=_("Edit milestone") if milestone else _("New milestone"),
            back=("programs:workplan", program.pk),
            delete_url_name="programs:milestone_delete" if milestone else None,
            item=milestone,
        ),
    )


@require_POST
@require("programs.edit")
def milestone_delete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    milestone = selectors.milestone_get_for_user(request.user, program, milestone_pk)
    run_delete(
        request,
        lambda: services.milestone_delete(actor=request.user, milestone=milestone),
        _("The milestone was deleted."),
    )
    return redirect("programs:workplan", pk=program.pk)
