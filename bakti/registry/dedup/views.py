"""Pages of deduplication: the review queue, one pair side by side, merge history and undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bakti.accounts.access import require, scope_for
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.registry.models import DuplicateStatus, mask_id

from . import services
from .forms import DuplicateFilterForm, MergeForm
from .reasons import reason_text
from .selectors import (
    MERGE_CAPABILITY,
    DuplicateFilters,
    duplicate_get_for_user,
    duplicate_list_for_user,
    merge_get_for_user,
    merge_list_for_user,
)

COMPARED = [
    ("full_name", gettext_lazy("Full name")),
    ("nik", gettext_lazy("NIK")),
    ("sex", gettext_lazy("Sex")),
    ("birth_date", gettext_lazy("Birth date")),
    ("birth_place", gettext_lazy("Birth place")),
    ("region", gettext_lazy("Desa/kelurahan")),
    ("household", gettext_lazy("Household (KK)")),
    ("relationship", gettext_lazy("Relationship to head")),
    ("phone", gettext_lazy("Phone")),
]


@require(MERGE_CAPABILITY)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    form = DuplicateFilterForm(request.GET or {"status": DuplicateStatus.OPEN})
    filters = DuplicateFilters()
    if form.is_valid():
        filters = DuplicateFilters(
            status=form.cleaned_data["status"],
            min_score=form.cleaned_data["min_score"],
            region=form.cleaned_data["region"],
        )
    rows = duplicate_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Similarity"), lambda c: round(c.score, 3)),
            Column(_("Person A"), lambda c: c.person_a.full_name),
            Column(_("NIK A"), lambda c: mask_id(c.person_a.nik)),
            Column(_("Person B"), lambda c: c.person_b.full_name),
            Column(_("NIK B"), lambda c: mask_id(c.person_b.nik)),
            Column(_("Desa/kelurahan"), lambda c: c.region_id),
            Column(_("Reasons"), lambda c: "; ".join(reason_text(r["detail"]) for r in c.reasons)),
            Column(_("Status"), lambda c: c.get_status_display()),
        ]
        return export_response(
            rows.iterator(), columns, filename="possible-duplicates", file_format=export
        )
    page = page_of(request, rows)
    template = (
        "registry/dedup/duplicate_list.html#results"
        if request.htmx
        else "registry/dedup/duplicate_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def _value(person, name: str) -> str:
    if name == "nik":
        return mask_id(person.nik)
    if name == "region":
        return str(person.region)
    if name == "household":
        return mask_id(person.household.no_kk) if person.household else "–"
    if name in ("sex", "relationship"):
        return getattr(person, f"get_{name}_display")() or "–"
    value = getattr(person, name)
    return str(value) if value not in (None, "") else "–"


@require(MERGE_CAPABILITY)
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, a, b = duplicate_get_for_user(request.user, pk)
    rows = [
        (label, _value(a, name), _value(b, name), _value(a, name) == _value(b, name))
        for name, label in COMPARED
    ]
    context = {"candidate": candidate, "a": a, "b": b, "rows": rows, "form": MergeForm()}
    return render(request, "registry/dedup/duplicate_detail.html", context)


@require(MERGE_CAPABILITY)
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, a, b = duplicate_get_for_user(request.user, pk)
    form = MergeForm(request.POST)
    keep = None
    if form.is_valid():
        keep = {a.pk: a, b.pk: b}.get(form.cleaned_data["keep"])
    if keep is None:
        messages.error(request, _("Choose which of the two records to keep."))
        return redirect("registry:duplicates:detail", pk=pk)
    try:
        merged = services.person_merge(
            actor=request.user, candidate=candidate, keep=keep, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:duplicates:detail", pk=pk)
    messages.success(
        request,
        _("The records were merged into %(name)s. You can undo this from the merge history.")
        % {"name": merged.kept.full_name},
    )
    return redirect("registry:duplicates:list")


@require(MERGE_CAPABILITY)
@require_POST
def distinct(request: HttpRequest, pk: int) -> HttpResponse:
    candidate, _a, _b = duplicate_get_for_user(request.user, pk)
    try:
        services.duplicate_mark_distinct(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:duplicates:detail", pk=pk)
    messages.success(
        request, _("Marked as different people; this pair will not be proposed again.")
    )
    return redirect("registry:duplicates:list")


@require(MERGE_CAPABILITY)
def merge_list(request: HttpRequest) -> HttpResponse:
    merges = merge_list_for_user(request.user)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Merged at"), lambda m: m.merged_at),
            Column(_("Kept record"), lambda m: m.kept.full_name),
            Column(
                _("Removed record"), lambda m: m.removed_snapshot.get("fields", {}).get("full_name")
            ),
            Column(_("Links moved"), lambda m: len(m.moved_links)),
            Column(_("Merged by"), lambda m: m.merged_by.username if m.merged_by else ""),
            Column(_("Undone at"), lambda m: m.undone_at),
        ]
        return export_response(merges.iterator(), columns, filename="merges", file_format=export)
    page = page_of(request, merges)
    template = (
        "registry/dedup/merge_list.html#results"
        if request.htmx
        else "registry/dedup/merge_list.html"
    )
    return render(request, template, {"page": page})


@require(MERGE_CAPABILITY)
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge_record = merge_get_for_user(request.user, pk)
    try:
        restored = services.person_merge_undo(actor=request.user, merge=merge_record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The merge was undone: %(name)s is a separate record again.")
            % {"name": restored.full_name},
        )
    return redirect("registry:duplicates:merges")


@require(MERGE_CAPABILITY)
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    """Start a duplicate search in the background, over the kabupaten the user may merge in."""
    from .tasks import run_duplicate_search

    codes = scope_for(request.user, MERGE_CAPABILITY).region_codes
    kabupaten = None if codes is None else sorted({code[:5] for code in codes})
    transaction.on_commit(lambda: run_duplicate_search.enqueue(kabupaten))
    messages.info(
        request,
        _("The search for duplicates has started; new pairs appear in this list when it ends."),
    )
    return redirect("registry:duplicates:list")
