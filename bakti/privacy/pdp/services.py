"""Writes of the data-protection duties. Each action is audited; changes to a person go through
the registry's services (correction, consent withdrawal) or ``subjects`` (anonymisation)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.accounts.models import Membership
from bakti.accounts.roles import Role
from bakti.partners.services import notify
from bakti.privacy.audit import (
    audited_create,
    audited_update,
    record,
    record_access,
    record_bulk,
)
from bakti.privacy.models import AuditAction
from bakti.registry import services as registry_services
from bakti.registry.models import Consent, Person

from . import subjects
from .access_export import person_data_export
from .models import (
    ALERT_WINDOW,
    DEADLINE,
    OPEN_REQUEST,
    Anonymisation,
    Audience,
    Breach,
    BreachNotice,
    BreachStatus,
    DataCategory,
    DataSubjectRequest,
    Dpia,
    DpiaStatus,
    LimitKind,
    ProcessingLimit,
    ProcessingRecord,
    RequestKind,
    RequestStatus,
    RetentionPolicy,
    RetentionRun,
)
from .selectors import MANAGE, months_before, restricted_person_ids, retention_candidates

# Fields a correction request may change (through the registry's person_update).
CORRECTABLE = ("full_name", "sex", "birth_date", "birth_place", "phone", "occupation")


def _check_manage(actor: Any, region_code: str | None) -> None:
    scope = scope_for(actor, MANAGE)
    allowed = not scope.empty if region_code is None else scope.contains_region(region_code)
    if not allowed:
        raise PermissionDenied(_("You may not handle data-protection matters in this region."))


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Times from the API may come without a zone: they are read in the local time zone."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _check_open(request: DataSubjectRequest) -> None:
    if request.status not in OPEN_REQUEST:
        raise ValidationError(_("This request is already closed; it cannot be changed."))


def _need_person(request: DataSubjectRequest) -> Person:
    if request.person is None:
        raise ValidationError(
            {"person": _("Find the person in the registry and link them to the request first.")}
        )
    return request.person


# --- data-subject requests ------------------------------------------------------------------


@transaction.atomic
def dsr_receive(
    *,
    actor: Any,
    kind: str,
    requester_name: str,
    requester_relation: str,
    channel: str,
    received_at: dt.datetime,
    region: Any = None,
    person: Person | None = None,
    requester_contact: str = "",
    details: str = "",
) -> DataSubjectRequest:
    """Record a request; the answer is due 3x24 hours after it was received."""
    if person is not None:
        region = person.region
    if region is None:
        raise ValidationError({"region": _("Choose the region of the person or the request.")})
    region_code = getattr(region, "pk", region)
    _check_manage(actor, region_code)
    received_at = _aware(received_at)
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    request = DataSubjectRequest(
        kind=kind,
        person=person,
        region_id=region_code,
        requester_name=requester_name.strip(),
        requester_relation=requester_relation,
        requester_contact=requester_contact.strip(),
        channel=channel,
        details=details.strip(),
        received_at=received_at,
        due_at=received_at + DEADLINE,
    )
    return audited_create(request, actor=actor)


@transaction.atomic
def dsr_start(*, actor: Any, request: DataSubjectRequest) -> DataSubjectRequest:
    """Take the request on: it is in progress and handled by ``actor``."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    request, _changes = audited_update(
        request,
        actor=actor,
        data={"status": RequestStatus.IN_PROGRESS, "handled_by": actor},
        action=AuditAction.TRANSITION,
    )
    return request


@transaction.atomic
def dsr_link_person(
    *, actor: Any, request: DataSubjectRequest, person: Person
) -> DataSubjectRequest:
    """Link the request to the person found in the registry (their region becomes its region)."""
    _check_manage(actor, request.region_id)
    _check_manage(actor, person.region_id)
    _check_open(request)
    request, _changes = audited_update(
        request, actor=actor, data={"person": person, "region_id": person.region_id}
    )
    return request


def _close(
    actor: Any,
    request: DataSubjectRequest,
    *,
    status: str,
    answer: str,
    answer_channel: str,
    refusal_reason: str = "",
) -> DataSubjectRequest:
    errors = {}
    if not answer.strip():
        errors["answer"] = _("Write the answer given to the requester.")
    if not answer_channel:
        errors["answer_channel"] = _("Say how the answer was delivered.")
    if status == RequestStatus.REFUSED and not refusal_reason.strip():
        errors["refusal_reason"] = _("Write why the request is refused.")
    if errors:
        raise ValidationError(errors)
    request, _changes = audited_update(
        request,
        actor=actor,
        data={
            "status": status,
            "answer": answer.strip(),
            "answer_channel": answer_channel,
            "refusal_reason": refusal_reason.strip(),
            "answered_at": timezone.now(),
            "handled_by": actor,
        },
        action=AuditAction.TRANSITION,
    )
    return request


