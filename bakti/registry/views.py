"""Registry pages: search, households, people, consent and enrolments.

Thin views: they read through ``selectors`` (scoped; 404 outside scope), write through
``services`` and show what went wrong where. Scoring and targeting pages are in
``targeting_views.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require, scope_for
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from . import selectors, services
from .forms import (
    BirthForm,
    ConsentForm,
    DeathForm,
    EnrolmentActionForm,
    EnrolmentFilterForm,
    HouseholdForm,
    MoveForm,
    PersonForm,
    ProposeForm,
    RegistrySearchForm,
)
from .identity import digits_only, nik_facts, validate_nik
from .models import WG_DOMAINS, Enrolment, EnrolmentStatus, Household, Person, mask_id


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _wants_export(request: HttpRequest) -> str | None:
    value = request.GET.get("export")
    return value if value in {"csv", "xlsx"} else None


# --- Search and lists -------------------------------------------------------------------------


@require("registry.view")
def search(request: HttpRequest) -> HttpResponse:
    """Households matching the filters (NIK, KK, name, region, PPKS, desil, program)."""
    form = RegistrySearchForm(
        request.GET or None,
        regions=selectors.region_choices_for_user(request.user),
        sensitive=selectors.sensitive_scope(request.user).empty is False,
        user=request.user,
    )
    filters = selectors.RegistryFilters.from_dict(form.cleaned_data if form.is_valid() else {})
    rows = selectors.household_list_for_user(request.user, filters).order_by("region_id", "pk")
    export = _wants_export(request)
    if export:
        columns = [
            Column(_("No. KK"), lambda h: mask_id(h.no_kk)),
            Column(_("Head of household"), lambda h: h.head.full_name if h.head else ""),
            Column(_("Desa/kelurahan code"), lambda h: h.region_id),
            Column(_("Desa/kelurahan"), lambda h: h.region.name),
            Column(_("Address"), lambda h: h.address),
            Column(_("Members"), lambda h: h.member_count),
            Column(_("Desil"), lambda h: h.desil),
            Column(_("Status"), lambda h: h.get_status_display()),
        ]
        return export_response(
            rows.iterator(chunk_size=2000), columns, filename="households", file_format=export
        )
    page = page_of(request, rows)
    template = "registry/search.html#results" if request.htmx else "registry/search.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_edit": has(request.user, "registry.edit"),
            "can_target": has(request.user, "registry.target"),
        },
    )


@require("registry.view")
def person_list(request: HttpRequest) -> HttpResponse:
    form = RegistrySearchForm(
        request.GET or None,
        regions=selectors.region_choices_for_user(request.user),
        sensitive=not selectors.sensitive_scope(request.user).empty,
        user=request.user,
    )
    filters = selectors.RegistryFilters.from_dict(form.cleaned_data if form.is_valid() else {})
    rows = selectors.person_list_for_user(request.user, filters).order_by("full_name", "pk")
    export = _wants_export(request)
    if export:
        sensitive = selectors.sensitive_scope(request.user)
        rows = rows.prefetch_related("ppks")

        def _if_sensitive(value: Any) -> Any:
            return lambda p: value(p) if sensitive.contains_region(p.region_id) else ""

        columns = [
            Column(_("NIK"), lambda p: mask_id(p.nik)),
            Column(_("Name"), lambda p: p.full_name),
            Column(_("Sex"), lambda p: p.get_sex_display()),
            Column(_("Birth date"), lambda p: p.birth_date),
            Column(_("Relationship to head"), lambda p: p.get_relationship_display()),
            Column(_("No. KK"), lambda p: mask_id(p.household.no_kk) if p.household else ""),
            Column(_("Desa/kelurahan code"), lambda p: p.region_id),
            Column(_("Deceased"), lambda p: p.deceased),
            Column(_("Disability"), _if_sensitive(lambda p: p.has_disability)),
            Column(
                _("PPKS categories"),
                _if_sensitive(lambda p: ", ".join(c.code for c in p.ppks.all())),
            ),
        ]
        return export_response(
            rows.iterator(chunk_size=2000), columns, filename="people", file_format=export
        )
    page = page_of(request, rows)
    template = "registry/person_list.html#results" if request.htmx else "registry/person_list.html"
    return render(request, template, {"form": form, "page": page})


# --- Households -------------------------------------------------------------------------------


@require("registry.edit")
def household_create(request: HttpRequest) -> HttpResponse:
    form = HouseholdForm(
        request.POST or None, desa_codes=selectors.desa_codes_for_edit(request.user)
    )
    if request.method == "POST" and form.is_valid():
        skip = {"no_kk", "region", "version"}
        data = {k: v for k, v in form.cleaned_data.items() if k not in skip and v is not None}
        try:
            household = services.household_create(
                actor=request.user,
                no_kk=form.cleaned_data["no_kk"],
                region=form.cleaned_data["region"],
                **data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied:
            form.add_error("region", _("You may not register households in this region."))
        else:
            messages.success(request, _("Household registered. Now add its members."))
            return redirect("registry:member_add", pk=household.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("Register a household")})


@require("registry.view")
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get_for_user(request.user, pk)
    user = request.user
    sensitive = selectors.sees_sensitive(user, household.region_id)
    members = list(selectors.household_members_for_user(user, household))
    consents = list(
        selectors.consent_list_for_user(user)
        .filter(person__household=household)
        .order_by("person__full_name", "-given_on")
    )
    region_code = household.region_id
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "hidden_members": selectors.hidden_member_count(user, household),
            "history": selectors.household_membership_history(user, household)[:30],
            "consents": consents,
            "assessments": selectors.assessment_list_for_household(user, household)[:20],
            "scores": selectors.household_scores(household)[:10],
            "enrolments": selectors.enrolments_of_household(user, household),
            "timeline": selectors.household_timeline(user, household),
            "sensitive": sensitive,
            "can_edit": scope_for(user, "registry.edit").contains_region(region_code),
            "can_reveal": scope_for(user, "registry.reveal_id").contains_region(region_code),
            "can_approve": scope_for(user, "registry.approve_enrolment").contains_region(
                region_code
            ),
        },
    )


@require("registry.edit")
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        desa_codes=selectors.desa_codes_for_edit(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = Household.objects.get(pk=household.pk)  # the form wrote to ``household``
        try:
            services.household_update(
                actor=request.user,
                household=fresh,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied:
            form.add_error("region", _("You may not move households to this region."))
        else:
            messages.success(request, _("Household saved."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Edit household"), "back": household},
    )


@require("registry.reveal_id")
@require_POST
def household_reveal_kk(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_reveal(request.user, pk)
    value = services.household_reveal_kk(actor=request.user, household=household)
    return _revealed(request, value, household)


@require("registry.edit")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    sensitive = selectors.sees_sensitive(request.user, household.region_id)
    form = PersonForm(request.POST or None, sensitive=sensitive)
    if household.head_id is None:
        form.fields["relationship"].initial = "head"
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "ppks"}}
        data = {k: v for k, v in data.items() if v not in (None, "")}
        try:
            person = services.person_create(
                actor=request.user,
                household=household,
                ppks=form.cleaned_data.get("ppks") or (),
                **data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s added to the household.") % {"name": person})
            for flag in person.nik_flags:
                messages.warning(request, flag["detail"])
            if "another" in request.POST:
                return redirect("registry:member_add", pk=household.pk)
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": _("Add a member"), "household": household, "another": True},
    )


@require("registry.edit")
def birth_record(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    form = BirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_birth(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Birth recorded."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Record a birth"), "back": household},
    )


@require("registry.edit")
@require_POST
def household_set_head(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    try:
        person = selectors.person_for_edit(request.user, int(request.POST.get("person", 0)))
        services.household_set_head(actor=request.user, household=household, person=person)
    except (ValueError, Http404):
        messages.error(request, _("Choose a member of this household."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is now the head of household.") % {"name": person})
    return redirect("registry:household_detail", pk=household.pk)


# --- People -----------------------------------------------------------------------------------


@require("registry.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, pk)
    user = request.user
    sensitive = selectors.sees_sensitive(user, person.region_id)
    difficulties = []
    if sensitive:
        difficulties = [
            (person._meta.get_field(n).verbose_name, getattr(person, f"get_{n}_display")())
            for n in WG_DOMAINS
            if getattr(person, n)
        ]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "sensitive": sensitive,
            "ppks": list(person.ppks.all()) if sensitive else [],
            "difficulties": difficulties,
            "memberships": person.memberships.select_related("household").order_by("-start_date"),
            "consents": selectors.consent_list_for_user(user, person=person),
            "enrolments": selectors.enrolment_list_for_user(user).filter(person=person),
            "can_edit": scope_for(user, "registry.edit").contains_region(person.region_id),
            "can_reveal": scope_for(user, "registry.reveal_id").contains_region(person.region_id),
        },
    )


@require("registry.edit")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_edit(request.user, pk)
    sensitive = selectors.sees_sensitive(request.user, person.region_id)
    form = PersonForm(request.POST or None, instance=person, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "ppks"}}
        fresh = Person.objects.get(pk=person.pk)
        try:
            fresh = services.person_update(
                actor=request.user,
                person=fresh,
                data=data,
                ppks=form.cleaned_data.get("ppks") if sensitive else None,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            for flag in fresh.nik_flags:
                messages.warning(request, flag["detail"])
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": _("Edit person"), "person": person},
    )


@require("registry.reveal_id")
@require_POST
def person_reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_reveal(request.user, pk)
    value = services.person_reveal_nik(actor=request.user, person=person)
    return _revealed(request, value, person)


def _revealed(request: HttpRequest, value: str, obj: Any) -> HttpResponse:
    if request.htmx:
        return render(request, "registry/includes/revealed.html", {"value": value})
    messages.info(request, _("Full number: %(value)s (this view was logged).") % {"value": value})
    name = "registry:person_detail" if isinstance(obj, Person) else "registry:household_detail"
    return redirect(name, pk=obj.pk)


@require("registry.edit")
def nik_check(request: HttpRequest) -> HttpResponse:
    """What a NIK typed in a form says (HTMX): suggestions for sex and birth date."""
    raw = request.GET.get("nik", "")
    context: dict[str, Any] = {}
    if digits_only(raw):
        try:
            context["facts"] = nik_facts(validate_nik(raw))
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    return render(request, "registry/includes/nik_check.html", context)


@require("registry.edit")
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_edit(request.user, pk)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = digits_only(form.cleaned_data["to_kk"])
        target = selectors.household_list_for_user(request.user).filter(no_kk=number).first()
        if target is None:
            form.add_error(
                "to_kk", _("No household with this family card number is registered in your area.")
            )
        else:
            try:
                services.person_move(
                    actor=request.user,
                    person=person,
                    to_household=target,
                    on=form.cleaned_data["on"],
                    relationship=form.cleaned_data["relationship"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except PermissionDenied:
                form.add_error("to_kk", _("That household is outside your area."))
            else:
                messages.success(request, _("Move recorded."))
                return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Move %(name)s to another household") % {"name": person}},
    )


@require("registry.edit")
def person_death(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_edit(request.user, pk)
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_record_death(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Death recorded."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Record the death of %(name)s") % {"name": person}},
    )


# --- Consent ----------------------------------------------------------------------------------


@require("registry.edit")
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_edit(request.user, pk)
    form = ConsentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Record consent or legal basis for %(name)s") % {"name": person}},
    )


@require("registry.edit")
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(request.user, pk)
    if not scope_for(request.user, "registry.edit").contains_region(consent.person.region_id):
        raise Http404
    from .forms import WithdrawForm

    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Consent withdrawn. Enrolments that rested on it were suspended."),
            )
            return redirect("registry:person_detail", pk=consent.person_id)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Withdraw consent: %(consent)s") % {"consent": consent}},
    )


# --- Enrolments -------------------------------------------------------------------------------


@require("registry.edit")
def enrolment_propose(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_for_edit(request.user, pk)
    members = selectors.household_members_for_user(request.user, household).filter(deceased=False)
    form = ProposeForm(request.POST or None, members=members, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_propose(
                actor=request.user,
                program=form.cleaned_data["program"],
                household=household,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Proposed. A manager will approve it."))
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("Propose for a program"), "back": household},
    )


@require("registry.view")
def enrolment_list(request: HttpRequest) -> HttpResponse:
    form = EnrolmentFilterForm(
        request.GET or None,
        regions=selectors.region_choices_for_user(request.user),
        user=request.user,
    )
    filters = selectors.EnrolmentFilters.from_dict(form.cleaned_data if form.is_valid() else {})
    rows = selectors.enrolment_list_for_user(request.user, filters).order_by("-created_at", "-pk")
    export = _wants_export(request)
    if export:
        columns = [
            Column(_("Program"), lambda e: e.program.code),
            Column(_("No. KK"), lambda e: mask_id(e.household.no_kk)),
            Column(
                _("Head of household"),
                lambda e: e.household.head.full_name if e.household.head else "",
            ),
            Column(_("Person"), lambda e: e.person.full_name if e.person else ""),
            Column(_("NIK"), lambda e: mask_id(e.person.nik) if e.person else ""),
            Column(_("Desa/kelurahan code"), lambda e: e.region_id),
            Column(_("Status"), lambda e: e.get_status_display()),
            Column(_("Enrolled on"), lambda e: e.enrolled_on),
            Column(_("Suspended on"), lambda e: e.suspended_on),
            Column(_("Exited on"), lambda e: e.exited_on),
            Column(_("Reason"), lambda e: e.status_reason),
        ]
        return export_response(
            rows.iterator(chunk_size=2000), columns, filename="enrolments", file_format=export
        )
    page = page_of(request, rows)
    approver = scope_for(request.user, "registry.approve_enrolment")
    template = (
        "registry/enrolment_list.html#results" if request.htmx else "registry/enrolment_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "can_approve": not approver.empty},
    )


@require("registry.approve_enrolment")
@require_POST
def enrolment_approve_selected(request: HttpRequest) -> HttpResponse:
    """Approve the proposals ticked in the enrolment list."""
    ids = [int(pk) for pk in request.POST.getlist("enrolment") if pk.isdigit()]
    rows = selectors.enrolment_list_for_user(request.user).filter(
        pk__in=ids, status=EnrolmentStatus.PROPOSED
    )
    approved, refused = services.enrolment_approve_many(actor=request.user, enrolments=rows)
    if approved:
        messages.success(request, _("%(count)d enrolments approved.") % {"count": approved})
    for enrolment, reason in refused[:20]:
        head = enrolment.household.head
        who = f"{head.full_name} ({mask_id(enrolment.household.no_kk)})" if head else ""
        messages.warning(request, f"{who or enrolment.household}: {reason}")
    if len(refused) > 20:
        messages.warning(
            request,
            _("%(count)d more proposals were not approved for the same reasons.")
            % {"count": len(refused) - 20},
        )
    query = request.POST.get("query", "")
    return redirect(
        f"{reverse('registry:enrolment_list')}?{query}" if query else "registry:enrolment_list"
    )


ACTIONS = {
    "approve": (_("Approve enrolment"), EnrolmentStatus.PROPOSED),
    "reject": (_("Do not approve"), EnrolmentStatus.PROPOSED),
    "suspend": (_("Suspend enrolment"), EnrolmentStatus.ENROLLED),
    "resume": (_("Resume enrolment"), EnrolmentStatus.SUSPENDED),
    "exit": (_("End enrolment"), None),
}


@require("registry.view")
def enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    enrolment: Enrolment = selectors.enrolment_get_for_user(request.user, pk)
    deciding = action in {"approve", "reject"}
    capability = "registry.approve_enrolment" if deciding else "registry.edit"
    if not scope_for(request.user, capability).contains_region(enrolment.region_id):
        raise PermissionDenied
    title, _needed = ACTIONS[action]
    form = EnrolmentActionForm(request.POST or None, initial={"version": enrolment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "enrolment": enrolment,
            "expected_version": data["version"],
        }
        on = data.get("on")
        try:
            if action == "approve":
                services.enrolment_approve(enrolled_on=on, reason=data["reason"], **common)
            elif action == "reject":
                services.enrolment_reject(reason=data["reason"], **common)
            elif action == "resume":
                services.enrolment_resume(reason=data["reason"], **common)
            else:
                if on is None:
                    raise ValidationError({"on": _("Give the date.")})
                if action == "suspend":
                    services.enrolment_suspend(on=on, reason=data["reason"], **common)
                else:
                    services.enrolment_exit(on=on, reason=data["reason"], **common)
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Enrolment updated."))
            return redirect("registry:household_detail", pk=enrolment.household_id)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": title, "subject": enrolment, "back_url": request.GET.get("next")},
    )
