"""Scoring schemes and runs, assessments, and targeting schemes with their simulation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import require, scope_for
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit
from bakti.programs.models import Program

from . import scoring, selectors, targeting
from .forms import AssessmentForm, ScoringSchemeForm, TargetingSchemeForm
from .views import _apply_errors

# --- Scoring ----------------------------------------------------------------------------------


@require("registry.view")
def scoring_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.scoring_scheme_list())
    return render(
        request,
        "registry/scoring_list.html",
        {"page": page, "can_target": not scope_for(request.user, "registry.target").empty},
    )


@require("registry.target")
def scoring_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scheme = selectors.scoring_scheme_get(pk) if pk else None
    form = ScoringSchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if scheme is None:
                scheme = scoring.scoring_scheme_create(actor=request.user, **data)
            else:
                fresh = selectors.scoring_scheme_get(scheme.pk)
                scheme = scoring.scoring_scheme_update(
                    actor=request.user,
                    scheme=fresh,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Scoring scheme saved."))
            return redirect("registry:scoring_detail", pk=scheme.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit scoring scheme") if scheme else _("New scoring scheme"),
            "variables": scoring.variable_choices(),
        },
    )


@require("registry.view")
def scoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scoring_scheme_get(pk)
    return render(
        request,
        "registry/scoring_detail.html",
        {
            "scheme": scheme,
            "runs": scheme.runs.select_related("created_by")[:20],
            "variables": dict(scoring.variable_choices()),
            "can_target": not scope_for(request.user, "registry.target").empty,
        },
    )


@require("registry.target")
@require_POST
def scoring_run(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scoring_scheme_get(pk)
    try:
        scoring.scoring_run_start(actor=request.user, scheme=scheme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scoring run has started; its progress is shown below."))
    return redirect("registry:scoring_detail", pk=scheme.pk)


@require("registry.view")
def scoring_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.scoring_run_get(pk)
    return render(request, "registry/includes/run_progress.html", {"run": run})


@require("registry.edit")
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    form = AssessmentForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            scoring.assessment_record(
                actor=request.user,
                household=household,
                assessed_on=form.cleaned_data["assessed_on"],
                answers=form.answers(),
                scheme=form.cleaned_data["scheme"],
                notes=form.cleaned_data["notes"],
                update_household=form.cleaned_data["update_household"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Record an assessment visit"), "back": household},
    )


# --- Targeting --------------------------------------------------------------------------------


def _programs_for(user: object) -> object:
    scope = scope_for(user, "registry.target")
    return Program.objects.filter(scope.q(org_unit="org_unit_id")).order_by("code")


@require("registry.target")
def targeting_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.targeting_scheme_list_for_user(request.user))
    return render(request, "registry/targeting_list.html", {"page": page})


@require("registry.target")
def targeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scheme = selectors.targeting_scheme_get_for_user(request.user, pk) if pk else None
    form = TargetingSchemeForm(
        request.POST or None, instance=scheme, programs=_programs_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        fields = [
            "program",
            "name",
            "description",
            "region",
            "scoring_scheme",
            "benefit_unit",
            "benefit_amount",
            "periods_per_year",
            "budget_amount",
            "status",
            "rules",
            "quotas",
        ]
        data = {name: form.cleaned_data.get(name) for name in fields}
        data["quotas"] = data["quotas"] or {}
        try:
            if scheme is None:
                scheme = targeting.targeting_scheme_create(actor=request.user, **data)
            else:
                fresh = selectors.targeting_scheme_get_for_user(request.user, scheme.pk)
                scheme = targeting.targeting_scheme_update(
                    actor=request.user,
                    scheme=fresh,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Targeting scheme saved. The simulation is below."))
            return redirect("registry:targeting_detail", pk=scheme.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit targeting scheme") if scheme else _("New targeting scheme"),
        },
    )


@require("registry.target")
def targeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.targeting_scheme_get_for_user(request.user, pk)
    simulation = targeting.simulate(scheme)
    return render(
        request,
        "registry/targeting_detail.html",
        {"scheme": scheme, "sim": simulation},
    )


@require("registry.target")
@require_POST
def targeting_apply(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.targeting_scheme_get_for_user(request.user, pk)
    try:
        made = targeting.targeting_scheme_apply(actor=request.user, scheme=scheme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:targeting_detail", pk=scheme.pk)
    messages.success(
        request,
        _("%(count)d enrolment proposals were made. A manager approves them in the list below.")
        % {"count": made},
    )
    return redirect(
        f"{reverse('registry:enrolment_list')}?program={scheme.program_id}&status=proposed"
    )
