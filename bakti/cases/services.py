"""Writes for case management: open, assess, plan, approve, follow up, refer, close, reopen.

Workflow: new → assessment → case plan → service provision → closed → reopened (→ assessment).
The case plan and the closure need a supervisor's approval when the case type says so; a
supervisor is a holder of ``cases.supervise`` whose scope covers the case's org unit, and never
approves their own request.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import has, memberships, scope_for
from bakti.accounts.roles import capabilities_of
from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction
from bakti.registry.limits import active_restriction, check_not_restricted, restriction_message
from bakti.registry.models import Consent, ConsentPurpose

from .models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Assignment,
    Case,
    CaseStatus,
    FollowUp,
    Goal,
    Intervention,
    Note,
    Referral,
    ReferralStatus,
)

# The consent purposes that allow a referral to a partner. The registry has no purpose called
# "referral"; sharing data with partners is what a referral does.
REFERRAL_PURPOSES = [
    p for p in ("referral", ConsentPurpose.DATA_SHARING) if p in ConsentPurpose.values
]

OPEN_STATUSES = [
    CaseStatus.NEW,
    CaseStatus.ASSESSMENT,
    CaseStatus.CASE_PLAN,
    CaseStatus.SERVICE_PROVISION,
    CaseStatus.REOPENED,
]


def _today() -> date:
    return timezone.localdate()


def caseworker_org_unit(user: Any) -> Any:
    """The org unit in which ``user`` works cases (their first membership granting it)."""
    for membership in memberships(user):
        if "cases.work" in capabilities_of(membership.role):
            return membership.org_unit
    return None


def is_supervisor_of(user: Any, case: Case) -> bool:
    return scope_for(user, "cases.supervise").contains(
        org_unit_id=case.org_unit_id, region_code=case.region_id
    )


def may_work_on(user: Any, case: Case) -> bool:
    """The assigned caseworker and the case's supervisors may change it; auditors only read."""
    return (case.caseworker_id == user.pk and has(user, "cases.work")) or is_supervisor_of(
        user, case
    )


def _require_work(actor: Any, case: Case) -> None:
    if not may_work_on(actor, case):
        raise PermissionDenied(_("Only the caseworker or a supervisor may change this case."))


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it first."))


def _transition(actor: Any, case: Case, to: str, reason: str = "", **data: Any) -> Case:
    case, _changes = audited_update(
        case, actor=actor, data={"status": to, **data}, action=AuditAction.TRANSITION, reason=reason
    )
    return case


def _next_reference(opened_on: date) -> str:
    prefix = f"KS-{opened_on.year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_open(
    *,
    actor: Any,
    case_type: Any,
    summary: str,
    person: Any = None,
    household: Any = None,
    risk_level: str = "medium",
    ppks: Any = (),
    concerns: Any = (),
    caseworker: Any = None,
    opened_on: date | None = None,
) -> Case:
    """Open a case for a person (their household is taken along) or for a household."""
    caseworker = caseworker or actor
    if not has(caseworker, "cases.work"):
        raise ValidationError({"caseworker": _("This user does not work cases.")})
    org_unit = caseworker_org_unit(caseworker)
    if person is None and household is None:
        raise ValidationError(_("Choose the person or the household the case is for."))
    if person is not None:
        if person.household_id is None:
            raise ValidationError({"person": _("This person has no household in the registry.")})
        household = person.household
    opened_on = opened_on or _today()
    case = audited_create(
        Case(
            reference=_next_reference(opened_on),
            case_type=case_type,
            person=person,
            household=household,
            region_id=household.region_id,
            caseworker=caseworker,
            org_unit=org_unit,
            risk_level=risk_level,
            summary=summary,
            opened_on=opened_on,
            assessment_due=opened_on + timedelta(days=case_type.assessment_days),
            plan_due=opened_on + timedelta(days=case_type.plan_days),
        ),
        actor=actor,
    )
    if ppks:
        case.ppks.set(ppks)
    if concerns:
        case.concerns.set(concerns)
    if ppks or concerns:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            changes={
                "ppks": [None, [p.pk for p in ppks]],
                "concerns": [None, [c.pk for c in concerns]],
            },
        )
    Assignment.objects.create(case=case, caseworker=caseworker, assigned_by=actor)
    return case


