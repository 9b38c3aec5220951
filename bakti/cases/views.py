"""Case pages, the supervisor's approvals and overdue board, and the partner's referral inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit, record_access
from bakti.registry.selectors import RegistryFilters, person_get_for_user, person_list_for_user

from . import forms, selectors, services
from .models import ApprovalStatus, CaseStatus, ReferralStatus


def _fail(request: HttpRequest, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for errs in error.message_dict.values():
            for message in errs:
                messages.error(request, message)
    else:
        for message in error.messages:
            messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errs:
            messages.error(request, f"{label}: {message}" if label else message)


# --- Cases -------------------------------------------------------------------------------


@require("cases.view")
def case_list(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    cases = selectors.case_list_for_user(request.user, form.values())
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Reference"), lambda c: c.reference),
            Column(_("Case type"), lambda c: c.case_type.name),
            Column(_("Person"), lambda c: c.person.full_name if c.person else ""),
            Column(_("Desa"), lambda c: c.region.name),
            Column(_("Status"), lambda c: c.get_status_display()),
            Column(_("Risk level"), lambda c: c.get_risk_level_display()),
            Column(_("Caseworker"), lambda c: str(c.caseworker)),
            Column(_("Opened on"), lambda c: c.opened_on),
            Column(_("Assessment due"), lambda c: c.assessment_due),
            Column(_("Case plan due"), lambda c: c.plan_due),
            Column(_("Closed on"), lambda c: c.closed_on),
        ]
        return export_response(cases, columns, filename="cases", file_format=export)
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page_of(request, cases),
            "may_open": has(request.user, "cases.work"),
        },
    )


@require("cases.work")
def case_open(request: HttpRequest) -> HttpResponse:
    person_id = request.GET.get("person") or request.POST.get("person")
    if not person_id:
        query = request.GET.get("q", "").strip()
        people = (
            list(person_list_for_user(request.user, RegistryFilters(q=query))[:20])
            if len(query) >= 2
            else []
        )
        return render(request, "cases/case_open_find.html", {"people": people, "query": query})
    person = person_get_for_user(request.user, person_id)
    form = forms.CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user,
                case_type=data["case_type"],
                person=person,
                summary=data["summary"],
                risk_level=data["risk_level"],
                ppks=list(data["ppks"]),
                concerns=list(data["concerns"]),
            )
            messages.success(request, _("Case %(ref)s was opened.") % {"ref": case.reference})
            return redirect("cases:case_detail", pk=case.pk)
        except ValidationError as error:
            _fail(request, error)
    return render(request, "cases/case_open.html", {"form": form, "person": person})


@require("cases.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, pk)
    record_access(actor=request.user, obj=case, what="case record")
    may_work = services.may_work_on(request.user, case)
    pending = list(case.approvals.filter(status=ApprovalStatus.PENDING))
    context = {
        "case": case,
        "may_work": may_work,
        "is_supervisor": services.is_supervisor_of(request.user, case),
        "goals": case.goals.all(),
        "interventions": case.interventions.select_related("goal", "service_type"),
        "follow_ups": case.follow_ups.select_related("done_by"),
        "notes": case.notes.select_related("author"),
        "referrals": case.referrals.select_related("organisation", "service"),
        "approvals": case.approvals.select_related("requested_by", "decided_by"),
        "assignments": case.assignments.select_related("caseworker", "previous", "assigned_by"),
        "pending": pending,
        "pending_kinds": {a.kind for a in pending},
        "ppks": case.ppks.all(),
        "concerns": case.concerns.all(),
        "today": timezone.localdate(),
        "consent": services.referral_consent(case),
        "may_override": has(request.user, "cases.override_consent"),
        "statuses": CaseStatus,
    }
    if may_work:
        context.update(
            assessment_form=forms.AssessmentForm(
                initial={"assessment": case.assessment, "risk_level": case.risk_level},
                prefix="assessment",
            ),
            goal_form=forms.GoalForm(prefix="goal"),
            intervention_form=forms.InterventionForm(case=case, prefix="intervention"),
            follow_up_form=forms.FollowUpForm(prefix="follow_up"),
            note_form=forms.NoteForm(prefix="note"),
            close_form=forms.CloseForm(prefix="close"),
            reopen_form=forms.ReopenForm(prefix="reopen"),
            referral_form=forms.ReferralForm(prefix="refer"),
            restriction=services.referral_restriction(case),
            assign_form=forms.AssignForm(caseworkers=_caseworkers(), prefix="assign"),
        )
    return render(request, "cases/case_detail.html", context)


@require("cases.work")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the risk level or the reason for opening; a stale form shows both versions."""
    case = selectors.case_get_for_user(request.user, pk)
    if not services.may_work_on(request.user, case):
        raise Http404
    initial = {"version": case.version, "risk_level": case.risk_level, "summary": case.summary}
    form = forms.CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("risk_level", "summary")}
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


