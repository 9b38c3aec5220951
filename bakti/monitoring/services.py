"""Writes for monitoring: computation rules and computed actuals, entered actuals with their
approval workflow (draft → submitted → approved → locked), evaluations and recommendations,
alerts. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from . import rules
from .models import (
    Alert,
    Evaluation,
    EvaluationDocument,
    HealthSettings,
    IndicatorResult,
    IndicatorRule,
    ManagementResponse,
    Recommendation,
    RecommendationStatus,
    ResultSource,
    ResultStatus,
    ResultValue,
)
from .tracking import CUMULATIVE, indicator_periods

# Dimensions whose categories split the people counted without overlap, so that for a count
# their values must add up to the total. (A person can belong to several PPKS categories.)
PARTITIONS = ("sex", "age_group", "disability", "region")


def _check_capability(actor: Any, capability: str, program: Any) -> None:
    if actor is None:
        return
    if not scope_for(actor, capability).contains(org_unit_id=program.org_unit_id):
        raise PermissionDenied(_("You may not do this for this program."))


def _has_active_rule(indicator: Any) -> bool:
    return IndicatorRule.objects.filter(indicator=indicator, is_active=True).exists()


# ---------------------------------------------------------------------------------------------
# Computed indicators
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def indicator_rule_set(
    *,
    actor: Any,
    indicator: Any,
    rule_type: str,
    params: Mapping[str, Any] | None = None,
    is_active: bool = True,
) -> IndicatorRule:
    """Declare (or change) the rule that computes ``indicator``'s actuals."""
    _check_capability(actor, "monitoring.approve", indicator.program)
    kind = rules.rule_type(rule_type)
    cleaned = rules.clean_params(kind, dict(params or {}))
    if (
        is_active
        and IndicatorResult.objects.filter(indicator=indicator, source=ResultSource.ENTERED)
        .exclude(status=ResultStatus.DRAFT)
        .exists()
    ):
        raise ValidationError(
            {
                "rule_type": _(
                    "This indicator already has entered values that were submitted or "
                    "approved; a rule would count it twice. Remove those values first."
                )
            }
        )
    existing = IndicatorRule.objects.filter(indicator=indicator).first()
    if existing is None:
        return audited_create(
            IndicatorRule(
                indicator=indicator, rule_type=kind.code, params=cleaned, is_active=is_active
            ),
            actor=actor,
        )
    rule, _changes = audited_update(
        existing,
        actor=actor,
        data={"rule_type": kind.code, "params": cleaned, "is_active": is_active},
    )
    return rule


