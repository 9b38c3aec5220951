"""Monitoring pages: programs with their health, the indicator tracking table, entering and
approving actuals, computation rules, evaluations, alerts and thresholds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit

from . import forms, rules, selectors, services, tasks
from .models import HealthSettings
from .selectors import latest_health
from .tracking import flat_headers, flat_rows, indicator_periods, tracking_table


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errs:
                form.add_error(target, message if target else f"{field}: {message}")
    else:
        for message in error.messages:
            form.add_error(None, message)


@require("monitoring.view")
def program_list(request: HttpRequest) -> HttpResponse:
    form = forms.ProgramFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    programs = selectors.program_list_for_user(request.user, filters=filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        rows = list(programs)
        health = latest_health([p.pk for p in rows])
        columns = [
            Column(_("Code"), lambda p: p.code),
            Column(_("Program"), lambda p: p.name),
            Column(_("Status"), lambda p: p.get_status_display()),
            Column(_("Manager"), lambda p: str(p.manager or "")),
            Column(_("Start"), lambda p: p.start_date),
            Column(_("End"), lambda p: p.end_date),
            Column(
                _("Health"),
                lambda p: health[p.pk].get_status_display() if p.pk in health else "",
            ),
            Column(
                _("Reasons"),
                lambda p: (
                    " ".join(r["text"] for r in health[p.pk].reasons) if p.pk in health else ""
                ),
            ),
        ]
        return export_response(rows, columns, filename="programs-monitoring", file_format=export)
    page = page_of(request, programs)
    health = latest_health([p.pk for p in page])
    for program in page:
        program.health = health.get(program.pk)
    template = (
        "monitoring/program_list.html#results" if request.htmx else "monitoring/program_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def _as_of(request: HttpRequest) -> tuple[forms.TrackingForm, dt.date]:
    form = forms.TrackingForm(request.GET or None)
    as_of = None
    if form.is_valid():
        as_of = form.cleaned_data.get("as_of")
    return form, as_of or timezone.localdate()


@require("monitoring.view")
def tracking(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator tracking table of one program; the same numbers as the XLSX, the PDF and
    the API, because all of them come from ``tracking_table``."""
    program = selectors.program_get_for_user(request.user, pk)
    form, as_of = _as_of(request)
    table = tracking_table(program, as_of=as_of)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        headers = flat_headers()
        columns = [Column(h, lambda row, i=i: row[i]) for i, h in enumerate(headers)]
        return export_response(
            flat_rows(table),
            columns,
            filename=f"itt-{program.code}-{as_of.isoformat()}",
            file_format=export,
        )
    health = latest_health([program.pk]).get(program.pk)
    return render(
        request,
        "monitoring/tracking.html",
        {
            "program": program,
            "table": table,
            "form": form,
            "health": health,
            "can_enter": has(request.user, "monitoring.enter"),
            "can_approve": has(request.user, "monitoring.approve"),
        },
    )


@require("monitoring.approve")
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_user(request.user, pk, capability="monitoring.approve")
    transaction.on_commit(lambda: tasks.compute_program.enqueue(program.pk))
    messages.success(
        request,
        _("The computed indicators of %(program)s are being recalculated.")
        % {"program": program.code},
    )
    return redirect("monitoring:tracking", pk=program.pk)


