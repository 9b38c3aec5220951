"""Scoped reads of partner data. Partner records belong to the department as a whole: a user
with ``partners.view`` anywhere sees them; contacts are personal data and stay behind it too.
A partner user sees their own organisation only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bakti.accounts.access import has

from .models import (
    Agreement,
    AgreementStatus,
    Notification,
    Organisation,
    OrganisationService,
    OrganisationUser,
)


def _org_filter(user: Any) -> Q:
    if has(user, "partners.view"):
        return Q()
    link = OrganisationUser.objects.filter(user_id=getattr(user, "pk", None)).first()
    if link is not None:
        return Q(pk=link.organisation_id)
    return Q(pk__in=[])


def organisation_of_user(user: Any) -> Organisation | None:
    link = (
        OrganisationUser.objects.filter(user_id=getattr(user, "pk", None))
        .select_related("organisation")
        .first()
    )
    return link.organisation if link else None


def organisation_list_for_user(user: Any, filters: dict[str, Any] | None = None):
    filters = filters or {}
    orgs = Organisation.objects.filter(_org_filter(user)).select_related("region")
    if filters.get("q"):
        q = filters["q"]
        orgs = orgs.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(services__name__icontains=q)
        ).distinct()
    if filters.get("org_type"):
        orgs = orgs.filter(org_type=filters["org_type"])
    if filters.get("region"):
        orgs = orgs.filter(coverage=filters["region"]).distinct()
    if filters.get("active") in {"1", "0"}:
        orgs = orgs.filter(is_active=filters["active"] == "1")
    return orgs.order_by("name", "pk")


def organisation_get_for_user(user: Any, pk: int) -> Organisation:
    org = Organisation.objects.filter(_org_filter(user), pk=pk).first()
    if org is None:
        raise Http404
    return org


def service_list_for_user(user: Any, filters: dict[str, Any] | None = None):
    """Services partners offer, for case referrals."""
    filters = filters or {}
    services = OrganisationService.objects.filter(
        is_active=True, organisation__is_active=True
    ).select_related("organisation")
    if not (has(user, "partners.view") or has(user, "cases.view")):
        services = services.filter(organisation__in=Organisation.objects.filter(_org_filter(user)))
    if filters.get("q"):
        services = services.filter(
            Q(name__icontains=filters["q"]) | Q(organisation__name__icontains=filters["q"])
        )
    return services.order_by("organisation__name", "name")


def agreement_list_for_user(
    user: Any, filters: dict[str, Any] | None = None, *, today: dt.date | None = None
):
    filters = filters or {}
    today = today or timezone.localdate()
    agreements = Agreement.objects.filter(
        organisation__in=Organisation.objects.filter(_org_filter(user))
    ).select_related("organisation", "owner")
    if filters.get("status"):
        agreements = agreements.filter(status=filters["status"])
    if filters.get("kind"):
        agreements = agreements.filter(kind=filters["kind"])
    if filters.get("expiring"):
        agreements = agreements.filter(
            status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.DRAFT],
            end_date__gte=today,
            end_date__lte=today + dt.timedelta(days=int(filters["expiring"])),
        )
    if filters.get("q"):
        agreements = agreements.filter(
            Q(title__icontains=filters["q"])
            | Q(number__icontains=filters["q"])
            | Q(organisation__name__icontains=filters["q"])
        )
    return agreements.order_by("end_date", "pk")


def agreement_get_for_user(user: Any, pk: int) -> Agreement:
    agreement = agreement_list_for_user(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


@dataclass
class TimelineEntry:
    date: dt.date
    kind: str
    title: str
    detail: str
    url: str = ""


def organisation_timeline(org: Organisation) -> list[TimelineEntry]:
    """Agreements, contributions, interactions and documents of one partner, newest first."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    entries: list[TimelineEntry] = []
    for a in org.agreements.all():
        entries.append(
            TimelineEntry(
                a.start_date,
                _("Agreement"),
                a.title,
                f"{a.get_kind_display()} · {a.get_status_display()} · {a.end_date.isoformat()}",
                reverse("partners:agreement_detail", args=[a.pk]),
            )
        )
    for c in org.contributions.all():
        entries.append(
            TimelineEntry(c.date, _("Contribution"), c.description, c.get_kind_display())
        )
    for i in org.interactions.all():
        entries.append(TimelineEntry(i.date, i.get_kind_display(), i.subject, i.summary))
    for d in org.documents.all():
        if d.issued_on:
            entries.append(TimelineEntry(d.issued_on, _("Document"), d.title, d.number))
    return sorted(entries, key=lambda e: e.date, reverse=True)


def notification_list_for_user(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
