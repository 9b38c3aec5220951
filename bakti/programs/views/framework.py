"""The results framework page (tree with indicators and targets, XLSX export) and the forms for
results, indicators and targets."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bakti.accounts.access import require

from .. import selectors, services
from ..forms import IndicatorForm, ResultForm, TargetsForm
from ..framework_export import write_framework_xlsx
from ..models import Indicator, Result
from .common import program_for_edit, program_for_view, run_delete, run_service, version_of

RESULT_FIELDS = ["parent", "code", "statement", "assumptions", "order"]


def _context(request: HttpRequest, program, **extra) -> dict:
    return {
        "program": program,
        "section": "framework",
        "can_edit": selectors.can_edit(request.user, program),
        "editable": selectors.is_editable(program),
        "current_module": "programs",
        **extra,
    }


@require("programs.view")
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    program = program_for_view(request, pk)
    if request.GET.get("export") == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_framework_xlsx(program, selectors.result_tree(program), handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{program.code}-framework.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    tree = selectors.result_tree(program)
    rows = [
        {
            "result": result,
            "depth": depth,
            "indent": min(depth * 2, 5),
            "tier": program.tier_label(result.tier),
            "can_have_children": result.tier < program.output_tier,
        }
        for result, depth in tree
    ]
    return render(
        request,
        "programs/framework.html",
        _context(request, program, rows=rows, tiers=program.tier_labels()),
    )


@require("programs.edit")
def result_form(request: HttpRequest, pk: int, result_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    result = selectors.result_get_for_user(request.user, program, result_pk) if result_pk else None
    initial = {}
    if result is None and request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = ResultForm(request.POST or None, instance=result, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in RESULT_FIELDS}
        if result is None:
            action = lambda: services.result_create(actor=request.user, program=program, **data)  # noqa: E731
        else:
            current = Result.objects.get(pk=result.pk)
            action = lambda: services.result_update(  # noqa: E731
                actor=request.user, result=current, data=data, expected_version=version_of(form)
            )
        if run_service(request, form, action, _("The result was saved.")) is not None:
            return redirect("programs:framework", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            form=form,
            title=_("Edit result") if result else _("New result"),
            back=("programs:framework", program.pk),
            delete_url_name="programs:result_delete" if result else None,
            item=result,
        ),
    )


@require_POST
@require("programs.edit")
def result_delete(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    result = selectors.result_get_for_user(request.user, program, result_pk)
    run_delete(
        request,
        lambda: services.result_delete(actor=request.user, result=result),
        _("The result was deleted."),
    )
    return redirect("programs:framework", pk=program.pk)


INDICATOR_FIELDS = [
    "result",
    "code",
    "name",
    "definition",
    "unit",
    "unit_label",
    "numerator",
    "denominator",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_not_applicable",
    "frequency",
    "cumulative_rule",
    "data_source",
    "means_of_verification",
    "disaggregations",
    "order",
]


@require("programs.edit")
def indicator_form(request: HttpRequest, pk: int, indicator_pk: int | None = None) -> HttpResponse:
    program = program_for_edit(request, pk)
    indicator = (
        selectors.indicator_get_for_user(request.user, program, indicator_pk)
        if indicator_pk
        else None
    )
    initial = {}
    if indicator is None and request.GET.get("result"):
        initial["result"] = request.GET["result"]
    form = IndicatorForm(request.POST or None, instance=indicator, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in INDICATOR_FIELDS}
        if indicator is None:
            result = data.pop("result")
            created = run_service(
                request,
                form,
                lambda: services.indicator_create(
                    actor=request.user, program=program, result=result, **data
                ),
                _("The indicator was saved. Now set its targets."),
            )
            if created is not None:
                return redirect(
                    "programs:indicator_targets", pk=program.pk, indicator_pk=created.pk
                )
        else:
            current = Indicator.objects.select_related("program").get(pk=indicator.pk)
            if run_service(
                request,
                form,
                lambda: services.indicator_update(
                    actor=request.user,
                    indicator=current,
                    data=data,
                    expected_version=version_of(form),
                ),
                _("The indicator was saved."),
            ):
                return redirect("programs:framework", pk=program.pk)
    return render(
        request,
        "programs/item_form.html",
        _context(
            request,
            program,
            form=form,
            title=_("Edit indicator") if indicator else _("New indicator"),
            back=("programs:framework", program.pk),
            delete_url_name="programs:indicator_delete" if indicator else None,
            item=indicator,
        ),
    )


@require_POST
@require("programs.edit")
def indicator_delete(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    indicator = selectors.indicator_get_for_user(request.user, program, indicator_pk)
    run_delete(
        request,
        lambda: services.indicator_delete(actor=request.user, indicator=indicator),
        _("The indicator was deleted."),
    )
    return redirect("programs:framework", pk=program.pk)


@require("programs.edit")
def indicator_targets(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    program = program_for_edit(request, pk)
    indicator = selectors.indicator_get_for_user(request.user, program, indicator_pk)
    form = TargetsForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        targets = [
            services.TargetInput(period.start, period.end, value, period.label)
            for period, value in form.target_values()
        ]
        if run_service(
            request,
            form,
            lambda: services.indicator_set_targets(
                actor=request.user,
                indicator=indicator,
                targets=targets,
                end_target=form.cleaned_data.get("end_target"),
                expected_version=version_of(form),
            ),
            _("The targets were saved."),
        ):
            return redirect("programs:framework", pk=program.pk)
    return render(
        request,
        "programs/targets_form.html",
        _context(request, program, form=form, indicator=indicator),
    )
