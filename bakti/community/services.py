"""Writes for feedback and complaints and community meetings. Every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bakti.accounts.access import has
from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from . import codes
from .attachments import check_attachments
from .calendar import add_working_days
from .models import (
    OPEN_STATUSES,
    BreachKind,
    Category,
    Channel,
    CommunityMeeting,
    Escalation,
    EscalationStep,
    Holiday,
    IdentityMode,
    Priority,
    PublicSubmission,
    SensitiveInvestigator,
    SLARule,
    Status,
    Ticket,
    TicketAttachment,
    TicketReply,
)
from .selectors import overdue_q
from .senders import get_sender

DEFAULT_ACKNOWLEDGE_DAYS = 2
DEFAULT_RESOLVE_DAYS = 14


# --- SLA ------------------------------------------------------------------------------------


def sla_days(category: Category, priority: Priority) -> tuple[int, int]:
    """(acknowledge, resolve) working days from the SLA matrix, or the defaults."""
    rule = SLARule.objects.filter(category=category, priority=priority).first()
    if rule is None:
        acknowledge = 1 if category.is_sensitive else DEFAULT_ACKNOWLEDGE_DAYS
        return acknowledge, DEFAULT_RESOLVE_DAYS
    return rule.acknowledge_days, rule.resolve_days


def due_dates(category: Category, priority: Priority, received: dt.date) -> tuple[dt.date, dt.date]:
    acknowledge, resolve = sla_days(category, priority)
    return add_working_days(received, acknowledge), add_working_days(received, resolve)


def sla_rule_set(*, actor: Any, rule: SLARule, acknowledge_days: int, resolve_days: int) -> SLARule:
    if resolve_days < acknowledge_days:
        raise ValidationError(
            {"resolve_days": _("Resolution cannot be due before acknowledgement.")}
        )
    audited_update(
        rule,
        actor=actor,
        data={"acknowledge_days": acknowledge_days, "resolve_days": resolve_days},
    )
    return rule


@transaction.atomic
def category_save(*, actor: Any, category: Category | None = None, **data: Any) -> Category:
    """Create or edit a complaint category; a new one gets default deadlines for every
    priority so the SLA matrix stays complete."""
    if category is not None:
        audited_update(category, actor=actor, data=data)
        return category
    category = audited_create(Category(**data), actor=actor)
    for priority in Priority.objects.all():
        acknowledge = 1 if category.is_sensitive or priority.code == "urgent" else 2
        resolve = 30 if category.is_sensitive else DEFAULT_RESOLVE_DAYS
        audited_create(
            SLARule(
                category=category,
                priority=priority,
                acknowledge_days=acknowledge,
                resolve_days=resolve,
            ),
            actor=actor,
        )
    return category


@transaction.atomic
def priority_save(*, actor: Any, priority: Priority | None = None, **data: Any) -> Priority:
    """Create or edit a priority; a new one gets default deadlines for every category."""
    if priority is not None:
        audited_update(priority, actor=actor, data=data)
        return priority
    priority = audited_create(Priority(**data), actor=actor)
    for category in Category.objects.all():
        audited_create(
            SLARule(
                category=category,
                priority=priority,
                acknowledge_days=1 if category.is_sensitive else DEFAULT_ACKNOWLEDGE_DAYS,
                resolve_days=30 if category.is_sensitive else DEFAULT_RESOLVE_DAYS,
            ),
            actor=actor,
        )
    return priority


@transaction.atomic
def holiday_create(*, actor: Any, date: dt.date, name: str, kind: str) -> Holiday:
    return audited_create(Holiday(date=date, name=name, kind=kind), actor=actor)


@transaction.atomic
def holiday_delete(*, actor: Any, holiday: Holiday) -> None:
    from bakti.privacy.audit import audited_delete

    audited_delete(holiday, actor=actor)


# --- intake ---------------------------------------------------------------------------------


def _address_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def public_rate_limited(address: str, *, now: dt.datetime | None = None) -> bool:
    """Whether ``address`` has used up its public submissions for the past hour."""
    now = now or timezone.now()
    limit = getattr(settings, "BAKTI_PUBLIC_REPORTS_PER_HOUR", 5)
    recent = PublicSubmission.objects.filter(
        address_hash=_address_hash(address), at__gte=now - dt.timedelta(hours=1)
    ).count()
    return recent >= limit


def _unique_code() -> str:
    while True:
        code = codes.new_code()
        if not Ticket.objects.filter(code=code).exists():
            return code


def _first_step() -> EscalationStep | None:
    return EscalationStep.objects.order_by("order").first()


@transaction.atomic
def ticket_create(
    *,
    actor: Any,
    channel: str,
    category: Category,
    description: str,
    priority: Priority | None = None,
    region_code: str | None = None,
    place_detail: str = "",
    identity_mode: str = IdentityMode.NAMED,
    complainant_name: str = "",
    complainant_phone: str = "",
    complainant_email: str = "",
    external_reference: str = "",
    named_staff: list[Any] | None = None,
    named_organisation: Any = None,
    attachments: list[UploadedFile] | None = None,
    received_at: dt.datetime | None = None,
) -> Ticket:
    """Take in a complaint or feedback from any channel, compute its SLA due dates over the
    working-day calendar, and, on the sensitive track, give it its investigators."""
    received_at = received_at or timezone.now()
    priority = priority or Priority.objects.get(code="normal")
    if channel in {Channel.LAPOR, Channel.CALL_CENTRE} and not external_reference.strip():
        raise ValidationError(
            {"external_reference": _("Give the ticket number from LAPOR! or the 171 centre.")}
        )
    if identity_mode == IdentityMode.ANONYMOUS:
        # Nothing that identifies the complainant is kept.
        complainant_name = complainant_phone = complainant_email = ""
    elif not (complainant_name or complainant_phone or complainant_email):
        raise ValidationError(
            {
                "complainant_name": _(
                    "Give a name or a way to reach the complainant, or choose anonymous."
                )
            }
        )
    checked = check_attachments(list(attachments or []))
    acknowledge_due, resolve_due = due_dates(
        category, priority, timezone.localtime(received_at).date()
    )
    ticket = audited_create(
        Ticket(
            code=_unique_code(),
            channel=channel,
            external_reference=external_reference.strip(),
            category=category,
            priority=priority,
            is_sensitive=category.is_sensitive,
            description=description,
            region_id=region_code or None,
            place_detail=place_detail,
            identity_mode=identity_mode,
            complainant_name=complainant_name,
            complainant_phone=complainant_phone,
            complainant_email=complainant_email,
            received_at=received_at,
            acknowledge_due=acknowledge_due,
            resolve_due=resolve_due,
            escalation_step=_first_step(),
            named_organisation=named_organisation,
            created_by=actor if getattr(actor, "pk", None) else None,
        ),
        actor=actor,
        # The audit trail is read by auditors: it must not carry who complained, nor what a
        # sensitive complaint says.
        exclude_from_log=["complainant_name", "complainant_phone", "complainant_email"]
        + (["description", "place_detail"] if category.is_sensitive else []),
    )
    if named_staff:
        ticket.named_staff.set(named_staff)
    if ticket.is_sensitive:
        named_ids = {u.pk for u in named_staff or []}
        named_org_users = set()
        if named_organisation is not None:
            named_org_users = set(named_organisation.users.values_list("user_id", flat=True))
        pool = SensitiveInvestigator.objects.exclude(user_id__in=named_ids | named_org_users)
        ticket.investigators.set([p.user_id for p in pool])
    for upload, content_type in checked:
        TicketAttachment.objects.create(
            ticket=ticket,
            file=upload,
            original_name=(upload.name or "")[:200],
            size=upload.size or 0,
            content_type=content_type,
        )
    return ticket


@transaction.atomic
def ticket_file_public(
    *,
    address: str,
    category: Category,
    description: str,
    region_code: str | None = None,
    place_detail: str = "",
    anonymous: bool = True,
    complainant_name: str = "",
    complainant_phone: str = "",
    complainant_email: str = "",
    attachments: list[UploadedFile] | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """A complaint from the public form or public API: rate-limited per address."""
    now = now or timezone.now()
    if public_rate_limited(address, now=now):
        raise PermissionDenied(
            _("Too many reports from this connection. Please try again in an hour.")
        )
    if not category.is_active:
        raise ValidationError({"category": _("Choose one of the listed categories.")})
    if len(description.strip()) < 10:
        raise ValidationError(
            {"description": _("Describe what happened in at least 10 characters.")}
        )
    mode = IdentityMode.ANONYMOUS if anonymous else IdentityMode.CONFIDENTIAL
    ticket = ticket_create(
        actor=None,
        channel=Channel.WEB,
        category=category,
        description=description.strip(),
        region_code=region_code,
        place_detail=place_detail,
        identity_mode=mode,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        complainant_email=complainant_email,
        attachments=attachments,
        received_at=now,
    )
    PublicSubmission.objects.create(address_hash=_address_hash(address), at=now)
    return ticket


# --- handling -------------------------------------------------------------------------------

# action → (allowed from, to)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "acknowledge": ({Status.NEW}, Status.ACKNOWLEDGED),
    "assign": (
        {Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD},
        Status.ASSIGNED,
    ),
    "start": ({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED}, Status.IN_PROGRESS),
    "hold": ({Status.IN_PROGRESS}, Status.ON_HOLD),
    "resume": ({Status.ON_HOLD}, Status.IN_PROGRESS),
    "resolve": ({Status.IN_PROGRESS, Status.ON_HOLD, Status.ASSIGNED}, Status.RESOLVED),
    "close": ({Status.RESOLVED}, Status.CLOSED),
    "reopen": ({Status.RESOLVED, Status.CLOSED}, Status.IN_PROGRESS),
}


def _check_handler(actor: Any, ticket: Ticket) -> None:
    if not has(actor, "community.handle"):
        raise PermissionDenied(_("You may not handle complaints."))
    if ticket.is_sensitive and not ticket.investigators.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only the named investigators may handle this complaint."))


def allowed_actions(ticket: Ticket) -> list[str]:
    return [name for name, (sources, _target) in TRANSITIONS.items() if ticket.status in sources]


@transaction.atomic
def ticket_transition(
    *,
    actor: Any,
    ticket: Ticket,
    action: str,
    note: str = "",
    assignee: Any = None,
    resolution: str = "",
    expected_version: int | None = None,
    by_complainant: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """Move a ticket along new → acknowledged → assigned → in progress ↔ on hold → resolved →
    closed, or reopen it. Resolving needs a message to the complainant, which is shown on the
    tracking page and sent by SMS/WhatsApp when a number is known."""
    if not by_complainant:
        _check_handler(actor, ticket)
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target = TRANSITIONS[action]
    if ticket.status not in sources:
        raise ValidationError(
            _("A ticket that is %(status)s cannot be moved this way.")
            % {"status": ticket.get_status_display()}
        )
    now = now or timezone.now()
    data: dict[str, Any] = {"status": target}
    if action in {"acknowledge", "assign", "start"} and ticket.acknowledged_at is None:
        data["acknowledged_at"] = now
    if action == "assign":
        if assignee is None:
            raise ValidationError({"assignee": _("Choose the officer who handles it.")})
        if ticket.is_sensitive and not ticket.investigators.filter(pk=assignee.pk).exists():
            raise ValidationError(
                {"assignee": _("A sensitive complaint can only go to one of its investigators.")}
            )
        if ticket.named_staff.filter(pk=assignee.pk).exists():
            raise ValidationError({"assignee": _("This person is named in the complaint.")})
        data["assigned_to"] = assignee
    if action == "start" and ticket.assigned_to_id is None and actor is not None:
        data["assigned_to"] = actor
    if action == "resolve":
        if not resolution.strip():
            raise ValidationError(
                {"resolution": _("Write the outcome for the complainant before resolving.")}
            )
        data["resolution"] = resolution.strip()
        data["resolved_at"] = now
    if action == "close":
        data["closed_at"] = now
    if action == "reopen":
        if not note.strip():
            raise ValidationError({"note": _("Say why the complaint is reopened.")})
        data.update(resolved_at=None, closed_at=None, reopened_count=ticket.reopened_count + 1)
    audited_update(
        ticket,
        actor=actor,
        data=data,
        expected_version=expected_version,
        action=AuditAction.TRANSITION,
        reason="" if ticket.is_sensitive else note,
        exclude_from_log=["resolution"] if ticket.is_sensitive else [],
    )
    if note.strip():
        TicketReply.objects.create(
            ticket=ticket,
            author=actor if getattr(actor, "pk", None) else None,
            body=note.strip(),
            is_public=by_complainant,
            from_complainant=by_complainant,
        )
    if action == "resolve" and ticket.complainant_phone:
        channel = "whatsapp" if ticket.channel == Channel.WHATSAPP else "sms"
        body = _("Your report %(code)s has been resolved: %(outcome)s") % {
            "code": codes.display(ticket.code),
            "outcome": ticket.resolution,
        }
        get_sender().send(ticket, channel, ticket.complainant_phone, body[:1000])
    return ticket


@transaction.atomic
def ticket_reply(*, actor: Any, ticket: Ticket, body: str, is_public: bool) -> TicketReply:
    """A reply to the complainant (public: on the tracking page) or an internal note."""
    _check_handler(actor, ticket)
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    reply = TicketReply.objects.create(
        ticket=ticket, author=actor, body=body.strip(), is_public=is_public
    )
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=ticket,
        changes={"reply": [None, "public" if is_public else "internal"]},
    )
    return reply


@transaction.atomic
def ticket_rate(*, ticket: Ticket, satisfaction: int, comment: str = "") -> Ticket:
    """The complainant says whether the outcome satisfied them (from the tracking page)."""
    if ticket.status not in {Status.RESOLVED, Status.CLOSED}:
        raise ValidationError(_("You can rate the outcome once the report is resolved."))
    audited_update(
        ticket,
        actor=None,
        data={"satisfaction": satisfaction, "satisfaction_comment": comment.strip()},
    )
    return ticket


@transaction.atomic
def ticket_set_investigators(*, actor: Any, ticket: Ticket, users: list[Any]) -> Ticket:
    """Name who investigates a sensitive complaint; nobody named in it can be one."""
    _check_handler(actor, ticket)
    named = set(ticket.named_staff.values_list("pk", flat=True))
    if ticket.named_organisation_id:
        named |= set(ticket.named_organisation.users.values_list("user_id", flat=True))
    bad = [u for u in users if u.pk in named]
    if bad:
        raise ValidationError(
            {"investigators": _("%(name)s is named in the complaint.") % {"name": bad[0]}}
        )
    if not users:
        raise ValidationError({"investigators": _("Name at least one investigator.")})
    before = sorted(ticket.investigators.values_list("pk", flat=True))
    ticket.investigators.set(users)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=ticket,
        changes={"investigators": [before, sorted(u.pk for u in users)]},
    )
    return ticket


@transaction.atomic
def ticket_link(
    *, actor: Any, ticket: Ticket, program: Any = None, household: Any = None, person: Any = None
) -> Ticket:
    """Link a ticket to the program, household or person it concerns (the caller found them
    through its own scoped selectors)."""
    _check_handler(actor, ticket)
    if person is not None and household is None:
        household = getattr(person, "household", None)
    audited_update(
        ticket, actor=actor, data={"program": program, "household": household, "person": person}
    )
    return ticket


# --- escalation -----------------------------------------------------------------------------


def _breaches(ticket: Ticket, today: dt.date) -> list[str]:
    found = []
    if ticket.acknowledged_at is None and today > ticket.acknowledge_due:
        found.append(BreachKind.ACKNOWLEDGE)
    if ticket.status in OPEN_STATUSES and today > ticket.resolve_due:
        found.append(BreachKind.RESOLVE)
    return found


def _notify_escalation(ticket: Ticket, step: EscalationStep) -> None:
    """Tell the person of the new level, unless the ticket is sensitive and they are not one
    of its investigators (or are named in it)."""
    from bakti.partners.services import notify

    person = step.contact
    if person is None or ticket.named_staff.filter(pk=person.pk).exists():
        return
    if ticket.is_sensitive and not ticket.investigators.filter(pk=person.pk).exists():
        return
    with override(person.preferred_language):
        notify(
            user=person,
            title=_("Complaint %(code)s is past its deadline and escalated to you")
            % {"code": codes.display(ticket.code)},
            body=_("Acknowledge by %(ack)s, resolve by %(res)s.")
            % {"ack": ticket.acknowledge_due.isoformat(), "res": ticket.resolve_due.isoformat()},
            url=reverse("community:ticket_detail", args=[ticket.pk]),
        )


@transaction.atomic
def tickets_escalate_overdue(*, today: dt.date | None = None) -> list[Escalation]:
    """Move every open ticket whose SLA is breached one level up the ladder, once per breach
    (acknowledgement, resolution), and record it. Safe to run any number of times."""
    today = today or timezone.localdate()
    steps = list(EscalationStep.objects.order_by("order"))
    if not steps:
        return []
    done: list[Escalation] = []
    ids = list(Ticket.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    already = set(Escalation.objects.filter(ticket_id__in=ids).values_list("ticket_id", "breach"))
    for ticket in Ticket.objects.filter(pk__in=ids).select_related("escalation_step"):
        for breach in _breaches(ticket, today):
            if (ticket.pk, breach) in already:
                continue
            current = ticket.escalation_step
            higher = [s for s in steps if current is None or s.order > current.order]
            if not higher:
                continue
            target = higher[0]
            try:
                with transaction.atomic():
                    escalation = Escalation.objects.create(
                        ticket=ticket, breach=breach, from_step=current, to_step=target
                    )
            except IntegrityError:
                continue
            audited_update(
                ticket,
                actor=None,
                data={"escalation_step": target},
                reason=str(BreachKind(breach).label),
            )
            _notify_escalation(ticket, target)
            done.append(escalation)
    return done


# --- community meetings ---------------------------------------------------------------------


MEETING_FIELDS = [
    "kind",
    "title",
    "date",
    "region",
    "place",
    "facilitator",
    "participants_female",
    "participants_male",
    "participants_under_18",
    "participants_18_59",
    "participants_60_plus",
    "participants_disability",
    "topics",
    "decisions",
    "follow_ups",
]


@transaction.atomic
def meeting_create(*, actor: Any, **data: Any) -> CommunityMeeting:
    return audited_create(CommunityMeeting(**data), actor=actor)


@transaction.atomic
def meeting_update(
    *, actor: Any, meeting: CommunityMeeting, data: dict[str, Any], expected_version: int | None
) -> CommunityMeeting:
    audited_update(meeting, actor=actor, data=data, expected_version=expected_version)
    return meeting
