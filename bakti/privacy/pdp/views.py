"""Pages of the data-protection duties: requests, breaches, retention, records of processing."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit
from bakti.programs.selectors import program_get_for_user, program_list_for_user
from bakti.registry.selectors import person_get_for_user

from . import selectors, services
from .forms import (
    AnswerForm,
    BreachCloseForm,
    BreachFilterForm,
    BreachForm,
    CorrectionForm,
    DpiaForm,
    DsrFilterForm,
    DsrForm,
    LinkPersonForm,
    NoticeForm,
    ProcessingRecordForm,
    RefuseForm,
    RetentionPolicyForm,
    WithdrawForm,
)
from .models import Dpia, ProcessingRecord, RequestKind, RetentionPolicy

VIEW = selectors.VIEW
MANAGE = selectors.MANAGE


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _person(request: HttpRequest, form: Any, field: str = "person_id") -> Any:
    number = form.cleaned_data.get(field)
    if not number:
        return None
    try:
        return person_get_for_user(request.user, number)
    except Http404:
        form.add_error(field, _("No person with this number is in your area."))
        return None


# --- dashboard ------------------------------------------------------------------------------


@require(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    alerts = selectors.dsr_alerts_for_user(request.user)
    overdue = list(alerts["overdue"][:20])
    due_soon = list(alerts["due_soon"][:20])
    open_requests = selectors.dsr_list_for_user(request.user, {"state": "open"}).count()
    late_breaches = list(selectors.breaches_overdue(request.user)[:20])
    return render(
        request,
        "pdp/dashboard.html",
        {
            "overdue": overdue,
            "due_soon": due_soon,
            "open_requests": open_requests,
            "late_breaches": late_breaches,
            "can_manage": has(request.user, MANAGE),
        },
    )


# --- data-subject requests ------------------------------------------------------------------


def _dsr_columns() -> list[Column]:
    return [
        Column(_("Number"), lambda r: f"DSR-{r.pk}"),
        Column(_("Right exercised"), lambda r: r.get_kind_display()),
        Column(_("Person"), lambda r: str(r.person) if r.person else ""),
        Column(_("Requester"), lambda r: r.requester_name),
        Column(_("Requester is"), lambda r: r.get_requester_relation_display()),
        Column(_("Received by"), lambda r: r.get_channel_display()),
        Column(_("Received at"), lambda r: r.received_at),
        Column(_("Answer due"), lambda r: r.due_at),
        Column(_("Status"), lambda r: r.get_status_display()),
        Column(_("Answered at"), lambda r: r.answered_at),
        Column(_("Reason for refusal"), lambda r: r.refusal_reason),
        Column(_("Handled by"), lambda r: str(r.handled_by) if r.handled_by else ""),
    ]


@require(VIEW)
def dsr_list(request: HttpRequest) -> HttpResponse:
    form = DsrFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.dsr_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            rows.iterator(), _dsr_columns(), filename="data-subject-requests", file_format=export
        )
    page = page_of(request, rows)
    template = "pdp/dsr_list.html#results" if request.htmx else "pdp/dsr_list.html"
    return render(
        request, template, {"form": form, "page": page, "can_manage": has(request.user, MANAGE)}
    )


@require(MANAGE)
def dsr_create(request: HttpRequest) -> HttpResponse:
    form = DsrForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _person(request, form)
        if not form.errors:
            try:
                item = services.dsr_receive(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    person=person,
                    region=form.cleaned_data.get("region"),
                    requester_name=form.cleaned_data["requester_name"],
                    requester_relation=form.cleaned_data["requester_relation"],
                    requester_contact=form.cleaned_data["requester_contact"],
                    channel=form.cleaned_data["channel"],
                    received_at=form.cleaned_data["received_at"],
                    details=form.cleaned_data["details"],
                )
            except PermissionDenied:
                form.add_error("region", _("This region is outside your area."))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("The request is recorded; the answer is due in 72 hours.")
                )
                return redirect("privacy:dsr_detail", pk=item.pk)
    return render(request, "pdp/dsr_form.html", {"form": form})


def _action_forms(item: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    """The forms offered on a request's page for its kind (only the submitted one is bound)."""

    def bound(name: str) -> Any:
        return data if which == name else None

    forms: dict[str, Any] = {"refuse": RefuseForm(bound("refuse"), prefix="refuse")}
    if item.person is None:
        forms["link"] = LinkPersonForm(bound("link"), prefix="link")
        return forms
    action = {
        RequestKind.ACCESS: "answer",
        RequestKind.CORRECTION: "correct",
        RequestKind.RESTRICTION: "restrict",
        RequestKind.WITHDRAWAL: "withdraw",
        RequestKind.DELETION: "erase",
        RequestKind.OBJECTION: "object",
    }[item.kind]
    if action == "correct":
        forms[action] = CorrectionForm(bound(action), prefix=action)
    elif action == "withdraw":
        forms[action] = WithdrawForm(bound(action), prefix=action, person=item.person)
    else:
        forms[action] = AnswerForm(bound(action), prefix=action)
    return forms