def _caseworkers() -> Any:
    from bakti.accounts.models import User
    from bakti.accounts.roles import CAPABILITIES

    roles = [role for role, caps in CAPABILITIES.items() if "cases.work" in caps]
    return (
        User.objects.filter(is_active=True, memberships__role__in=roles)
        .distinct()
        .order_by("full_name", "username")
    )


def _act(
    request: HttpRequest, case: Any, form: Any, action: Callable[[dict[str, Any]], Any], ok: str
) -> None:
    if not form.is_valid():
        _form_errors(request, form)
        return
    try:
        action(form.cleaned_data)
        messages.success(request, ok)
    except ValidationError as error:
        _fail(request, error)


@require("cases.work")
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every change to a case from its page: one POST per action, through the services."""
    case = selectors.case_get_for_user(request.user, pk)
    if not services.may_work_on(request.user, case):
        raise Http404
    user = request.user
    post, files = request.POST, request.FILES
    try:
        if action == "start_assessment":
            services.case_start_assessment(actor=user, case=case)
            messages.success(request, _("The assessment has started."))
        elif action == "assessment":
            _act(
                request,
                case,
                forms.AssessmentForm(post, prefix="assessment"),
                lambda d: services.case_record_assessment(actor=user, case=case, **d),
                _("The assessment was recorded."),
            )
        elif action == "goal":
            _act(
                request,
                case,
                forms.GoalForm(post, prefix="goal"),
                lambda d: services.goal_add(actor=user, case=case, **d),
                _("The goal was added."),
            )
        elif action == "intervention":
            _act(
                request,
                case,
                forms.InterventionForm(post, case=case, prefix="intervention"),
                lambda d: services.intervention_add(actor=user, case=case, **d),
                _("The intervention was added."),
            )
        elif action == "intervention_done":
            intervention = case.interventions.filter(pk=post.get("intervention") or 0).first()
            if intervention is None:
                raise Http404
            services.intervention_done(actor=user, intervention=intervention)
            messages.success(request, _("The intervention was marked done."))
        elif action == "submit_plan":
            services.case_plan_submit(actor=user, case=case, note=post.get("note", ""))
            messages.success(request, _("The case plan was submitted."))
        elif action == "follow_up":
            _act(
                request,
                case,
                forms.FollowUpForm(post, prefix="follow_up"),
                lambda d: services.follow_up_add(actor=user, case=case, **d),
                _("The follow-up was planned."),
            )
        elif action == "follow_up_done":
            follow_up = case.follow_ups.filter(pk=post.get("follow_up") or 0).first()
            if follow_up is None:
                raise Http404
            _act(
                request,
                case,
                forms.FollowUpDoneForm(post),
                lambda d: services.follow_up_complete(
                    actor=user, follow_up=follow_up, outcome=d["outcome"], done_on=d["done_on"]
                ),
                _("The follow-up was recorded."),
            )
        elif action == "note":
            _act(
                request,
                case,
                forms.NoteForm(post, files, prefix="note"),
                lambda d: services.note_add(
                    actor=user, case=case, text=d["text"], attachment=d.get("attachment")
                ),
                _("The note was added."),
            )
        elif action == "close":
            _act(
                request,
                case,
                forms.CloseForm(post, prefix="close"),
                lambda d: services.case_close(
                    actor=user, case=case, reason=d["closure_reason"], note=d["note"]
                ),
                _("The closure was recorded."),
            )
        elif action == "reopen":
            _act(
                request,
                case,
                forms.ReopenForm(post, prefix="reopen"),
                lambda d: services.case_reopen(actor=user, case=case, reason=d["reason"]),
                _("The case was reopened."),
            )
        elif action == "assign":
            _act(
                request,
                case,
                forms.AssignForm(post, caseworkers=_caseworkers(), prefix="assign"),
                lambda d: services.case_assign(
                    actor=user, case=case, caseworker=d["caseworker"], reason=d["reason"]
                ),
                _("The case was transferred."),
            )
        elif action == "refer":
            _act(
                request,
                case,
                forms.ReferralForm(post, prefix="refer"),
                lambda d: services.referral_create(
                    actor=user,
                    case=case,
                    service=d["service"],
                    need=d["need"],
                    complete_by=d.get("complete_by"),
                    override_reason=d.get("override_reason", ""),
                ),
                _("The referral was sent."),
            )
        else:
            raise Http404
    except ValidationError as error:
        _fail(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    if action == "assign" and not selectors.case_list_for_user(user).filter(pk=case.pk).exists():
        return redirect("cases:case_list")
    return redirect("cases:case_detail", pk=case.pk)


# --- Supervision -------------------------------------------------------------------------


@require("cases.supervise")
def approval_list(request: HttpRequest) -> HttpResponse:
    approvals = selectors.approvals_pending_for_user(request.user)
    return render(request, "cases/approval_list.html", {"page": page_of(request, approvals)})


@require("cases.supervise")
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = selectors.approval_get_for_user(request.user, pk)
    form = forms.DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.approval_decide(
                actor=request.user,
                approval=approval,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request, _("Approved.") if approve else _("Rejected; the caseworker will see why.")
            )
        except ValidationError as error:
            _fail(request, error)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("cases:approval_list")


@require("cases.supervise")
def overdue_board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.overdue_board(request.user, today)
    totals = {
        kind: sum(r[kind] for r in rows) for kind in ("assessment", "plan", "follow_up", "referral")
    }
    return render(
        request, "cases/overdue_board.html", {"rows": rows, "totals": totals, "today": today}
    )


# --- Referrals ---------------------------------------------------------------------------


def _referral_columns() -> list[Column]:
    return [
        Column(_("Case"), lambda r: r.case.reference),
        Column(_("Person"), lambda r: r.case.person.full_name if r.case.person else ""),
        Column(_("Organisation"), lambda r: r.organisation.name),
        Column(_("Service"), lambda r: r.service.name),
        Column(_("Status"), lambda r: r.get_status_display()),
        Column(_("Sent at"), lambda r: r.sent_at),
        Column(_("Answer due"), lambda r: r.respond_by),
        Column(_("Reason for rejecting"), lambda r: r.rejection_reason),
    ]


@require("cases.view")
def referral_list(request: HttpRequest) -> HttpResponse:
    form = forms.ReferralFilterForm(request.GET or None)
    referrals = selectors.referral_list_for_user(request.user, form.values())
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            referrals, _referral_columns(), filename="referrals", file_format=export
        )
    return render(
        request,
        "cases/referral_list.html",
        {"form": form, "page": page_of(request, referrals), "partner": False},
    )


@require("referrals.respond")
def referral_inbox(request: HttpRequest) -> HttpResponse:
    """The partner's view: referrals sent to their organisation, and nothing else."""
    form = forms.ReferralFilterForm(request.GET or None)
    referrals = selectors.referral_list_for_partner(request.user, form.values())
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            referrals, _referral_columns(), filename="referrals", file_format=export
        )
    return render(
        request,
        "cases/referral_list.html",
        {"form": form, "page": page_of(request, referrals), "partner": True},
    )


@require("referrals.respond")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_partner(request.user, pk)
    record_access(actor=request.user, obj=referral, what="referral")
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "respond_form": forms.RespondForm(),
            "complete_form": forms.CompleteForm(),
            "statuses": ReferralStatus,
        },
    )


@require("referrals.respond")
@require_POST
def referral_respond(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_partner(request.user, pk)
    decision = request.POST.get("decision")
    try:
        if decision == "complete":
            services.referral_complete(
                actor=request.user, referral=referral, outcome=request.POST.get("outcome", "")
            )
            messages.success(request, _("The referral was marked completed."))
        else:
            services.referral_respond(
                actor=request.user,
                referral=referral,
                accept=decision == "accept",
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request,
                _("The referral was accepted.")
                if decision == "accept"
                else _("The referral was rejected."),
            )
    except ValidationError as error:
        _fail(request, error)
    return redirect("cases:referral_detail", pk=referral.pk)