def _window(indicator: Any, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Cumulative indicators count from the program's start, so a person reached in two
    periods counts once; the others count within the period."""
    if indicator.cumulative_rule == CUMULATIVE:
        return min(indicator.program.start_date, start), end
    return start, end


@transaction.atomic
def indicator_result_compute(
    *, actor: Any, indicator: Any, period_start: dt.date, period_end: dt.date
) -> IndicatorResult:
    """Compute the actual of ``indicator`` for one period from its rule, with every
    disaggregation, replacing what an earlier run wrote. Safe to run any number of times."""
    rule = IndicatorRule.objects.filter(indicator=indicator, is_active=True).first()
    if rule is None:
        raise ValidationError(_("This indicator has no active computation rule."))
    kind = rules.rule_type(rule.rule_type)
    start, end = _window(indicator, period_start, period_end)
    computation = kind.compute(
        indicator.program, rule.params, start, end, list(indicator.disaggregations or [])
    )
    now = timezone.now()
    result = IndicatorResult.objects.filter(indicator=indicator, period_start=period_start).first()
    if result is not None and result.source == ResultSource.ENTERED:
        if result.status != ResultStatus.DRAFT:
            raise ValidationError(
                _(
                    "The period %(period)s already has an entered value that was submitted or "
                    "approved; it is not overwritten by the computation."
                )
                % {"period": period_start.isoformat()}
            )
        result.delete()
        result = None
    data = {
        "period_end": period_end,
        "source": ResultSource.COMPUTED,
        "status": ResultStatus.COMPUTED,
        "value": computation.value,
        "numerator": computation.numerator,
        "denominator": computation.denominator,
        "computed_at": now,
    }
    if result is None:
        result = IndicatorResult(indicator=indicator, period_start=period_start, **data)
        result.full_clean()
        result.save(force_insert=True)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=result,
            changes={"value": [None, str(computation.value)], "rule": [None, rule.rule_type]},
        )
    else:
        old = result.value
        for name, value in data.items():
            setattr(result, name, value)
        result.save()
        if old != computation.value:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=result,
                changes={"value": [str(old), str(computation.value)]},
                reason=_("Recomputed from the rule %(rule)s.") % {"rule": rule.rule_type},
            )
    result.values.all().delete()
    ResultValue.objects.bulk_create(
        ResultValue(result=result, dimension=dimension, category=category, value=value)
        for (dimension, category), value in sorted(computation.breakdown.items())
    )
    IndicatorRule.objects.filter(pk=rule.pk).update(last_computed_at=now)
    return result


def indicator_compute_all(
    *, actor: Any, indicator: Any, as_of: dt.date | None = None
) -> list[IndicatorResult]:
    """Compute every period of ``indicator`` that has started by ``as_of``."""
    as_of = as_of or timezone.localdate()
    targets = list(indicator.targets.all())
    results = list(IndicatorResult.objects.filter(indicator=indicator))
    computed = []
    for start, end, _label in indicator_periods(indicator, targets, results):
        if start > as_of:
            continue
        computed.append(
            indicator_result_compute(
                actor=actor, indicator=indicator, period_start=start, period_end=end
            )
        )
    return computed


def program_compute_all(*, actor: Any, program: Any, as_of: dt.date | None = None) -> int:
    """Compute every computed indicator of ``program``; returns the number of actuals."""
    count = 0
    rules_qs = IndicatorRule.objects.filter(
        indicator__program=program, is_active=True
    ).select_related("indicator", "indicator__program")
    for rule in rules_qs:
        if (
            not rules.RULE_TYPES.get(rule.rule_type)
            or not rules.RULE_TYPES[rule.rule_type].available
        ):
            continue
        count += len(indicator_compute_all(actor=actor, indicator=rule.indicator, as_of=as_of))
    return count


# ---------------------------------------------------------------------------------------------
# Entered indicators
# ---------------------------------------------------------------------------------------------


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {where: _("“%(value)s” is not a number.") % {"value": value}}
        ) from None
    if not number.is_finite():
        raise ValidationError({where: _("“%(value)s” is not a number.") % {"value": value}})
    return number


def clean_breakdown(
    indicator: Any, total: Decimal, breakdown: Mapping[tuple[str, str], Any]
) -> dict[tuple[str, str], Decimal]:
    """Check disaggregated values: only the indicator's own disaggregations, numbers not below
    zero, and for a count, each partition adding up to the total."""
    allowed = set(indicator.disaggregations or [])
    cleaned: dict[tuple[str, str], Decimal] = {}
    errors: dict[str, list[str]] = {}
    for (dimension, category), raw in breakdown.items():
        if raw in (None, ""):
            continue
        where = f"{dimension}:{category}"
        if dimension not in allowed:
            errors.setdefault(where, []).append(
                _("This indicator is not disaggregated by %(dimension)s.")
                % {"dimension": dimension}
            )
            continue
        value = _decimal(raw, where)
        if value < 0:
            errors.setdefault(where, []).append(_("A value cannot be negative."))
            continue
        cleaned[(dimension, str(category))] = value
    if indicator.unit == "number":
        sums: dict[str, Decimal] = {}
        for (dimension, _category), value in cleaned.items():
            sums[dimension] = sums.get(dimension, Decimal("0")) + value
        for dimension, subtotal in sums.items():
            if dimension in PARTITIONS and subtotal != total:
                errors.setdefault(dimension, []).append(
                    _(
                        "The values by %(dimension)s add up to %(sum)s, but the total is "
                        "%(total)s. They must be equal."
                    )
                    % {"dimension": dimension, "sum": subtotal, "total": total}
                )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def indicator_result_save(
    *,
    actor: Any,
    indicator: Any,
    period_start: dt.date,
    period_end: dt.date,
    value: Any,
    breakdown: Mapping[tuple[str, str], Any] | None = None,
    note: str = "",
    evidence_url: str = "",
    evidence_file: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    reason: str = "",
    expected_version: int | None = None,
) -> IndicatorResult:
    """Enter (or change) the actual of ``indicator`` for one period, with its disaggregated
    values and evidence. A new or changed value is a draft until submitted and approved again;
    a locked value stays locked, and changing it needs a reason (recorded in the audit trail)."""
    _check_capability(actor, "monitoring.enter", indicator.program)
    if _has_active_rule(indicator):
        raise ValidationError(
            _(
                "This indicator is computed from Bakti's data by a rule; its values are not "
                "entered by hand."
            )
        )
    total = _decimal(value, "value")
    cleaned = clean_breakdown(indicator, total, breakdown or {})
    existing = (
        IndicatorResult.objects.select_for_update()
        .filter(indicator=indicator, period_start=period_start)
        .first()
    )
    data: dict[str, Any] = {
        "period_end": period_end,
        "value": total,
        "numerator": _decimal(numerator, "numerator") if numerator not in (None, "") else None,
        "denominator": _decimal(denominator, "denominator")
        if denominator not in (None, "")
        else None,
        "note": note,
        "evidence_url": evidence_url,
    }
    if evidence_file:
        data["evidence_file"] = evidence_file
    if existing is None:
        result = audited_create(
            IndicatorResult(
                indicator=indicator,
                period_start=period_start,
                source=ResultSource.ENTERED,
                status=ResultStatus.DRAFT,
                entered_by=actor if getattr(actor, "pk", None) else None,
                **data,
            ),
            actor=actor,
            reason=reason,
        )
    else:
        if existing.source == ResultSource.COMPUTED:
            raise ValidationError(_("This period's value was computed; it cannot be entered."))
        approved = existing.status in (ResultStatus.APPROVED, ResultStatus.LOCKED)
        if approved and not reason.strip():
            raise ValidationError(
                {"reason": _("This value was already approved; give the reason for changing it.")}
            )
        if existing.status == ResultStatus.LOCKED:
            _check_capability(actor, "monitoring.approve", indicator.program)
        elif existing.status == ResultStatus.APPROVED:
            data.update({"status": ResultStatus.DRAFT, "approved_by": None, "approved_at": None})
        else:
            data["status"] = ResultStatus.DRAFT
        old_values = {(v.dimension, v.category): str(v.value) for v in existing.values.all()}
        result, _changes = audited_update(
            existing,
            actor=actor,
            data=data,
            reason=reason,
            expected_version=expected_version,
        )
        new_values = {key: str(v) for key, v in cleaned.items()}
        if old_values != new_values:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=result,
                changes={
                    "disaggregation": [
                        {f"{d}:{c}": v for (d, c), v in old_values.items()},
                        {f"{d}:{c}": v for (d, c), v in new_values.items()},
                    ]
                },
                reason=reason,
            )
        result.values.all().delete()
    ResultValue.objects.bulk_create(
        ResultValue(result=result, dimension=d, category=c, value=v)
        for (d, c), v in sorted(cleaned.items())
    )
    return result


def _transition(
    result: IndicatorResult,
    *,
    actor: Any,
    allowed_from: tuple[str, ...],
    to: str,
    data: dict[str, Any],
    reason: str = "",
) -> IndicatorResult:
    if result.status not in allowed_from:
        raise ValidationError(
            _("This value is %(status)s; it cannot be moved to %(target)s.")
            % {
                "status": result.get_status_display().lower(),
                "target": ResultStatus(to).label.lower(),
            }
        )
    updated, _changes = audited_update(
        result,
        actor=actor,
        data={"status": to, **data},
        reason=reason,
        action=AuditAction.APPROVE if to == ResultStatus.APPROVED else AuditAction.TRANSITION,
    )
    return updated


@transaction.atomic
def indicator_result_submit(*, actor: Any, result: IndicatorResult) -> IndicatorResult:
    """Send an entered value for approval."""
    _check_capability(actor, "monitoring.enter", result.indicator.program)
    return _transition(
        result,
        actor=actor,
        allowed_from=(ResultStatus.DRAFT,),
        to=ResultStatus.SUBMITTED,
        data={"submitted_by": actor, "submitted_at": timezone.now()},
    )


@transaction.atomic
def indicator_result_approve(*, actor: Any, result: IndicatorResult) -> IndicatorResult:
    """Approve a submitted value: from then on it counts in tracking tables and reports. The
    approver is an M&E officer or a manager, and not the person who submitted it."""
    _check_capability(actor, "monitoring.approve", result.indicator.program)
    if actor is not None and result.submitted_by_id == actor.pk:
        raise PermissionDenied(
            _("You submitted this value; someone else must approve it (four-eyes rule).")
        )
    return _transition(
        result,
        actor=actor,
        allowed_from=(ResultStatus.SUBMITTED,),
        to=ResultStatus.APPROVED,
        data={"approved_by": actor, "approved_at": timezone.now()},
    )


@transaction.atomic
def indicator_result_return(*, actor: Any, result: IndicatorResult, reason: str) -> IndicatorResult:
    """Send a submitted value back to its author, with the reason."""
    _check_capability(actor, "monitoring.approve", result.indicator.program)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the value is sent back.")})
    return _transition(
        result,
        actor=actor,
        allowed_from=(ResultStatus.SUBMITTED,),
        to=ResultStatus.DRAFT,
        data={"submitted_by": None, "submitted_at": None},
        reason=reason,
    )


@transaction.atomic
def indicator_result_lock(*, actor: Any, result: IndicatorResult) -> IndicatorResult:
    """Lock an approved value: later changes need a reason and the approve capability."""
    _check_capability(actor, "monitoring.approve", result.indicator.program)
    return _transition(
        result,
        actor=actor,
        allowed_from=(ResultStatus.APPROVED,),
        to=ResultStatus.LOCKED,
        data={"locked_at": timezone.now()},
    )


# ---------------------------------------------------------------------------------------------
# Thresholds
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def health_settings_save(
    *, actor: Any, program: Any | None, data: Mapping[str, Any], expected_version: int | None = None
) -> HealthSettings:
    if program is not None:
        _check_capability(actor, "monitoring.approve", program)
    existing = HealthSettings.objects.filter(program=program).first()
    if existing is None:
        return audited_create(HealthSettings(program=program, **data), actor=actor)
    settings_row, _changes = audited_update(
        existing, actor=actor, data=dict(data), expected_version=expected_version
    )
    return settings_row


# ---------------------------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, actor: Any, program: Any, **fields: Any) -> Evaluation:
    _check_capability(actor, "monitoring.enter", program)
    return audited_create(
        Evaluation(
            program=program, created_by=actor if getattr(actor, "pk", None) else None, **fields
        ),
        actor=actor,
    )


@transaction.atomic
def evaluation_update(
    *,
    actor: Any,
    evaluation: Evaluation,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Evaluation:
    _check_capability(actor, "monitoring.enter", evaluation.program)
    updated, _changes = audited_update(
        evaluation, actor=actor, data=dict(data), expected_version=expected_version
    )
    return updated


@transaction.atomic
def evaluation_document_add(
    *, actor: Any, evaluation: Evaluation, title: str, file: Any
) -> EvaluationDocument:
    _check_capability(actor, "monitoring.enter", evaluation.program)
    return audited_create(
        EvaluationDocument(
            evaluation=evaluation,
            title=title,
            file=file,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        ),
        actor=actor,
    )


@transaction.atomic
def recommendation_create(*, actor: Any, evaluation: Evaluation, **fields: Any) -> Recommendation:
    _check_capability(actor, "monitoring.enter", evaluation.program)
    return audited_create(Recommendation(evaluation=evaluation, **fields), actor=actor)


@transaction.atomic
def recommendation_update(
    *,
    actor: Any,
    recommendation: Recommendation,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Recommendation:
    """Record the management response, owner, due date or status of a recommendation. Only a
    manager (approve capability) gives the management response; closing one that has no
    response is refused."""
    program = recommendation.evaluation.program
    data = dict(data)
    if "response" in data and data["response"] != recommendation.response:
        _check_capability(actor, "monitoring.approve", program)
    else:
        _check_capability(actor, "monitoring.enter", program)
    status = data.get("status", recommendation.status)
    response = data.get("response", recommendation.response)
    if status == RecommendationStatus.CLOSED:
        if response == ManagementResponse.PENDING:
            raise ValidationError(
                {"status": _("Give the management response before closing the recommendation.")}
            )
        if recommendation.closed_at is None:
            data["closed_at"] = timezone.now()
    elif recommendation.closed_at is not None:
        data["closed_at"] = None
    updated, _changes = audited_update(
        recommendation, actor=actor, data=data, expected_version=expected_version
    )
    return updated


# ---------------------------------------------------------------------------------------------
# Alerts
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def alert_mark_read(*, actor: Any, alert: Alert) -> Alert:
    if alert.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert


# ---------------------------------------------------------------------------------------------
# Health and alerts
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def program_health_assess(*, actor: Any, program: Any, today: dt.date | None = None) -> Any:
    """Assess ``program``'s health, keep the assessment, and alert the program's manager when
    the health changed or a measure crossed into a worse level since the last assessment."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .health import LEVELS, assess
    from .models import AlertKind, HealthStatus, ProgramHealth
    from .tracking import thresholds_for

    thresholds = thresholds_for(program)
    health = assess(program, today=today, thresholds=thresholds)
    previous = ProgramHealth.objects.filter(program=program).order_by("-assessed_at", "-id").first()
    check = ProgramHealth.objects.create(
        program=program,
        status=health.status,
        reasons=[r.as_dict() for r in health.reasons],
        measures=health.measures,
    )
    record(
        actor=actor,
        action=AuditAction.OTHER,
        obj=check,
        changes={"status": [previous.status if previous else None, health.status]},
    )
    recipient = program.manager
    if recipient is None or previous is None:
        return check
    messages: list[tuple[str, str, str]] = []
    if previous.status != health.status:
        messages.append(
            (
                AlertKind.HEALTH_CHANGED,
                health.status,
                _("%(program)s: health changed from %(old)s to %(new)s. %(reasons)s")
                % {
                    "program": program.code,
                    "old": HealthStatus(previous.status).label,
                    "new": HealthStatus(health.status).label,
                    "reasons": " ".join(r.text for r in health.reasons),
                },
            )
        )
    old_levels = {r["code"]: r["level"] for r in previous.reasons}
    for reason in health.reasons:
        before = old_levels.get(reason.code, HealthStatus.GREEN)
        if LEVELS[HealthStatus(reason.level)] > LEVELS[HealthStatus(before)]:
            messages.append(
                (
                    AlertKind.THRESHOLD,
                    reason.level,
                    _("%(program)s: %(text)s") % {"program": program.code, "text": reason.text},
                )
            )
    for kind, level, message in messages:
        Alert.objects.create(
            recipient=recipient, program=program, kind=kind, level=level, message=message
        )
    if messages and thresholds.email_alerts and recipient.email:
        body = "\n".join(message for _kind, _level, message in messages)
        transaction.on_commit(
            lambda: send_mail(
                _("Bakti: program health alert"),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [recipient.email],
                fail_silently=True,
            )
        )
    return check
