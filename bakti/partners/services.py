"""Writes for partners: organisations and what hangs off them, agreements and their renewal
reminders, contributions, interactions, notifications. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bakti.privacy.audit import audited_create, audited_update

from .models import (
    Agreement,
    AgreementReminder,
    AgreementStatus,
    Contact,
    Contribution,
    DueDiligenceDocument,
    FollowUp,
    Interaction,
    Notification,
    Organisation,
    OrganisationService,
    OrganisationUser,
)

REMINDER_OFFSETS = (90, 30, 7)


def _create(model: type[models.Model], actor: Any, data: dict[str, Any], m2m: dict | None = None):
    instance = audited_create(model(**data), actor=actor)
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def organisation_create(*, actor: Any, coverage: list[Any] | None = None, **data: Any):
    return _create(Organisation, actor, data, {"coverage": coverage or []})


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    coverage: list[Any] | None = None,
    expected_version: int | None = None,
) -> Organisation:
    audited_update(organisation, actor=actor, data=data, expected_version=expected_version)
    if coverage is not None:
        organisation.coverage.set(coverage)
    return organisation


@transaction.atomic
def service_create(*, actor: Any, **data: Any) -> OrganisationService:
    return _create(OrganisationService, actor, data)


@transaction.atomic
def contact_create(*, actor: Any, **data: Any) -> Contact:
    return _create(Contact, actor, data)


@transaction.atomic
def document_create(*, actor: Any, **data: Any) -> DueDiligenceDocument:
    return _create(DueDiligenceDocument, actor, data)


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    other_parties: list[Any] | None = None,
    programs: list[Any] | None = None,
    **data: Any,
) -> Agreement:
    return _create(
        Agreement, actor, data, {"other_parties": other_parties or [], "programs": programs or []}
    )


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    data: dict[str, Any],
    other_parties: list[Any] | None = None,
    programs: list[Any] | None = None,
    expected_version: int | None = None,
) -> Agreement:
    audited_update(agreement, actor=actor, data=data, expected_version=expected_version)
    if other_parties is not None:
        agreement.other_parties.set(other_parties)
    if programs is not None:
        agreement.programs.set(programs)
    return agreement


@transaction.atomic
def contribution_create(*, actor: Any, **data: Any) -> Contribution:
    agreement = data.get("agreement")
    if agreement is not None and agreement.organisation_id != data["organisation"].pk:
        raise ValidationError({"agreement": _("This agreement is with another organisation.")})
    return _create(Contribution, actor, data)


@transaction.atomic
def interaction_create(
    *, actor: Any, follow_ups: list[dict[str, Any]] | None = None, **data: Any
) -> Interaction:
    """An interaction with its follow-up actions (each: action, owner, due date)."""
    interaction = _create(Interaction, actor, {**data, "recorded_by": actor})
    for item in follow_ups or []:
        _create(FollowUp, actor, {**item, "interaction": interaction})
    return interaction


@transaction.atomic
def follow_up_done(*, actor: Any, follow_up: FollowUp, today: dt.date | None = None) -> FollowUp:
    audited_update(follow_up, actor=actor, data={"done_on": today or timezone.localdate()})
    return follow_up


@transaction.atomic
def organisation_user_link(*, actor: Any, user: Any, organisation: Organisation):
    """Link a partner user to the one organisation they act for (replacing any other)."""
    existing = OrganisationUser.objects.filter(user=user).first()
    if existing is not None:
        audited_update(existing, actor=actor, data={"organisation": organisation})
        return existing
    return _create(OrganisationUser, actor, {"user": user, "organisation": organisation})


# --- notifications and reminders ------------------------------------------------------------


def notify(*, user: Any, title: str, body: str = "", url: str = "", email: bool = True):
    """An in-app notification, and the same by e-mail when the user has an address."""
    notification = Notification.objects.create(user=user, title=title, body=body, url=url)
    if email and user.email:
        send_mail(
            subject=title,
            message=f"{body}\n\n{url}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
            fail_silently=True,
        )
    return notification


@transaction.atomic
def notification_mark_read(*, user: Any, notification: Notification) -> None:
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def agreements_send_reminders(*, today: dt.date | None = None) -> list[AgreementReminder]:
    """Remind each agreement's owner 90, 30 and 7 days before it ends. A reminder is sent once
    per offset and end date (a missed run sends the nearest offset that has passed, not every
    one). Safe to run any number of times a day."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(REMINDER_OFFSETS))
    live = [AgreementStatus.DRAFT, AgreementStatus.SIGNED, AgreementStatus.ACTIVE]
    agreements = (
        Agreement.objects.filter(status__in=live, end_date__gte=today, end_date__lte=horizon)
        .select_related("owner", "organisation")
        .prefetch_related("reminders")
    )
    sent = []
    for agreement in agreements:
        days_left = (agreement.end_date - today).days
        due = [offset for offset in REMINDER_OFFSETS if days_left <= offset]
        if not due:
            continue
        offset = min(due)
        done = {(r.days_before, r.for_end_date) for r in agreement.reminders.all()}
        if any((o, agreement.end_date) in done for o in REMINDER_OFFSETS if o <= offset):
            continue
        try:
            with transaction.atomic():
                reminder = AgreementReminder.objects.create(
                    agreement=agreement, days_before=offset, for_end_date=agreement.end_date
                )
        except IntegrityError:
            continue
        owner = agreement.owner
        with override(owner.preferred_language):
            notify(
                user=owner,
                title=_("Agreement “%(title)s” ends in %(days)s days")
                % {"title": agreement.title, "days": days_left},
                body=_("The agreement with %(partner)s ends on %(date)s. Renew it or let it end.")
                % {"partner": agreement.organisation.name, "date": agreement.end_date.isoformat()},
                url=reverse("partners:agreement_detail", args=[agreement.pk]),
            )
        sent.append(reminder)
    return sent


@transaction.atomic
def agreements_mark_expired(*, today: dt.date | None = None) -> int:
    """Agreements past their end date become expired (recorded one by one)."""
    today = today or timezone.localdate()
    count = 0
    for agreement in Agreement.objects.filter(
        status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE], end_date__lt=today
    ):
        audited_update(agreement, actor=None, data={"status": AgreementStatus.EXPIRED})
        count += 1
    return count