@transaction.atomic
def case_update(
    *,
    actor: Any,
    case: Case,
    data: dict[str, Any],
    ppks: Any = None,
    concerns: Any = None,
    expected_version: int | None = None,
) -> Case:
    """Change the risk level, summary or needs of a case."""
    _require_work(actor, case)
    case, _changes = audited_update(case, actor=actor, data=data, expected_version=expected_version)
    for name, values in (("ppks", ppks), ("concerns", concerns)):
        if values is None:
            continue
        manager = getattr(case, name)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        after = sorted(manager.values_list("pk", flat=True))
        if before != after:
            record(
                actor=actor, action=AuditAction.UPDATE, obj=case, changes={name: [before, after]}
            )
    return case


@transaction.atomic
def case_start_assessment(*, actor: Any, case: Case) -> Case:
    _require_work(actor, case)
    if case.status not in (CaseStatus.NEW, CaseStatus.REOPENED):
        raise ValidationError(_("An assessment can only start on a new or reopened case."))
    return _transition(actor, case, CaseStatus.ASSESSMENT)


@transaction.atomic
def case_record_assessment(
    *, actor: Any, case: Case, assessment: str, risk_level: str, assessed_on: date | None = None
) -> Case:
    """Record the assessment; the case moves on to its case plan."""
    _require_work(actor, case)
    if case.status not in (CaseStatus.NEW, CaseStatus.ASSESSMENT, CaseStatus.REOPENED):
        raise ValidationError(_("The assessment can only be recorded before the case plan."))
    if not assessment.strip():
        raise ValidationError({"assessment": _("Write the assessment.")})
    return _transition(
        actor,
        case,
        CaseStatus.CASE_PLAN,
        assessment=assessment,
        risk_level=risk_level,
        assessed_on=assessed_on or _today(),
    )


@transaction.atomic
def goal_add(*, actor: Any, case: Case, description: str, target_date: date | None = None) -> Goal:
    _require_work(actor, case)
    _require_open(case)
    return audited_create(
        Goal(case=case, description=description, target_date=target_date), actor=actor
    )


@transaction.atomic
def intervention_add(*, actor: Any, case: Case, **fields: Any) -> Intervention:
    _require_work(actor, case)
    _require_open(case)
    goal = fields.get("goal")
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError({"goal": _("This goal belongs to another case.")})
    return audited_create(Intervention(case=case, **fields), actor=actor)


@transaction.atomic
def intervention_done(
    *, actor: Any, intervention: Intervention, done_on: date | None = None
) -> Intervention:
    _require_work(actor, intervention.case)
    intervention, _changes = audited_update(
        intervention, actor=actor, data={"done_on": done_on or _today()}
    )
    return intervention


def pending_approval(case: Case, kind: str) -> Approval | None:
    return Approval.objects.filter(case=case, kind=kind, status=ApprovalStatus.PENDING).first()


@transaction.atomic
def case_plan_submit(*, actor: Any, case: Case, note: str = "") -> Case:
    """Submit the case plan. With approval required it waits for a supervisor; otherwise the
    case moves to service provision at once."""
    _require_work(actor, case)
    if case.status != CaseStatus.CASE_PLAN:
        raise ValidationError(_("Record the assessment before submitting the case plan."))
    if not case.goals.exists():
        raise ValidationError(_("A case plan needs at least one goal."))
    if pending_approval(case, ApprovalKind.CASE_PLAN):
        raise ValidationError(_("The case plan is already waiting for approval."))
    if case.case_type.plan_needs_approval:
        approval = Approval.objects.create(
            case=case, kind=ApprovalKind.CASE_PLAN, requested_by=actor, note=note
        )
        record(
            actor=actor,
            action=AuditAction.OTHER,
            obj=case,
            changes={"approval_requested": [None, approval.kind]},
            reason=note,
        )
        return case
    return _transition(
        actor, case, CaseStatus.SERVICE_PROVISION, reason=note, plan_approved_on=_today()
    )


