"""Partner pages: organisations with their timeline, agreements, and my notifications."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from . import selectors, services
from .forms import (
    AgreementFilterForm,
    AgreementForm,
    ContactForm,
    ContributionForm,
    DocumentForm,
    InteractionForm,
    OrganisationFilterForm,
    OrganisationForm,
    ServiceForm,
)


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require("partners.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.organisation_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Name"), lambda o: o.name),
            Column(_("Type"), lambda o: o.get_org_type_display()),
            Column(_("Legal registration"), lambda o: o.legal_number),
            Column(_("Tax number (NPWP)"), lambda o: o.tax_number),
            Column(_("Seat"), lambda o: o.region.name if o.region else ""),
            Column(_("Address"), lambda o: o.address),
            Column(_("Phone"), lambda o: o.phone),
            Column(_("E-mail"), lambda o: o.email),
            Column(_("Active"), lambda o: o.is_active),
        ]
        return export_response(orgs.iterator(), columns, filename="partners", file_format=export)
    page = page_of(request, orgs)
    template = (
        "partners/organisation_list.html#results"
        if request.htmx
        else "partners/organisation_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "can_edit": has(request.user, "partners.edit")},
    )


@require("partners.view")
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_get_for_user(request.user, pk)
    context = {
        "org": org,
        "coverage": org.coverage.all(),
        "services": org.services.all(),
        "contacts": org.contacts.all(),
        "documents": org.documents.all(),
        "agreements": org.agreements.select_related("owner"),
        "contributions": org.contributions.select_related("agreement", "program"),
        "interactions": org.interactions.prefetch_related("follow_ups__owner"),
        "timeline": selectors.organisation_timeline(org),
        "can_edit": has(request.user, "partners.edit"),
    }
    return render(request, "partners/organisation_detail.html", context)


@require("partners.edit")
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = selectors.organisation_get_for_user(request.user, pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"coverage", "version"}}
        coverage = list(form.cleaned_data["coverage"])
        try:
            if org is None:
                org = services.organisation_create(actor=request.user, coverage=coverage, **data)
            else:
                services.organisation_update(
                    actor=request.user,
                    organisation=selectors.organisation_get_for_user(request.user, pk),
                    data=data,
                    coverage=coverage,
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("partners:organisation_detail", pk=org.pk)
    return render(request, "partners/form.html", {"form": form, "title": _("Organisation")})


CHILD_FORMS = {
    "service": (ServiceForm, services.service_create, gettext_lazy("Service offered")),
    "contact": (ContactForm, services.contact_create, gettext_lazy("Contact")),
    "document": (DocumentForm, services.document_create, gettext_lazy("Due-diligence document")),
    "contribution": (ContributionForm, services.contribution_create, gettext_lazy("Contribution")),
    "interaction": (InteractionForm, services.interaction_create, gettext_lazy("Interaction")),
}


@require("partners.edit")
def organisation_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    org = selectors.organisation_get_for_user(request.user, pk)
    if kind not in CHILD_FORMS:
        from django.http import Http404

        raise Http404
    form_class, create, title = CHILD_FORMS[kind]
    extra = {"organisation": org} if form_class is ContributionForm else {}
    form = form_class(request.POST or None, request.FILES or None, **extra)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kind == "interaction":
            action = data.pop("follow_up_action")
            owner = data.pop("follow_up_owner")
            due = data.pop("follow_up_due")
            data["follow_ups"] = (
                [{"action": action, "owner": owner, "due_date": due}] if action else []
            )
        try:
            create(actor=request.user, organisation=org, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("partners:organisation_detail", pk=org.pk)
    return render(request, "partners/form.html", {"form": form, "title": f"{title} · {org.name}"})


@require("partners.view")
def agreement_list(request: HttpRequest) -> HttpResponse:
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = selectors.agreement_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Number"), lambda a: a.number),
            Column(_("Title"), lambda a: a.title),
            Column(_("Kind"), lambda a: a.get_kind_display()),
            Column(_("Partner"), lambda a: a.organisation.name),
            Column(_("Start date"), lambda a: a.start_date),
            Column(_("End date"), lambda a: a.end_date),
            Column(_("Value"), lambda a: a.value),
            Column(_("Currency"), lambda a: a.currency),
            Column(_("Status"), lambda a: a.get_status_display()),
            Column(_("Owner"), lambda a: str(a.owner)),
        ]
        return export_response(
            agreements.iterator(), columns, filename="agreements", file_format=export
        )
    page = page_of(request, agreements)
    template = (
        "partners/agreement_list.html#results" if request.htmx else "partners/agreement_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "can_edit": has(request.user, "partners.edit")},
    )


@require("partners.view")
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(request.user, pk)
    return render(
        request,
        "partners/agreement_detail.html",
        {
            "agreement": agreement,
            "other_parties": agreement.other_parties.all(),
            "programs": agreement.programs.all(),
            "contributions": agreement.contributions.all(),
            "reminders": agreement.reminders.all(),
            "can_edit": has(request.user, "partners.edit"),
        },
    )


@require("partners.edit")
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(request.user, pk) if pk else None
    initial = {}
    if agreement is None and request.GET.get("organisation"):
        initial["organisation"] = request.GET["organisation"]
        initial["owner"] = request.user.pk
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in {"other_parties", "programs", "version"}
        }
        m2m = {
            "other_parties": list(form.cleaned_data["other_parties"]),
            "programs": list(form.cleaned_data["programs"]),
        }
        try:
            if agreement is None:
                agreement = services.agreement_create(actor=request.user, **m2m, **data)
            else:
                services.agreement_update(
                    actor=request.user,
                    agreement=selectors.agreement_get_for_user(request.user, pk),
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                    **m2m,
                )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("partners:agreement_detail", pk=agreement.pk)
    return render(request, "partners/form.html", {"form": form, "title": _("Agreement")})


def notification_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        notification = get_object_or_404(
            selectors.notification_list_for_user(request.user), pk=request.POST.get("read")
        )
        services.notification_mark_read(user=request.user, notification=notification)
        return redirect("partners:notification_list")
    page = page_of(request, selectors.notification_list_for_user(request.user))
    return render(request, "partners/notification_list.html", {"page": page})
