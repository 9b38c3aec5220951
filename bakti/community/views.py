"""Staff pages: the ticket board, intake from other channels, handling, meetings, settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bakti.accounts.access import has, require
from bakti.core.exports import Column, export_response
from bakti.core.pagination import page_of
from bakti.core.stale import show_stale_edit
from bakti.privacy.audit import StaleEdit, record_access

from . import codes, selectors, services
from .forms import (
    CategoryForm,
    HolidayForm,
    InvestigatorsForm,
    LinkForm,
    MeetingFilterForm,
    MeetingForm,
    PriorityForm,
    ReplyForm,
    SLARuleForm,
    TicketFilterForm,
    TicketIntakeForm,
    TransitionForm,
)
from .models import Category, Holiday, IdentityMode, Priority, SLARule


def _apply_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _ticket_columns() -> list[Column]:
    return [
        Column(_("Tracking code"), lambda t: codes.display(t.code)),
        Column(_("Received at"), lambda t: t.received_at),
        Column(_("Channel"), lambda t: t.get_channel_display()),
        Column(_("External reference"), lambda t: t.external_reference),
        Column(_("Category"), lambda t: t.category.name),
        Column(_("Priority"), lambda t: t.priority.name),
        Column(_("Status"), lambda t: t.get_status_display()),
        Column(_("Village"), lambda t: t.region.name if t.region else ""),
        Column(_("Acknowledge by"), lambda t: t.acknowledge_due),
        Column(_("Resolve by"), lambda t: t.resolve_due),
        Column(_("Resolved at"), lambda t: t.resolved_at),
        Column(_("Handling officer"), lambda t: str(t.assigned_to) if t.assigned_to else ""),
        Column(_("Escalation level"), lambda t: str(t.escalation_step or "")),
        Column(_("Satisfaction"), lambda t: t.get_satisfaction_display() or ""),
    ]


@require("community.view")
def ticket_list(request: HttpRequest) -> HttpResponse:
    form = TicketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tickets = selectors.ticket_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return export_response(
            tickets.iterator(), _ticket_columns(), filename="tickets", file_format=export
        )
    board = selectors.ticket_board_counts(selectors.ticket_list_for_user(request.user))
    page = page_of(request, tickets)
    for ticket in page:
        ticket.sla = selectors.sla_state(ticket)
    template = (
        "community/ticket_list.html#results" if request.htmx else "community/ticket_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "board": board,
            "can_handle": has(request.user, "community.handle"),
            "can_configure": has(request.user, "community.configure"),
        },
    )


@require("community.handle")
def ticket_create(request: HttpRequest) -> HttpResponse:
    form = TicketIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create(
                actor=request.user,
                channel=data["channel"],
                external_reference=data["external_reference"],
                category=data["category"],
                priority=data["priority"],
                description=data["description"],
                region_code=data["region"].pk if data["region"] else None,
                place_detail=data["place_detail"],
                identity_mode=data["identity_mode"],
                complainant_name=data["complainant_name"],
                complainant_phone=data["complainant_phone"],
                complainant_email=data["complainant_email"],
                named_staff=list(data["named_staff"]),
                named_organisation=data["named_organisation"],
                attachments=data["attachments"],
                received_at=data["received_at"],
            )
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded with tracking code %(code)s. Give this code to the complainant.")
                % {"code": codes.display(ticket.code)},
            )
            if ticket.is_sensitive and not ticket.investigators.filter(pk=request.user.pk):
                return redirect("community:ticket_list")
            return redirect("community:ticket_detail", pk=ticket.pk)
    return render(request, "community/ticket_form.html", {"form": form})


def _visible_or_none(user, kind: str, pk: int | None):
    from django.http import Http404

    from bakti.registry import selectors as registry

    if pk is None:
        return None
    getter = (
        registry.household_get_for_user if kind == "household" else registry.person_get_for_user
    )
    try:
        return getter(user, pk)
    except Http404:
        return None


def _assignees(ticket):
    users = get_user_model().objects.filter(is_active=True)
    if ticket.is_sensitive:
        users = users.filter(pk__in=ticket.investigators.values("pk"))
    return users.exclude(pk__in=ticket.named_staff.values("pk")).order_by("username")


@require("community.view")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(request.user, pk)
    # Linked records are shown only where the user may see them.
    ticket.household = _visible_or_none(request.user, "household", ticket.household_id)
    ticket.person = _visible_or_none(request.user, "person", ticket.person_id)
    show_identity = selectors.identity_visible(request.user, ticket)
    if show_identity and ticket.identity_mode != IdentityMode.ANONYMOUS:
        record_access(actor=request.user, obj=ticket, what="complainant identity")
    can_handle = has(request.user, "community.handle") and (
        not ticket.is_sensitive or ticket.investigators.filter(pk=request.user.pk).exists()
    )
    transition_form = TransitionForm(
        initial={"version": ticket.version}, assignees=_assignees(ticket)
    )
    reply_form = ReplyForm()
    link_form = LinkForm(
        user=request.user,
        initial={
            "program": ticket.program_id,
            "no_kk": ticket.household.no_kk if ticket.household_id else "",
            "nik": ticket.person.nik if ticket.person_id else "",
        },
    )
    investigators_form = InvestigatorsForm(
        initial={"investigators": list(ticket.investigators.all())}
    )
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        kind = request.POST.get("form")
        try:
            if kind == "transition":
                transition_form = TransitionForm(request.POST, assignees=_assignees(ticket))
                if transition_form.is_valid():
                    data = transition_form.cleaned_data
                    services.ticket_transition(
                        actor=request.user,
                        ticket=ticket,
                        action=data["action"],
                        note=data["note"],
                        assignee=data["assignee"],
                        resolution=data["resolution"],
                        expected_version=data["version"],
                    )
                    messages.success(request, _("The ticket was updated."))
                    return redirect("community:ticket_detail", pk=ticket.pk)
            elif kind == "reply":
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    services.ticket_reply(
                        actor=request.user,
                        ticket=ticket,
                        body=reply_form.cleaned_data["body"],
                        is_public=reply_form.cleaned_data["is_public"],
                    )
                    messages.success(request, _("The message was saved."))
                    return redirect("community:ticket_detail", pk=ticket.pk)
            elif kind == "link":
                link_form = LinkForm(request.POST, user=request.user)
                if link_form.is_valid():
                    services.ticket_link(
                        actor=request.user,
                        ticket=ticket,
                        program=link_form.cleaned_data["program"],
                        household=link_form.cleaned_data["household"],
                        person=link_form.cleaned_data["person"],
                    )
                    messages.success(request, _("The links were saved."))
                    return redirect("community:ticket_detail", pk=ticket.pk)
            elif kind == "investigators" and ticket.is_sensitive:
                investigators_form = InvestigatorsForm(request.POST)
                if investigators_form.is_valid():
                    services.ticket_set_investigators(
                        actor=request.user,
                        ticket=ticket,
                        users=list(investigators_form.cleaned_data["investigators"]),
                    )
                    messages.success(request, _("The investigators were saved."))
                    return redirect("community:ticket_detail", pk=ticket.pk)
        except StaleEdit as error:
            if kind != "transition":
                messages.error(
                    request,
                    _("Someone else changed this ticket meanwhile. Check it and try again."),
                )
                return redirect("community:ticket_detail", pk=ticket.pk)
            show_stale_edit(transition_form, error)
        except ValidationError as error:
            target = {
                "reply": reply_form,
                "investigators": investigators_form,
                "link": link_form,
            }.get(kind or "", transition_form)
            _apply_form_errors(target, error)
    context = {
        "ticket": ticket,
        "code": codes.display(ticket.code),
        "show_identity": show_identity,
        "sla": selectors.sla_state(ticket),
        "can_handle": can_handle,
        "actions": services.allowed_actions(ticket) if can_handle else [],
        "replies": ticket.replies.select_related("author"),
        "escalations": ticket.escalations.select_related("from_step", "to_step"),
        "attachments": ticket.attachments.all(),
        "messages_sent": ticket.messages.all(),
        "named_staff": ticket.named_staff.all(),
        "investigators": ticket.investigators.all(),
        "transition_form": transition_form,
        "reply_form": reply_form,
        "investigators_form": investigators_form,
        "link_form": link_form,
    }
    return render(request, "community/ticket_detail.html", context)


@require("community.view")
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    ticket = selectors.ticket_get_for_user(request.user, pk)
    attachment = get_object_or_404(ticket.attachments, pk=attachment_id)
    record_access(actor=request.user, obj=ticket, what=f"attachment {attachment.original_name}")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- meetings -------------------------------------------------------------------------------


@require("community.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    meetings = selectors.meeting_list_for_user(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        columns = [
            Column(_("Date"), lambda m: m.date),
            Column(_("Kind"), lambda m: m.get_kind_display()),
            Column(_("Title"), lambda m: m.title),
            Column(_("Region"), lambda m: m.region.name),
            Column(_("Women and girls"), lambda m: m.participants_female),
            Column(_("Men and boys"), lambda m: m.participants_male),
            Column(_("Aged under 18"), lambda m: m.participants_under_18),
            Column(_("Aged 18 to 59"), lambda m: m.participants_18_59),
            Column(_("Aged 60 and over"), lambda m: m.participants_60_plus),
            Column(_("With a disability"), lambda m: m.participants_disability),
            Column(_("Topics"), lambda m: m.topics),
            Column(_("Decisions"), lambda m: m.decisions),
            Column(_("Follow-ups"), lambda m: m.follow_ups),
        ]
        return export_response(
            meetings.iterator(), columns, filename="community-meetings", file_format=export
        )
    page = page_of(request, meetings)
    template = (
        "community/meeting_list.html#results" if request.htmx else "community/meeting_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "can_edit": has(request.user, "community.handle")},
    )


@require("community.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    return render(
        request,
        "community/meeting_detail.html",
        {"meeting": meeting, "can_edit": has(request.user, "community.handle")},
    )


@require("community.handle")
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk) if pk else None
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            if meeting is None:
                meeting = services.meeting_create(actor=request.user, **data)
            else:
                services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit:
            form.add_error(None, _("Someone else changed this meeting meanwhile; reload it."))
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("community:meeting_detail", pk=meeting.pk)
    return render(request, "community/meeting_form.html", {"form": form, "meeting": meeting})


# --- settings -------------------------------------------------------------------------------


@require("community.configure")
def sla_matrix(request: HttpRequest) -> HttpResponse:
    rules = SLARule.objects.select_related("category", "priority")
    if request.method == "POST":
        rule = get_object_or_404(SLARule, pk=request.POST.get("rule"))
        form = SLARuleForm(request.POST, instance=SLARule.objects.get(pk=rule.pk))
        if form.is_valid():
            try:
                services.sla_rule_set(
                    actor=request.user,
                    rule=rule,
                    acknowledge_days=form.cleaned_data["acknowledge_days"],
                    resolve_days=form.cleaned_data["resolve_days"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The deadlines were saved."))
        else:
            messages.error(request, _("Give whole numbers of working days."))
        return redirect("community:sla_matrix")
    return render(request, "community/sla_matrix.html", {"rules": rules})


@require("community.configure")
def holiday_list(request: HttpRequest) -> HttpResponse:
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("delete"):
            holiday = get_object_or_404(Holiday, pk=request.POST["delete"])
            services.holiday_delete(actor=request.user, holiday=holiday)
            messages.success(request, _("The holiday was removed."))
            return redirect("community:holiday_list")
        if form.is_valid():
            services.holiday_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The holiday was added."))
            return redirect("community:holiday_list")
    page = page_of(request, Holiday.objects.order_by("-date"))
    return render(request, "community/holiday_list.html", {"form": form, "page": page})


@require("community.configure")
def category_list(request: HttpRequest) -> HttpResponse:
    """Complaint categories and priorities: add or edit them (new ones get default deadlines,
    which the SLA page adjusts)."""
    kind = request.POST.get("kind") or request.GET.get("kind") or "category"
    model, form_class = (Priority, PriorityForm) if kind == "priority" else (Category, CategoryForm)
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(model, pk=request.GET["edit"])
    if request.POST.get("pk"):
        editing = get_object_or_404(model, pk=request.POST["pk"])
    form = form_class(request.POST or None, instance=editing, prefix=kind)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        save = services.priority_save if kind == "priority" else services.category_save
        try:
            if kind == "priority":
                save(actor=request.user, priority=editing, **data)
            else:
                save(actor=request.user, category=editing, **data)
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("community:category_list")
    other = PriorityForm(prefix="priority") if kind != "priority" else None
    return render(
        request,
        "community/category_list.html",
        {
            "categories": Category.objects.all(),
            "priorities": Priority.objects.all(),
            "form": form,
            "kind": kind,
            "editing": editing,
            "priority_form": other or form,
            "category_form": form if kind != "priority" else CategoryForm(prefix="category"),
        },
    )