@transaction.atomic
def case_close(*, actor: Any, case: Case, reason: str, note: str = "") -> Case:
    """Close the case with a reason, or ask a supervisor to when the case type requires it."""
    _require_work(actor, case)
    _require_open(case)
    if not reason:
        raise ValidationError({"closure_reason": _("Choose why the case is closed.")})
    if pending_approval(case, ApprovalKind.CLOSURE):
        raise ValidationError(_("The closure is already waiting for approval."))
    if case.case_type.closure_needs_approval:
        Approval.objects.create(
            case=case,
            kind=ApprovalKind.CLOSURE,
            requested_by=actor,
            closure_reason=reason,
            note=note,
        )
        record(
            actor=actor,
            action=AuditAction.OTHER,
            obj=case,
            changes={"approval_requested": [None, ApprovalKind.CLOSURE]},
            reason=note,
        )
        return case
    return _transition(
        actor,
        case,
        CaseStatus.CLOSED,
        reason=note,
        closure_reason=reason,
        closure_note=note,
        closed_on=_today(),
    )


@transaction.atomic
def approval_decide(
    *, actor: Any, approval: Approval, approve: bool, comment: str = ""
) -> Approval:
    """A supervisor approves or rejects a case plan or a closure (never their own request)."""
    case = approval.case
    if not is_supervisor_of(actor, case):
        raise PermissionDenied(_("Only a supervisor of this case may decide."))
    if approval.requested_by_id == actor.pk:
        raise ValidationError(_("You cannot approve or reject your own request."))
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.comment = comment
    approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    record(
        actor=actor,
        action=AuditAction.APPROVE if approve else AuditAction.REJECT,
        obj=case,
        changes={approval.kind: [ApprovalStatus.PENDING, approval.status]},
        reason=comment,
    )
    if approve and approval.kind == ApprovalKind.CASE_PLAN:
        _transition(actor, case, CaseStatus.SERVICE_PROVISION, plan_approved_on=_today())
    elif approve and approval.kind == ApprovalKind.CLOSURE:
        _transition(
            actor,
            case,
            CaseStatus.CLOSED,
            closure_reason=approval.closure_reason,
            closure_note=approval.note,
            closed_on=_today(),
        )
    return approval


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    _require_work(actor, case)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    return _transition(
        actor,
        case,
        CaseStatus.REOPENED,
        reason=reason,
        closed_on=None,
        closure_reason="",
        assessment_due=_today() + timedelta(days=case.case_type.assessment_days),
        plan_due=_today() + timedelta(days=case.case_type.plan_days),
    )


@transaction.atomic
def case_assign(*, actor: Any, case: Case, caseworker: Any, reason: str = "") -> Case:
    """Assign or transfer the case to another caseworker; the transfer is kept in the history."""
    _require_work(actor, case)
    if caseworker.pk == case.caseworker_id:
        raise ValidationError({"caseworker": _("The case is already assigned to this person.")})
    if not has(caseworker, "cases.work"):
        raise ValidationError({"caseworker": _("This user does not work cases.")})
    previous = case.caseworker
    Assignment.objects.create(
        case=case, caseworker=caseworker, previous=previous, assigned_by=actor, reason=reason
    )
    case, _changes = audited_update(
        case,
        actor=actor,
        data={"caseworker": caseworker, "org_unit": caseworker_org_unit(caseworker)},
        reason=reason,
    )
    return case


@transaction.atomic
def follow_up_add(*, actor: Any, case: Case, due_date: date, purpose: str) -> FollowUp:
    _require_work(actor, case)
    _require_open(case)
    return audited_create(FollowUp(case=case, due_date=due_date, purpose=purpose), actor=actor)


