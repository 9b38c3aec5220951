"""The risk register with its 5 by 5 matrix, and the program team."""

from __future__ import annotations

from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of

from .. import selectors, services
from ..forms import ListFilterForm, RiskForm, TeamMemberForm
from ..models import Risk, RiskStatus, TeamMember
from .common import program_for_edit, program_for_view, run_delete, run_service, version_of

RISK_FIELDS = [
    "description",
    "category",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "status",
    "review_date",
]


def _context(request: HttpRequest, program, section: str, **extra) -> dict:
    return {
        "program": program,
        "section": section,
        "can_edit": selectors.can_edit(request.user, program),
        "editable": selectors.is_editable(program),
        "current_module": "programs",
        **extra,
    }


@require("programs.view")
def risks(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    form = ListFilterForm(request.GET or None, statuses=list(RiskStatus.choices), with_late=False)
    filters = form.cleaned_data if form.is_valid() else {}
    register = (
        selectors.risk_list_for_user(request.user, program.pk)
        .annotate(score_value=F("likelihood") * F("impact"))
        .order_by("-score_value", "id")
    )
    if filters.get("status"):
        register = register.filter(status=filters["status"])
    if filters.get("q"):
        term = filters["q"].strip()
        register = register.filter(Q(description__icontains=term) | Q(mitigation__icontains=term))
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Risk"), lambda r: r.description),
            Column(_("Category"), lambda r: r.get_category_display()),
            Column(_("Likelihood"), lambda r: r.likelihood),
            Column(_("Impact"), lambda r: r.impact),
            Column(_("Score"), lambda r: r.score),
            Column(_("Mitigation"), lambda r: r.mitigation),
            Column(_("Owner"), lambda r: str(r.owner or "")),
            Column(_("Status"), lambda r: r.get_status_display()),
            Column(_("Review date"), lambda r: r.review_date),
        ]
        return export_response(
            register.iterator(), columns, filename=f"{program.code}-risks", file_format=export
        )
    open_risks = list(
        selectors.risk_list_for_user(request.user, program.pk).exclude(status=RiskStatus.CLOSED)
    )
    context = _context(
        request,
        program,
        "risks",
        form=form,
        page=page_of(request, register),
        matrix=selectors.risk_matrix(open_risks),
        impacts=range(1, 6),
    )
    template = "programs/risks.html#results" if request.htmx else "programs/risks.html"
    return render(request, template, context)


@require("programs.edit")
def risk_form(request: HttpRequest, pk: int, risk_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    risk = selectors.risk_get_for_user(request.user, program, risk_pk) if risk_pk else None
    form = RiskForm(request.POST or None, instance=risk, program=program)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RISK_FIELDS}
        if risk is None:
            description = data.pop("description")
            action = lambda: services.risk_create(  # noqa: E731
                actor=request.user, program=program, description=description, **data
            )
        else:
            current = Risk.objects.select_related("program").get(pk=risk.pk)
            action = lambda: services.risk_update(  # noqa: E731
                actor=request.user, risk=current, data=data, expected_version=version_of(form)
            )
        if run_service(request, form, action, _("The risk was saved.")) is not None:
            return redirect("programs:risks", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            "risks",
            form=form,
            title=_("Edit risk") if risk else _("New risk"),
            back=("programs:risks", program.pk),
            delete_url_name="programs:risk_delete" if risk else None,
            item=risk,
        ),
    )


@require_POST
@require("programs.edit")
def risk_delete(request: HttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    risk = selectors.risk_get_for_user(request.user, program, risk_pk)
    run_delete(
        request,
        lambda: services.risk_delete(actor=request.user, risk=risk),
        _("The risk was deleted."),
    )
    return redirect("programs:risks", pk=program.pk)


@require("programs.view")
def team(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    form = ListFilterForm(request.GET or None, statuses=[], with_late=False)
    del form.fields["status"]
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.team_for_program(program)
    if filters.get("q"):
        term = filters["q"].strip()
        members = members.filter(
            Q(role__icontains=term)
            | Q(user__full_name__icontains=term)
            | Q(user__username__icontains=term)
        )
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Name"), lambda m: str(m.user)),
            Column(_("Role on the program"), lambda m: m.role),
            Column(_("From"), lambda m: m.start_date),
            Column(_("Until"), lambda m: m.end_date),
            Column(_("Time allocated (%)"), lambda m: m.allocation_percent),
        ]
        return export_response(
            members.iterator(), columns, filename=f"{program.code}-team", file_format=export
        )
    context = _context(request, program, "team", form=form, page=page_of(request, members))
    return render(request, "programs/team.html", context)


@require("programs.edit")
def team_form(request: HttpRequest, pk: int, member_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    member = selectors.team_member_get(program, member_pk) if member_pk else None
    form = TeamMemberForm(request.POST or None, instance=member, program=program)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("role", "start_date", "end_date", "allocation_percent")
        }
        if member is None:
            user = form.cleaned_data["user"]
            action = lambda: services.team_member_add(  # noqa: E731
                actor=request.user, program=program, user=user, **data
            )
        else:
            current = TeamMember.objects.select_related("program", "user").get(pk=member.pk)
            action = lambda: services.team_member_update(  # noqa: E731
                actor=request.user, member=current, data=data
            )
        if run_service(request, form, action, _("The team was saved.")) is not None:
            return redirect("programs:team", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            "team",
            form=form,
            title=_("Edit team member") if member else _("Add a team member"),
            back=("programs:team", program.pk),
            delete_url_name="programs:team_remove" if member else None,
            item=member,
        ),
    )


@require_POST
@require("programs.edit")
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    member = selectors.team_member_get(program, member_pk)
    run_delete(
        request,
        lambda: services.team_member_remove(actor=request.user, member=member),
        _("The team member was removed."),
    )
    return redirect("programs:team", pk=program.pk)
