"""Scoped reads for cases. A case is seen by its caseworker, the supervisors of its org unit
and auditors; anyone else gets 404, on pages, exports and the API alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from bakti.accounts.access import has, scope_for
from bakti.delivery.scoping import scope_filter

from .models import (
    Approval,
    ApprovalStatus,
    Case,
    CaseStatus,
    FollowUp,
    Referral,
    ReferralStatus,
)
from .services import OPEN_STATUSES

ASSESSMENT_STAGES = [CaseStatus.NEW, CaseStatus.ASSESSMENT, CaseStatus.REOPENED]


def _visible_q(user: Any, prefix: str = "") -> Q:
    """Which cases ``user`` may see, as a filter (``prefix`` for a path through a relation)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    if has(user, "cases.work"):
        q |= Q(**{f"{prefix}caseworker": user})
    for capability in ("cases.supervise", "cases.audit"):
        scope = scope_for(user, capability)
        if not scope.empty:
            q |= scope_filter(
                scope,
                org_unit=f"{prefix}org_unit_id",
                region=f"{prefix}region_id",
                prefix=prefix,
            )
    return q


def case_list_for_user(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(_visible_q(user)).select_related(
        "case_type", "person", "household", "household__head", "caseworker", "region"
    )
    filters = filters or {}
    today = filters.get("today") or timezone.localdate()
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(person__full_name__icontains=q)
            | Q(household__head__full_name__icontains=q)
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    if filters.get("case_type"):
        qs = qs.filter(case_type=filters["case_type"])
    if filters.get("caseworker"):
        qs = qs.filter(caseworker_id=filters["caseworker"])
    if filters.get("mine"):
        qs = qs.filter(caseworker=user)
    overdue = filters.get("overdue")
    if overdue == "assessment":
        qs = qs.filter(status__in=ASSESSMENT_STAGES, assessment_due__lt=today)
    elif overdue == "plan":
        qs = qs.filter(status=CaseStatus.CASE_PLAN, plan_due__lt=today)
    elif overdue == "follow_up":
        qs = qs.filter(
            Exists(
                FollowUp.objects.filter(
                    case=OuterRef("pk"), done_on__isnull=True, due_date__lt=today
                )
            ),
            status__in=OPEN_STATUSES,
        )
    elif overdue == "referral":
        qs = qs.filter(Exists(overdue_referrals(today).filter(case=OuterRef("pk"))))
    if filters.get("awaiting_approval"):
        qs = qs.filter(
            Exists(Approval.objects.filter(case=OuterRef("pk"), status=ApprovalStatus.PENDING))
        )
    return qs


def case_get_for_user(user: Any, pk: Any) -> Case:
    try:
        return case_list_for_user(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue_referrals(today: date) -> QuerySet[Referral]:
    return Referral.objects.filter(
        Q(status=ReferralStatus.SENT, respond_by__lt=today)
        | Q(status=ReferralStatus.ACCEPTED, complete_by__lt=today)
    )


def overdue_board(user: Any, today: date) -> list[dict[str, Any]]:
    """Per caseworker (of the cases the user may see): overdue assessments, case plans,
    follow-ups and referrals. One query: a UNION ALL of four grouped counts; one more for
    the caseworkers' names."""
    visible = _visible_q(user)
    cases = Case.objects.filter(visible)
    assessments = (
        cases.filter(status__in=ASSESSMENT_STAGES, assessment_due__lt=today)
        .annotate(kind=Value("assessment"))
        .order_by()
        .values("caseworker_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("caseworker_id", "kind", "n")
    )
    plans = (
        cases.filter(status=CaseStatus.CASE_PLAN, plan_due__lt=today)
        .annotate(kind=Value("plan"))
        .order_by()
        .values("caseworker_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("caseworker_id", "kind", "n")
    )
    follow_ups = (
        FollowUp.objects.filter(
            _visible_q(user, "case__"),
            case__status__in=OPEN_STATUSES,
            done_on__isnull=True,
            due_date__lt=today,
        )
        .annotate(caseworker=F("case__caseworker_id"), kind=Value("follow_up"))
        .order_by()
        .values("caseworker", "kind")
        .annotate(n=Count("pk"))
        .values_list("caseworker", "kind", "n")
    )
    referrals = (
        overdue_referrals(today)
        .filter(_visible_q(user, "case__"))
        .annotate(caseworker=F("case__caseworker_id"), kind=Value("referral"))
        .order_by()
        .values("caseworker", "kind")
        .annotate(n=Count("pk"))
        .values_list("caseworker", "kind", "n")
    )
    rows: dict[int, dict[str, Any]] = {}
    for caseworker_id, kind, n in assessments.union(plans, follow_ups, referrals, all=True):
        row = rows.setdefault(
            caseworker_id,
            {
                "caseworker_id": caseworker_id,
                "assessment": 0,
                "plan": 0,
                "follow_up": 0,
                "referral": 0,
            },
        )
        row[kind] += n
    if rows:
        from bakti.accounts.models import User

        names = {u.pk: u for u in User.objects.filter(pk__in=rows)}
        for row in rows.values():
            row["caseworker"] = names.get(row["caseworker_id"])
            row["total"] = row["assessment"] + row["plan"] + row["follow_up"] + row["referral"]
    return sorted(rows.values(), key=lambda r: (-r["total"], str(r["caseworker"])))


def approvals_pending_for_user(user: Any) -> QuerySet[Approval]:
    """Requests this user may decide: pending, on cases they supervise, not their own."""
    scope = scope_for(user, "cases.supervise")
    if scope.empty:
        return Approval.objects.none()
    return (
        Approval.objects.filter(status=ApprovalStatus.PENDING)
        .filter(scope_filter(scope, org_unit="case__org_unit_id", region="case__region_id"))
        .exclude(requested_by=user)
        .select_related("case", "case__person", "case__household__head", "requested_by")
        .order_by("requested_at")
    )


def approval_get_for_user(user: Any, pk: Any) -> Approval:
    try:
        return approvals_pending_for_user(user).get(pk=pk)
    except (Approval.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Referrals, for caseworkers and for partners ----------------------------------------


def referral_list_for_user(user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Referrals of the cases the user may see."""
    qs = Referral.objects.filter(_visible_q(user, "case__")).select_related(
        "case", "organisation", "service", "case__person", "case__household__head"
    )
    return _filter_referrals(qs, filters or {})


def partner_organisation_ids(user: Any) -> list[int]:
    from bakti.partners.models import OrganisationUser

    if not has(user, "referrals.respond"):
        return []
    return list(
        OrganisationUser.objects.filter(user=user).values_list("organisation_id", flat=True)
    )


def referral_list_for_partner(user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Referrals sent to the partner user's own organisation, and nothing else."""
    qs = Referral.objects.filter(organisation_id__in=partner_organisation_ids(user))
    qs = qs.select_related(
        "case", "organisation", "service", "case__person", "case__household__head", "sent_by"
    )
    return _filter_referrals(qs, filters or {})


def _filter_referrals(qs: QuerySet, filters: dict[str, Any]) -> QuerySet:
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(case__reference__icontains=q)
            | Q(case__person__full_name__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    return qs


def referral_get_for_partner(user: Any, pk: Any) -> Referral:
    try:
        return referral_list_for_partner(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def referral_get_for_user(user: Any, pk: Any) -> Referral:
    try:
        return referral_list_for_user(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