@transaction.atomic
def dsr_answer(
    *, actor: Any, request: DataSubjectRequest, answer: str, answer_channel: str
) -> DataSubjectRequest:
    """Close the request as answered (after access was given, or for a request that needed
    no change in Bakti)."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


@transaction.atomic
def dsr_refuse(
    *,
    actor: Any,
    request: DataSubjectRequest,
    refusal_reason: str,
    answer: str,
    answer_channel: str,
) -> DataSubjectRequest:
    """Refuse the request; the reason is kept and shown."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    return _close(
        actor,
        request,
        status=RequestStatus.REFUSED,
        answer=answer,
        answer_channel=answer_channel,
        refusal_reason=refusal_reason,
    )


def dsr_access_export(*, actor: Any, request: DataSubjectRequest) -> dict[str, Any]:
    """Everything held about the person of an access request; the view is logged."""
    _check_manage(actor, request.region_id)
    if request.kind != RequestKind.ACCESS:
        raise ValidationError(_("Only an access request produces an export of the record."))
    person = _need_person(request)
    record_access(
        actor=actor,
        obj=person,
        what="full record export (access request)",
        reason=f"DSR-{request.pk}",
    )
    return person_data_export(person)


@transaction.atomic
def dsr_correct(
    *,
    actor: Any,
    request: DataSubjectRequest,
    data: dict[str, Any],
    answer: str,
    answer_channel: str,
) -> DataSubjectRequest:
    """Correct the person's record (through the registry) and answer the request."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    if request.kind != RequestKind.CORRECTION:
        raise ValidationError(_("Only a correction request changes the record this way."))
    person = _need_person(request)
    changes = {k: v for k, v in data.items() if k in CORRECTABLE}
    registry_services.person_update(
        actor=actor, person=person, data=changes, reason=f"DSR-{request.pk}"
    )
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


def _add_limit(actor: Any, request: DataSubjectRequest, kind: str) -> ProcessingLimit:
    person = _need_person(request)
    existing = ProcessingLimit.objects.filter(person=person, kind=kind, lifted_at__isnull=True)
    if existing.exists():
        return existing.first()  # type: ignore[return-value]
    limit = ProcessingLimit(
        kind=kind,
        person=person,
        household_id=person.household_id,
        request=request,
        reason=request.details or str(request.get_kind_display()),
    )
    return audited_create(limit, actor=actor, reason=f"DSR-{request.pk}")


@transaction.atomic
def dsr_restrict(
    *, actor: Any, request: DataSubjectRequest, answer: str, answer_channel: str
) -> DataSubjectRequest:
    """Restrict the processing of the person's data and answer the request."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    if request.kind != RequestKind.RESTRICTION:
        raise ValidationError(_("Only a restriction request restricts processing."))
    _add_limit(actor, request, LimitKind.RESTRICTION)
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


@transaction.atomic
def dsr_object_to_scoring(
    *, actor: Any, request: DataSubjectRequest, answer: str, answer_channel: str
) -> DataSubjectRequest:
    """Take the person's household out of automated scoring and answer the request."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    if request.kind != RequestKind.OBJECTION:
        raise ValidationError(_("Only an objection to scoring stops scoring."))
    person = _need_person(request)
    if person.household_id is None:
        raise ValidationError(
            {"person": _("The person belongs to no household: there is nothing to score.")}
        )
    _add_limit(actor, request, LimitKind.SCORING_OBJECTION)
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


@transaction.atomic
def dsr_withdraw_consent(
    *,
    actor: Any,
    request: DataSubjectRequest,
    consents: Sequence[Consent],
    answer: str,
    answer_channel: str,
) -> DataSubjectRequest:
    """Withdraw the chosen consents through the registry (what rested on them stops)."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    if request.kind != RequestKind.WITHDRAWAL:
        raise ValidationError(_("Only a withdrawal request withdraws consent."))
    person = _need_person(request)
    if not consents:
        raise ValidationError({"consents": _("Choose the consent to withdraw.")})
    for consent in consents:
        if consent.person_id != person.pk:
            raise ValidationError({"consents": _("The consent belongs to another person.")})
        registry_services.consent_withdraw(
            actor=actor,
            consent=consent,
            withdrawn_on=timezone.localdate(),
            reason=request.details or f"DSR-{request.pk}",
        )
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