@require("monitoring.view")
def result_list(request: HttpRequest) -> HttpResponse:
    form = forms.ResultFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.result_list_for_user(request.user, filters=filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Program"), lambda r: r.indicator.program.code),
            Column(_("Indicator code"), lambda r: r.indicator.code),
            Column(_("Indicator"), lambda r: r.indicator.name),
            Column(_("Period start"), lambda r: r.period_start),
            Column(_("Period end"), lambda r: r.period_end),
            Column(_("Value"), lambda r: r.value),
            Column(_("Source"), lambda r: r.get_source_display()),
            Column(_("Status"), lambda r: r.get_status_display()),
            Column(_("Submitted by"), lambda r: str(r.submitted_by or "")),
            Column(_("Approved by"), lambda r: str(r.approved_by or "")),
        ]
        return export_response(
            results.iterator(), columns, filename="indicator-actuals", file_format=export
        )
    page = page_of(request, results)
    template = (
        "monitoring/result_list.html#results" if request.htmx else "monitoring/result_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def _entry_context(indicator: Any) -> dict[str, Any]:
    regions: list[Any] = []
    ppks: list[Any] = []
    wanted = set(indicator.disaggregations or [])
    if "region" in wanted:
        from bakti.regions.models import Region

        codes = list(indicator.program.regions.values_list("code", flat=True))
        kecamatan = Region.objects.filter(level=3)
        if codes:
            from django.db.models import Q

            q = Q(pk__in=[])
            for code in codes:
                q |= Q(code__startswith=code + ".") | Q(code=code)
            kecamatan = kecamatan.filter(q)
        regions = list(kecamatan.order_by("code")[:200])
    if "ppks" in wanted:
        ppks = list(apps.get_model("programs", "PPKSCategory").objects.filter(is_active=True))
    return {"regions": regions, "ppks": ppks}


@require("monitoring.enter")
def result_enter(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    """Enter or change the value of an indicator for one period (``?start=YYYY-MM-DD``)."""
    indicator = selectors.indicator_get_for_user(
        request.user, indicator_pk, capability="monitoring.enter"
    )
    results = list(indicator.actuals.all())
    periods = indicator_periods(indicator, indicator.targets.all(), results)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = periods[0][0] if periods else None
    period = next((p for p in periods if p[0] == start), None)
    if period is None:
        raise Http404
    existing = next((r for r in results if r.period_start == start), None)
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "value": existing.value,
            "numerator": existing.numerator,
            "denominator": existing.denominator,
            "note": existing.note,
            "evidence_url": existing.evidence_url,
            "version": existing.version,
        }
        for value in existing.values.all():
            initial[f"d__{value.dimension}__{value.category}"] = value.value
    context = _entry_context(indicator)
    form = forms.ResultEntryForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        indicator=indicator,
        **context,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.indicator_result_save(
                actor=request.user,
                indicator=indicator,
                period_start=period[0],
                period_end=period[1],
                value=data["value"],
                breakdown=form.breakdown(),
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                note=data.get("note", ""),
                evidence_url=data.get("evidence_url", ""),
                evidence_file=data.get("evidence_file"),
                reason=data.get("reason", ""),
                expected_version=data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if request.POST.get("submit_now"):
                try:
                    services.indicator_result_submit(actor=request.user, result=result)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
            messages.success(request, _("The value was saved."))
            return redirect("monitoring:result_detail", pk=result.pk)
    return render(
        request,
        "monitoring/result_form.html",
        {"indicator": indicator, "period": period, "form": form, "existing": existing},
    )


@require("monitoring.view")
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_get_for_user(request.user, pk)
    from bakti.privacy.models import AuditEvent

    history = AuditEvent.objects.for_object(result).select_related("actor")[:50]
    return render(
        request,
        "monitoring/result_detail.html",
        {
            "result": result,
            "history": history,
            "reason_form": forms.ReasonForm(),
            "can_enter": has(request.user, "monitoring.enter"),
            "can_approve": has(request.user, "monitoring.approve"),
        },
    )


@require("monitoring.enter")
@require_POST
def result_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    result = selectors.result_get_for_user(request.user, pk, capability="monitoring.enter")
    actions = {
        "submit": lambda: services.indicator_result_submit(actor=request.user, result=result),
        "approve": lambda: services.indicator_result_approve(actor=request.user, result=result),
        "lock": lambda: services.indicator_result_lock(actor=request.user, result=result),
        "return": lambda: services.indicator_result_return(
            actor=request.user, result=result, reason=request.POST.get("reason", "")
        ),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Done: the value is now %(status)s.")
            % {"status": result.get_status_display().lower()},
        )
    return redirect("monitoring:result_detail", pk=result.pk)


@require("monitoring.approve")
def rule_edit(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    """Declare which rule computes an indicator, and its parameters."""
    indicator = selectors.indicator_get_for_user(
        request.user, indicator_pk, capability="monitoring.approve"
    )
    current = (
        getattr(indicator, "computation_rule", None)
        if hasattr(indicator, "computation_rule")
        else None
    )
    available = rules.available_rule_types()
    error_text = ""
    if request.method == "POST":
        code = request.POST.get("rule_type", "")
        params = {
            p.name: request.POST.get(f"param_{code}_{p.name}", "")
            for rule in available
            if rule.code == code
            for p in rule.params
        }
        try:
            services.indicator_rule_set(
                actor=request.user,
                indicator=indicator,
                rule_type=code,
                params=params,
                is_active=bool(request.POST.get("is_active")),
            )
        except ValidationError as error:
            error_text = (
                " ".join(f"{m}" for messages_ in error.message_dict.values() for m in messages_)
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
        else:
            messages.success(request, _("The computation rule was saved."))
            return redirect("monitoring:tracking", pk=indicator.program_id)
    choices = [
        (
            rule,
            [
                (
                    param,
                    current.params.get(param.name, "")
                    if current and current.rule_type == rule.code
                    else "",
                )
                for param in rule.params
            ],
        )
        for rule in available
    ]
    return render(
        request,
        "monitoring/rule_form.html",
        {
            "indicator": indicator,
            "current": current,
            "choices": choices,
            "error_text": error_text,
        },
    )


# ---------------------------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------------------------


@require("monitoring.view")
def evaluation_list(request: HttpRequest) -> HttpResponse:
    form = forms.EvaluationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    evaluations = selectors.evaluation_list_for_user(request.user, filters=filters)
    if filters.get("evaluator_kind"):
        evaluations = evaluations.filter(evaluator_kind=filters["evaluator_kind"])
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Program"), lambda e: e.program.code),
            Column(_("Title"), lambda e: e.title),
            Column(_("Type"), lambda e: e.get_evaluation_type_display()),
            Column(_("Start"), lambda e: e.start_date),
            Column(_("End"), lambda e: e.end_date),
            Column(_("Evaluator"), lambda e: e.evaluator_name),
            Column(_("Status"), lambda e: e.get_status_display()),
        ]
        return export_response(
            evaluations.iterator(), columns, filename="evaluations", file_format=export
        )
    page = page_of(request, evaluations)
    template = (
        "monitoring/evaluation_list.html#results"
        if request.htmx
        else "monitoring/evaluation_list.html"
    )
    return render(request, template, {"form": form, "page": page})


@require("monitoring.view")
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
    return render(
        request,
        "monitoring/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "can_enter": has(request.user, "monitoring.enter"),
            "document_form": forms.DocumentForm(),
        },
    )


@require("monitoring.enter")
def evaluation_create(request: HttpRequest, program_pk: int) -> HttpResponse:
    program = selectors.program_get_for_user(
        request.user, program_pk, capability="monitoring.enter"
    )
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            evaluation = services.evaluation_create(actor=request.user, program=program, **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The evaluation was created."))
            return redirect("monitoring:evaluation_detail", pk=evaluation.pk)
    return render(request, "monitoring/evaluation_form.html", {"form": form, "program": program})


@require("monitoring.enter")
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk, capability="monitoring.enter")
    form = forms.EvaluationForm(
        request.POST or None,
        instance=evaluation,
        initial={"version": evaluation.version},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = selectors.evaluation_get_for_user(request.user, pk, capability="monitoring.enter")
        try:
            services.evaluation_update(
                actor=request.user,
                evaluation=fresh,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect("monitoring:evaluation_detail", pk=pk)
    return render(
        request,
        "monitoring/evaluation_form.html",
        {"form": form, "program": evaluation.program, "evaluation": evaluation},
    )


@require("monitoring.enter")
@require_POST
def evaluation_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk, capability="monitoring.enter")
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.evaluation_document_add(
            actor=request.user,
            evaluation=evaluation,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("The document was added."))
    elif request.FILES.get("file") and form.has_error("file"):
        for message in form.errors["file"]:  # too large, or not a document type
            messages.error(request, message)
    else:
        messages.error(request, _("Give the document a title and choose a file."))
    return redirect("monitoring:evaluation_detail", pk=pk)


@require("monitoring.enter")
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk, capability="monitoring.enter")
    form = forms.RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.recommendation_create(actor=request.user, evaluation=evaluation, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The recommendation was added."))
            return redirect("monitoring:evaluation_detail", pk=pk)
    return render(
        request,
        "monitoring/recommendation_form.html",
        {"form": form, "evaluation": evaluation},
    )


@require("monitoring.enter")
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_get_for_user(
        request.user, pk, capability="monitoring.enter"
    )
    form = forms.RecommendationForm(
        request.POST or None,
        instance=recommendation,
        initial={"version": recommendation.version},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = selectors.recommendation_get_for_user(
            request.user, pk, capability="monitoring.enter"
        )
        try:
            services.recommendation_update(
                actor=request.user,
                recommendation=fresh,
                data=data,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except PermissionDenied as error:
            form.add_error("response", str(error))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect("monitoring:evaluation_detail", pk=recommendation.evaluation_id)
    return render(
        request,
        "monitoring/recommendation_form.html",
        {"form": form, "evaluation": recommendation.evaluation, "recommendation": recommendation},
    )


# ---------------------------------------------------------------------------------------------
# Alerts and thresholds
# ---------------------------------------------------------------------------------------------


@require("monitoring.view")
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = selectors.alert_list_for_user(request.user)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("At"), lambda a: a.created_at),
            Column(_("Program"), lambda a: a.program.code),
            Column(_("Level"), lambda a: a.get_level_display()),
            Column(_("Message"), lambda a: a.message),
            Column(_("Read at"), lambda a: a.read_at),
        ]
        return export_response(alerts.iterator(), columns, filename="alerts", file_format=export)
    page = page_of(request, alerts)
    return render(request, "monitoring/alert_list.html", {"page": page})


@require("monitoring.view")
@require_POST
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_list_for_user(request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    services.alert_mark_read(actor=request.user, alert=alert)
    return redirect("monitoring:alert_list")


@require("monitoring.approve")
def health_settings(request: HttpRequest) -> HttpResponse:
    """The default thresholds for traffic lights and program health."""
    current = HealthSettings.objects.filter(program__isnull=True).first() or HealthSettings()
    form = forms.HealthSettingsForm(
        request.POST or None, instance=current, initial={"version": current.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.health_settings_save(
                actor=request.user,
                program=None,
                data=data,
                expected_version=form.cleaned_data.get("version") if current.pk else None,
            )
        except StaleEdit as error:
            show_stale_edit(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The thresholds were saved."))
            return redirect("monitoring:health_settings")
    return render(request, "monitoring/health_settings.html", {"form": form})