def _dsr_page(request: HttpRequest, item: Any, forms: dict[str, Any] | None = None) -> HttpResponse:
    can_manage = (
        has(request.user, MANAGE)
        and selectors.dsr_list_for_user(request.user, capability=MANAGE).filter(pk=item.pk).exists()
    )
    context = {
        "item": item,
        "can_manage": can_manage,
        "forms": forms if forms is not None else (_action_forms(item) if item.is_open else {}),
        "holds": [],
        "limits": [],
    }
    if item.person is not None:
        from .subjects import legal_holds

        if item.kind == RequestKind.DELETION and item.is_open:
            context["holds"] = legal_holds(item.person)
        context["limits"] = list(selectors.limits_of(item.person))
    return render(request, "pdp/dsr_detail.html", context)


@require(VIEW)
def dsr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _dsr_page(request, selectors.dsr_get_for_user(request.user, pk))


@require(MANAGE)
@require_POST
def dsr_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = selectors.dsr_get_for_user(request.user, pk, capability=MANAGE)
    if action == "start":
        try:
            services.dsr_start(actor=request.user, request=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("privacy:dsr_detail", pk=item.pk)
    if not item.is_open:
        raise Http404
    forms = _action_forms(item, request.POST, action)
    form = forms.get(action)
    if form is None:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        answer = {
            "answer": data.get("answer", ""),
            "answer_channel": data.get("answer_channel", ""),
        }
        try:
            if action == "link":
                person = _person(request, form)
                if person is not None:
                    services.dsr_link_person(actor=request.user, request=item, person=person)
            elif action == "refuse":
                services.dsr_refuse(
                    actor=request.user,
                    request=item,
                    refusal_reason=data["refusal_reason"],
                    **answer,
                )
            elif action == "answer":
                services.dsr_answer(actor=request.user, request=item, **answer)
            elif action == "correct":
                services.dsr_correct(
                    actor=request.user, request=item, data=form.corrections(), **answer
                )
            elif action == "restrict":
                services.dsr_restrict(actor=request.user, request=item, **answer)
            elif action == "object":
                services.dsr_object_to_scoring(actor=request.user, request=item, **answer)
            elif action == "withdraw":
                services.dsr_withdraw_consent(
                    actor=request.user, request=item, consents=list(data["consents"]), **answer
                )
            elif action == "erase":
                services.dsr_erase(actor=request.user, request=item, **answer)
        except PermissionDenied:
            form.add_error(None, _("You may not change this person's record."))
        except ValidationError as error:
            _apply_errors(form, error)
        if not form.errors:
            item.refresh_from_db()
            if item.status == "refused":
                messages.warning(request, _("The request was refused; the reason is kept."))
            else:
                messages.success(request, _("Saved."))
            return redirect("privacy:dsr_detail", pk=item.pk)
    return _dsr_page(request, item, forms)


@require(MANAGE)
def dsr_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    item = selectors.dsr_get_for_user(request.user, pk, capability=MANAGE)
    if file_format not in {"json", "pdf"}:
        raise Http404
    try:
        data = services.dsr_access_export(actor=request.user, request=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:dsr_detail", pk=item.pk)
    name = f"data-{item.person_id}-dsr-{item.pk}"
    if file_format == "json":
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    else:
        from bakti.reports.documents import render_pdf

        pdf = render_pdf("pdp/access_export_pdf.html", {"item": item, "data": data})
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@require(MANAGE)
@require_POST
def limit_lift(request: HttpRequest, pk: int) -> HttpResponse:
    limit = selectors.limit_get(pk)
    person_get_for_user(request.user, limit.person_id)  # 404 outside the user's area
    try:
        services.processing_limit_lift(
            actor=request.user, limit=limit, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("The limit is lifted."))
    back = selectors.dsr_list_for_user(request.user).filter(pk=limit.request_id).first()
    if back is not None:
        return redirect("privacy:dsr_detail", pk=back.pk)
    return redirect("privacy:pdp_dashboard")


# --- breaches -------------------------------------------------------------------------------


def _breach_columns() -> list[Column]:
    return [
        Column(_("Title"), lambda b: b.title),
        Column(_("Discovered at"), lambda b: b.discovered_at),
        Column(_("Occurred at"), lambda b: b.occurred_at),
        Column(_("Notification due"), lambda b: b.notify_due_at),
        Column(_("Data categories"), lambda b: ", ".join(b.category_labels())),
        Column(_("Number of people affected"), lambda b: b.people_affected),
        Column(_("Status"), lambda b: b.get_status_display()),
        Column(_("Actions taken"), lambda b: b.actions_taken),
    ]


@require(VIEW)
def breach_list(request: HttpRequest) -> HttpResponse:
    form = BreachFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.breach_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            rows.iterator(), _breach_columns(), filename="breaches", file_format=export
        )
    page = page_of(request, rows)
    template = "pdp/breach_list.html#results" if request.htmx else "pdp/breach_list.html"
    return render(
        request, template, {"form": form, "page": page, "can_manage": has(request.user, MANAGE)}
    )


@require(MANAGE)
def breach_create(request: HttpRequest) -> HttpResponse:
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        persons = []
        for number in form.cleaned_data["person_ids"]:
            try:
                persons.append(person_get_for_user(request.user, number))
            except Http404:
                form.add_error(
                    "person_ids",
                    _("No person with the number %(number)s is in your area.") % {"number": number},
                )
        if not form.errors:
            data = form.cleaned_data
            try:
                breach = services.breach_record(
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    occurred_at=data["occurred_at"],
                    discovered_at=data["discovered_at"],
                    data_categories=data["data_categories"],
                    people_affected=data["people_affected"],
                    persons=persons,
                    actions_taken=data["actions_taken"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The breach is recorded; notices are due in 72 hours."))
                return redirect("privacy:breach_detail", pk=breach.pk)
    return render(request, "pdp/breach_form.html", {"form": form})


def _breach_page(request: HttpRequest, breach: Any, **forms: Any) -> HttpResponse:
    context = {
        "breach": breach,
        "notices": list(breach.notices.select_related("recorded_by")),
        "persons": list(breach.persons.select_related("region")[:100]),
        "can_manage": has(request.user, MANAGE),
        "notice_form": forms.get("notice_form") or NoticeForm(prefix="notice"),
        "close_form": forms.get("close_form")
        or BreachCloseForm(prefix="close", initial={"actions_taken": breach.actions_taken}),
    }
    return render(request, "pdp/breach_detail.html", context)


@require(VIEW)
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _breach_page(request, selectors.breach_get_for_user(request.user, pk))


@require(MANAGE)
@require_POST
def breach_notice(request: HttpRequest, pk: int) -> HttpResponse:
    breach = selectors.breach_get_for_user(request.user, pk)
    form = NoticeForm(request.POST, prefix="notice")
    if form.is_valid():
        try:
            services.breach_notice_add(actor=request.user, breach=breach, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The notice is kept."))
            return redirect("privacy:breach_detail", pk=breach.pk)
    return _breach_page(request, breach, notice_form=form)


@require(MANAGE)
@require_POST
def breach_close(request: HttpRequest, pk: int) -> HttpResponse:
    breach = selectors.breach_get_for_user(request.user, pk)
    form = BreachCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.breach_close(
                actor=request.user, breach=breach, actions_taken=form.cleaned_data["actions_taken"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The breach is closed."))
            return redirect("privacy:breach_detail", pk=breach.pk)
    return _breach_page(request, breach, close_form=form)


# --- retention ------------------------------------------------------------------------------


def _candidate_columns() -> list[Column]:
    return [
        Column(_("Number"), lambda p: p.pk),
        Column(_("Person"), lambda p: p.full_name),
        Column(_("Region"), lambda p: str(p.region)),
        Column(_("Left the last program on"), lambda p: p.last_exit),
        Column(_("Open case"), lambda p: _("yes") if p.open_case else _("no")),
    ]


@require(VIEW)
def retention(request: HttpRequest) -> HttpResponse:
    """The retention periods, the people the next run would anonymise (a dry run, computed
    live), and the runs so far."""
    period, cutoff = services.retention_cutoff()
    candidates = selectors.retention_candidates(cutoff)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            candidates.iterator(),
            _candidate_columns(),
            filename="retention-dry-run",
            file_format=export,
        )
    page = page_of(request, candidates)
    template = "pdp/retention.html#results" if request.htmx else "pdp/retention.html"
    return render(
        request,
        template,
        {
            "policies": selectors.retention_policy_list(),
            "runs": selectors.retention_run_list()[:10],
            "period": period,
            "cutoff": cutoff,
            "page": page,
            "can_manage": has(request.user, MANAGE),
        },
    )


@require(MANAGE)
@require_POST
def retention_run(request: HttpRequest) -> HttpResponse:
    dry_run = request.POST.get("dry_run") == "1"
    run = services.retention_apply(actor=request.user, dry_run=dry_run)
    if dry_run:
        messages.info(
            request,
            _(
                "Dry run: %(count)s people would be anonymised, %(held)s kept for a legal "
                "obligation."
            )
            % {"count": len(run.details.get("would_anonymise", [])), "held": run.held},
        )
    else:
        messages.success(
            request,
            _("%(count)s people anonymised, %(held)s kept for a legal obligation.")
            % {"count": run.anonymised, "held": run.held},
        )
    return redirect("privacy:retention")


@require(MANAGE)
def retention_policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policy = RetentionPolicy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404
    form = RetentionPolicyForm(
        request.POST or None, instance=policy, initial={"version": policy.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("period_months", "starts", "action")}
        try:
            services.retention_policy_update(
                actor=request.user,
                policy=RetentionPolicy.objects.get(pk=pk),
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy:retention")
    return render(request, "pdp/policy_form.html", {"form": form, "policy": policy})


# --- records of processing and DPIA ---------------------------------------------------------


def _ropa_columns() -> list[Column]:
    return [
        Column(_("Program"), lambda p: p.name),
        Column(_("Purposes of processing"), lambda p: p.ropa.purposes if p.ropa else ""),
        Column(_("Legal basis"), lambda p: p.ropa.get_legal_basis_display() if p.ropa else ""),
        Column(
            _("Data categories"), lambda p: ", ".join(p.ropa.category_labels()) if p.ropa else ""
        ),
        Column(_("Retention"), lambda p: p.ropa.retention if p.ropa else ""),
    ]


def _with_records(programs: list[Any]) -> list[Any]:
    records = {r.program_id: r for r in ProcessingRecord.objects.filter(program__in=programs)}
    signed = set(
        Dpia.objects.filter(program__in=programs, status="signed_off").values_list(
            "program_id", flat=True
        )
    )
    for program in programs:
        program.ropa = records.get(program.pk)
        program.dpia_signed = program.pk in signed
    return programs


@require(VIEW)
def ropa_list(request: HttpRequest) -> HttpResponse:
    programs = program_list_for_user(request.user).order_by("name", "pk")
    if request.GET.get("q"):
        programs = programs.filter(name__icontains=request.GET["q"])
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            _with_records(list(programs)), _ropa_columns(), filename="ropa", file_format=export
        )
    page = page_of(request, programs)
    page.object_list = _with_records(list(page.object_list))
    template = "pdp/ropa_list.html#results" if request.htmx else "pdp/ropa_list.html"
    return render(request, template, {"page": page, "q": request.GET.get("q", "")})


@require(VIEW)
def ropa_detail(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_get_for_user(request.user, program_pk)
    ropa = selectors.processing_record_list().filter(program=program).first()
    context = {
        "program": program,
        "ropa": ropa,
        "dpias": list(selectors.dpia_list(program)),
        "can_manage": has(request.user, MANAGE),
    }
    if request.GET.get("format") == "pdf":
        from bakti.reports.documents import render_pdf

        response = HttpResponse(
            render_pdf("pdp/ropa_pdf.html", context), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="ropa-{program.pk}.pdf"'
        return response
    template = "pdp/ropa_print.html" if request.GET.get("print") else "pdp/ropa_detail.html"
    return render(request, template, context)


@require(MANAGE)
def ropa_edit(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = program_get_for_user(request.user, program_pk)
    record = ProcessingRecord.objects.filter(program=program).first()
    initial = {"version": record.version} if record else {}
    if record:
        initial["recipients"] = list(record.recipients.all())
    form = ProcessingRecordForm(request.POST or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"recipients", "version"}}
        try:
            services.processing_record_save(
                actor=request.user,
                program=program,
                data=data,
                recipients=form.cleaned_data["recipients"],
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The record of processing is saved."))
            return redirect("privacy:ropa_detail", program_pk=program.pk)
    return render(request, "pdp/ropa_form.html", {"form": form, "program": program})


def _dpia_for(request: HttpRequest, pk: int) -> Dpia:
    dpia = selectors.dpia_list().filter(pk=pk).first()
    if dpia is None:
        raise Http404
    program_get_for_user(request.user, dpia.program_id)
    return dpia


@require(MANAGE)
def dpia_form(request: HttpRequest, program_pk: int, pk: int | None = None) -> HttpResponse:
    program = program_get_for_user(request.user, program_pk)
    dpia = _dpia_for(request, pk) if pk else None
    if dpia is not None and dpia.program_id != program.pk:
        raise Http404
    form = DpiaForm(
        request.POST or None, instance=dpia, initial={"version": dpia.version} if dpia else {}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if dpia is None:
                services.dpia_create(actor=request.user, program=program, data=data)
            else:
                services.dpia_update(
                    actor=request.user,
                    dpia=Dpia.objects.get(pk=dpia.pk),
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The impact assessment is saved."))
            return redirect("privacy:ropa_detail", program_pk=program.pk)
    return render(request, "pdp/dpia_form.html", {"form": form, "program": program, "dpia": dpia})


@require(MANAGE)
@require_POST
def dpia_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    dpia = _dpia_for(request, pk)
    try:
        services.dpia_sign_off(actor=request.user, dpia=dpia)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The impact assessment is signed off."))
    return redirect("privacy:ropa_detail", program_pk=dpia.program_id)