@transaction.atomic
def dsr_erase(
    *, actor: Any, request: DataSubjectRequest, answer: str, answer_channel: str
) -> DataSubjectRequest:
    """Anonymise the person; when a legal obligation requires keeping the record, the request
    is refused instead and the obligations are the reason given."""
    _check_manage(actor, request.region_id)
    _check_open(request)
    if request.kind != RequestKind.DELETION:
        raise ValidationError(_("Only a deletion request erases a record."))
    person = _need_person(request)
    holds = subjects.legal_holds(person)
    if holds:
        return _close(
            actor,
            request,
            status=RequestStatus.REFUSED,
            answer=answer,
            answer_channel=answer_channel,
            refusal_reason=" ".join(holds),
        )
    subjects.person_anonymise(
        actor=actor, person=person, reason=f"DSR-{request.pk}", request=request
    )
    request.refresh_from_db()
    return _close(
        actor, request, status=RequestStatus.ANSWERED, answer=answer, answer_channel=answer_channel
    )


@transaction.atomic
def processing_limit_lift(*, actor: Any, limit: ProcessingLimit, reason: str) -> ProcessingLimit:
    _check_manage(actor, limit.person.region_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the limit is lifted.")})
    limit, _changes = audited_update(
        limit,
        actor=actor,
        data={"lifted_at": timezone.now(), "lifted_by": actor},
        reason=reason,
        action=AuditAction.TRANSITION,
    )
    return limit


# --- alerts -------------------------------------------------------------------------------------


def _officers_for(region_code: str | None) -> list[Any]:
    """Active data protection officers whose scope covers ``region_code``."""
    users = {}
    for membership in Membership.objects.filter(role=Role.DPO).select_related("user"):
        if not membership.is_current or not membership.user.is_active:
            continue
        scope = membership.region_id
        if region_code is None or scope is None or (region_code + ".").startswith(scope + "."):
            users[membership.user.pk] = membership.user
    return list(users.values())


def deadline_alerts_send(*, now: dt.datetime | None = None) -> int:
    """Notify the data protection officers (and the handler) of requests due within 24 hours
    or overdue, and of breaches whose notices are overdue. Each alert is sent once per request
    and stage, so the job is safe to run every hour (or twice)."""
    now = now or timezone.now()
    sent = 0
    open_requests = DataSubjectRequest.objects.filter(status__in=OPEN_REQUEST).select_related(
        "handled_by"
    )
    stages = [
        (
            "overdue_alerted_at",
            open_requests.filter(due_at__lt=now, overdue_alerted_at__isnull=True),
            _("Data-subject request DSR-%(pk)s is overdue"),
        ),
        (
            "due_soon_alerted_at",
            open_requests.filter(
                due_at__gte=now, due_at__lte=now + ALERT_WINDOW, due_soon_alerted_at__isnull=True
            ),
            _("Data-subject request DSR-%(pk)s is due within 24 hours"),
        ),
    ]
    for marker, rows, title in stages:
        for request in rows:
            with transaction.atomic():
                claimed = DataSubjectRequest.objects.filter(
                    pk=request.pk, **{f"{marker}__isnull": True}
                ).update(**{marker: now})
                if not claimed:
                    continue
                people = _officers_for(request.region_id)
                if request.handled_by and request.handled_by not in people:
                    people.append(request.handled_by)
                for user in people:
                    notify(
                        user=user,
                        title=title % {"pk": request.pk},
                        body=_("%(kind)s, answer due %(due)s.")
                        % {
                            "kind": request.get_kind_display(),
                            "due": timezone.localtime(request.due_at).strftime("%Y-%m-%d %H:%M"),
                        },
                        url=reverse("privacy:dsr_detail", args=[request.pk]),
                    )
                    sent += 1
    late = Breach.objects.filter(
        status=BreachStatus.OPEN, notify_due_at__lt=now, overdue_alerted_at__isnull=True
    )
    for breach in late:
        with transaction.atomic():
            if not Breach.objects.filter(pk=breach.pk, overdue_alerted_at__isnull=True).update(
                overdue_alerted_at=now
            ):
                continue
            for user in _officers_for(None):
                notify(
                    user=user,
                    title=_("Breach notices are overdue: %(title)s") % {"title": breach.title},
                    body=_("The people affected and the authority had to be told within 72 hours."),
                    url=reverse("privacy:breach_detail", args=[breach.pk]),
                )
                sent += 1
    return sent


# --- breaches -----------------------------------------------------------------------------------


def _check_categories(categories: Iterable[str]) -> list[str]:
    valid = set(DataCategory.values)
    chosen = list(dict.fromkeys(categories))
    wrong = [c for c in chosen if c not in valid]
    if wrong or not chosen:
        raise ValidationError({"data_categories": _("Choose the categories of data concerned.")})
    return chosen


@transaction.atomic
def breach_record(
    *,
    actor: Any,
    title: str,
    description: str,
    discovered_at: dt.datetime,
    data_categories: Iterable[str],
    people_affected: int,
    occurred_at: dt.datetime | None = None,
    persons: Iterable[Person] = (),
    actions_taken: str = "",
) -> Breach:
    """Enter a breach in the register; notices are due 3x24 hours after its discovery."""
    _check_manage(actor, None)
    discovered_at, occurred_at = _aware(discovered_at), _aware(occurred_at)
    if occurred_at and occurred_at > discovered_at:
        raise ValidationError({"occurred_at": _("A breach cannot occur after it was discovered.")})
    persons = list(persons)
    breach = Breach(
        title=title.strip(),
        description=description.strip(),
        occurred_at=occurred_at,
        discovered_at=discovered_at,
        notify_due_at=discovered_at + DEADLINE,
        data_categories=_check_categories(data_categories),
        people_affected=max(people_affected, len(persons)),
        actions_taken=actions_taken.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audited_create(breach, actor=actor)
    if persons:
        breach.persons.set(persons)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=breach,
            changes={"persons": [[], sorted(p.pk for p in persons)]},
        )
    return breach


@transaction.atomic
def breach_update(
    *,
    actor: Any,
    breach: Breach,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Breach:
    _check_manage(actor, None)
    if breach.status == BreachStatus.CLOSED:
        raise ValidationError(_("This breach is closed; it cannot be changed."))
    allowed = {"title", "description", "occurred_at", "people_affected", "actions_taken"}
    data = {k: v for k, v in data.items() if k in allowed}
    if "data_categories" in data:
        data["data_categories"] = _check_categories(data["data_categories"])
    breach, _changes = audited_update(
        breach, actor=actor, data=data, expected_version=expected_version
    )
    return breach


@transaction.atomic
def breach_notice_add(
    *,
    actor: Any,
    breach: Breach,
    audience: str,
    recipient: str,
    channel: str,
    sent_at: dt.datetime,
    text: str,
) -> BreachNotice:
    """Keep a notice as it was sent. Once both the people affected and the authority have been
    told, the breach is marked notified."""
    _check_manage(actor, None)
    sent_at = _aware(sent_at)
    if sent_at < breach.discovered_at:
        raise ValidationError({"sent_at": _("A notice cannot be sent before the discovery.")})
    notice = BreachNotice(
        breach=breach,
        audience=audience,
        recipient=recipient.strip(),
        channel=channel,
        sent_at=sent_at,
        text=text.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audited_create(notice, actor=actor)
    told = set(breach.notices.values_list("audience", flat=True))
    if breach.status == BreachStatus.OPEN and told >= {Audience.PEOPLE, Audience.AUTHORITY}:
        audited_update(
            breach,
            actor=actor,
            data={"status": BreachStatus.NOTIFIED},
            action=AuditAction.TRANSITION,
        )
    return notice


@transaction.atomic
def breach_close(*, actor: Any, breach: Breach, actions_taken: str) -> Breach:
    _check_manage(actor, None)
    if breach.status == BreachStatus.CLOSED:
        raise ValidationError(_("This breach is already closed."))
    if breach.status != BreachStatus.NOTIFIED:
        raise ValidationError(
            _("Record the notices to the people affected and to the authority before closing.")
        )
    if not actions_taken.strip():
        raise ValidationError({"actions_taken": _("Write what was done about the breach.")})
    breach, _changes = audited_update(
        breach,
        actor=actor,
        data={"status": BreachStatus.CLOSED, "actions_taken": actions_taken.strip()},
        action=AuditAction.TRANSITION,
    )
    return breach


# --- retention ----------------------------------------------------------------------------------


@transaction.atomic
def retention_policy_update(
    *,
    actor: Any,
    policy: RetentionPolicy,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> RetentionPolicy:
    _check_manage(actor, None)
    data = {k: v for k, v in data.items() if k in {"period_months", "starts", "action"}}
    if "period_months" in data and (data["period_months"] or 0) < 1:
        raise ValidationError({"period_months": _("The period must be at least one month.")})
    policy, _changes = audited_update(
        policy, actor=actor, data=data, expected_version=expected_version
    )
    return policy


def retention_cutoff(today: dt.date | None = None) -> tuple[int, dt.date]:
    """The identity retention period and the exit date before which people are anonymised."""
    policy = RetentionPolicy.objects.filter(category=DataCategory.IDENTITY).first()
    if policy is None:
        raise ValidationError(_("Set a retention period for identity data first."))
    today = today or timezone.localdate()
    return policy.period_months, months_before(today, policy.period_months)


@transaction.atomic
def retention_apply(
    *, actor: Any, dry_run: bool = False, today: dt.date | None = None
) -> RetentionRun:
    """Anonymise the people who left every program longer ago than the identity retention
    period. People with an open case, and people whose processing is restricted (a restriction
    is often asked while a dispute about the record is open), are kept and counted. A dry run
    only counts. Safe to run twice: anonymised people are not candidates any more."""
    if actor is not None:
        _check_manage(actor, None)
    period, cutoff = retention_cutoff(today)
    candidates = list(retention_candidates(cutoff))
    restricted = set(restricted_person_ids())
    run = RetentionRun.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        dry_run=dry_run,
        period_months=period,
        cutoff=cutoff,
        candidates=len(candidates),
    )
    anonymised, held = [], []
    for person in candidates:
        if person.open_case or person.pk in restricted or subjects.legal_holds(person):
            held.append(person.pk)
            continue
        if not dry_run:
            subjects.person_anonymise(
                actor=actor,
                person=person,
                reason=_("Retention period of %(months)s months passed") % {"months": period},
                run=run,
            )
        anonymised.append(person.pk)
    run.anonymised = 0 if dry_run else len(anonymised)
    run.held = len(held)
    run.details = {"would_anonymise" if dry_run else "anonymised": anonymised, "held": held}
    run.save(update_fields=["anonymised", "held", "details"])
    record_bulk(
        actor=actor,
        object_type="pdp.retentionrun",
        action=AuditAction.OTHER,
        summary={
            "run": run.pk,
            "dry_run": dry_run,
            "cutoff": cutoff,
            "candidates": run.candidates,
            "anonymised": run.anonymised,
            "held": run.held,
        },
        reason=_("Retention"),
    )
    return run


def anonymised_count() -> int:
    return Anonymisation.objects.count()


# --- records of processing and DPIA ---------------------------------------------------------------


@transaction.atomic
def processing_record_save(
    *,
    actor: Any,
    program: Any,
    data: dict[str, Any],
    recipients: Iterable[Any] = (),
    expected_version: int | None = None,
) -> ProcessingRecord:
    """Create or change the record of processing of ``program``."""
    _check_manage(actor, None)
    data = dict(data)
    data["data_categories"] = _check_categories(data.get("data_categories", []))
    existing = ProcessingRecord.objects.filter(program=program).first()
    if existing is None:
        item = audited_create(ProcessingRecord(program=program, **data), actor=actor)
    else:
        item, _changes = audited_update(
            existing, actor=actor, data=data, expected_version=expected_version
        )
    before = sorted(item.recipients.values_list("pk", flat=True))
    after = sorted(r.pk for r in recipients)
    if before != after:
        item.recipients.set(list(recipients))
        changes = {"recipients": [before, after]}
        record(actor=actor, action=AuditAction.UPDATE, obj=item, changes=changes)
    return item


@transaction.atomic
def dpia_create(*, actor: Any, program: Any, data: dict[str, Any]) -> Dpia:
    _check_manage(actor, None)
    return audited_create(Dpia(program=program, **data), actor=actor)


@transaction.atomic
def dpia_update(
    *, actor: Any, dpia: Dpia, data: dict[str, Any], expected_version: int | None = None
) -> Dpia:
    _check_manage(actor, None)
    if dpia.status == DpiaStatus.SIGNED_OFF:
        raise ValidationError(_("A signed-off assessment cannot be changed; start a new one."))
    dpia, _changes = audited_update(dpia, actor=actor, data=data, expected_version=expected_version)
    return dpia


@transaction.atomic
def dpia_sign_off(*, actor: Any, dpia: Dpia) -> Dpia:
    """The data protection officer signs the assessment off (with their written opinion)."""
    _check_manage(actor, None)
    if dpia.status == DpiaStatus.SIGNED_OFF:
        raise ValidationError(_("This assessment is already signed off."))
    if not dpia.dpo_opinion.strip():
        raise ValidationError(
            {"dpo_opinion": _("Write the opinion of the data protection officer first.")}
        )
    dpia, _changes = audited_update(
        dpia,
        actor=actor,
        data={
            "status": DpiaStatus.SIGNED_OFF,
            "signed_off_by": actor,
            "signed_off_at": timezone.now(),
        },
        action=AuditAction.APPROVE,
    )
    return dpia