@transaction.atomic
def follow_up_complete(
    *, actor: Any, follow_up: FollowUp, outcome: str, done_on: date | None = None
) -> FollowUp:
    _require_work(actor, follow_up.case)
    if follow_up.done_on:
        raise ValidationError(_("This follow-up is already done."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what happened at the follow-up.")})
    follow_up, _changes = audited_update(
        follow_up,
        actor=actor,
        data={"done_on": done_on or _today(), "outcome": outcome, "done_by": actor},
    )
    return follow_up


@transaction.atomic
def note_add(*, actor: Any, case: Case, text: str, attachment: Any = None) -> Note:
    _require_work(actor, case)
    note = Note(case=case, author=actor, text=text)
    if attachment:
        note.attachment = attachment
    return audited_create(note, actor=actor)


# --- Referrals ---------------------------------------------------------------------------


def referral_consent(case: Case) -> Consent | None:
    """A current consent that covers referring this case's person (or household head)."""
    person_id = case.person_id or case.household.head_id
    if person_id is None:
        return None
    return (
        Consent.objects.filter(
            person_id=person_id, purpose__in=REFERRAL_PURPOSES, withdrawn_on__isnull=True
        )
        .order_by("-given_on")
        .first()
    )


def _subject(case: Case) -> dict[str, Any]:
    if case.person_id:
        return {"person_id": case.person_id}
    return {"household_id": case.household_id}


def referral_restriction(case: Case) -> str:
    """Why no referral may be sent for this case under UU PDP (a restriction of processing),
    or an empty string."""
    limit = active_restriction(**_subject(case))
    return restriction_message(limit) if limit is not None else ""


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    service: Any,
    need: str,
    override_reason: str = "",
    complete_by: date | None = None,
) -> Referral:
    """Refer the case to a partner organisation's service.

    Refused unless the person consented to their data being shared with partners, or a user
    with ``cases.override_consent`` writes why the referral must go without it.
    """
    _require_work(actor, case)
    _require_open(case)
    if not getattr(service, "is_active", True):
        raise ValidationError({"service": _("This service is no longer offered.")})
    # UU PDP: a restricted person's data is not shared with partners, consent or override
    # notwithstanding (a household case: none of its members may be restricted).
    check_not_restricted(**_subject(case))
    consent = referral_consent(case)
    override_reason = override_reason.strip()
    if consent is None:
        if not override_reason:
            raise ValidationError(
                _(
                    "This referral cannot be sent: there is no recorded consent to share "
                    "the person's data with partners. Record the consent in the registry, or "
                    "ask a user who may override it to give a written reason."
                )
            )
        if not scope_for(actor, "cases.override_consent").contains(
            org_unit_id=case.org_unit_id, region_code=case.region_id
        ):
            raise PermissionDenied(
                _("You may not refer without consent. Ask a supervisor who may override it.")
            )
    referral = audited_create(
        Referral(
            case=case,
            service=service,
            organisation_id=service.organisation_id,
            need=need,
            respond_by=_today() + timedelta(days=case.case_type.referral_response_days),
            complete_by=complete_by,
            consent=consent,
            consent_override_reason="" if consent else override_reason,
            sent_by=actor,
        ),
        actor=actor,
        reason="" if consent else override_reason,
    )
    return referral


def _require_partner_of(actor: Any, referral: Referral) -> None:
    from bakti.partners.models import OrganisationUser

    if not (
        has(actor, "referrals.respond")
        and OrganisationUser.objects.filter(
            user=actor, organisation_id=referral.organisation_id
        ).exists()
    ):
        raise PermissionDenied(_("Only the organisation this was referred to may answer."))


@transaction.atomic
def referral_respond(*, actor: Any, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The partner accepts the referral, or rejects it with a reason."""
    _require_partner_of(actor, referral)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"rejection_reason": _("Say why the referral is rejected.")})
    referral, _changes = audited_update(
        referral,
        actor=actor,
        data={
            "status": ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED,
            "responded_by": actor,
            "responded_at": timezone.now(),
            "rejection_reason": "" if accept else reason.strip(),
        },
        action=AuditAction.TRANSITION,
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_complete(*, actor: Any, referral: Referral, outcome: str = "") -> Referral:
    """The partner (or the caseworker) records that the service was given."""
    if not may_work_on(actor, referral.case):
        _require_partner_of(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral, _changes = audited_update(
        referral,
        actor=actor,
        data={
            "status": ReferralStatus.COMPLETED,
            "completed_at": timezone.now(),
            "outcome": outcome,
        },
        action=AuditAction.TRANSITION,
    )
    return referral
