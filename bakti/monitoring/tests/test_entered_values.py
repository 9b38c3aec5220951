"""Entered indicator values: draft → submitted → approved → locked, four eyes, changes after
approval with a reason in the audit trail, and clear messages for bad input."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.monitoring import services
from bakti.monitoring.models import ResultStatus
from bakti.monitoring.tracking import tracking_table
from bakti.privacy.models import AuditEvent

from .factories import make_indicator, make_program

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


@pytest.fixture
def indicator(cast):
    program = make_program(cast.division_rehsos, manager=cast.manager)
    return make_indicator(
        program, code="SURV-1", targets=[100, 100, 100, 100], disaggregations=["sex"]
    )


def _enter(actor, indicator, value, breakdown=None, **extra):
    return services.indicator_result_save(
        actor=actor,
        indicator=indicator,
        period_start=Q1[0],
        period_end=Q1[1],
        value=value,
        breakdown=breakdown or {},
        **extra,
    )


def test_a_value_counts_only_once_approved(cast, indicator):
    result = _enter(cast.officer, indicator, "60", {("sex", "F"): 35, ("sex", "M"): 25})
    assert tracking_table(indicator.program, as_of=Q1[1]).indicators[0].periods[0].actual is None

    services.indicator_result_submit(actor=cast.officer, result=result)
    row = tracking_table(indicator.program, as_of=Q1[1]).indicators[0]
    assert row.periods[0].actual is None
    assert row.pending == 1

    services.indicator_result_approve(actor=cast.mne, result=result)
    row = tracking_table(indicator.program, as_of=Q1[1]).indicators[0]
    assert row.periods[0].actual == D(60)
    assert row.pending == 0


def test_the_submitter_cannot_approve_their_own_value(cast, indicator):
    result = _enter(cast.manager, indicator, 60)
    services.indicator_result_submit(actor=cast.manager, result=result)
    with pytest.raises(PermissionDenied):
        services.indicator_result_approve(actor=cast.manager, result=result)


def test_only_mne_or_manager_may_approve(cast, indicator):
    result = _enter(cast.officer, indicator, 60)
    services.indicator_result_submit(actor=cast.officer, result=result)
    for user in (cast.officer, cast.field_worker_a, cast.finance, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.indicator_result_approve(actor=user, result=result)


def test_a_field_worker_cannot_enter_values(cast, indicator):
    with pytest.raises(PermissionDenied):
        _enter(cast.field_worker_a, indicator, 60)


def test_changing_a_locked_value_needs_a_reason_and_is_audited(cast, indicator):
    result = _enter(cast.officer, indicator, 60)
    services.indicator_result_submit(actor=cast.officer, result=result)
    services.indicator_result_approve(actor=cast.mne, result=result)
    services.indicator_result_lock(actor=cast.mne, result=result)

    with pytest.raises(ValidationError) as error:
        _enter(cast.mne, indicator, 65)
    assert "reason" in error.value.message_dict

    with pytest.raises(PermissionDenied):
        _enter(cast.officer, indicator, 65, reason="Officer wants it")

    changed = _enter(cast.mne, indicator, 65, reason="Survey re-weighted after field check")
    assert changed.status == ResultStatus.LOCKED
    assert changed.value == D(65)
    event = AuditEvent.objects.for_object(changed).filter(reason__startswith="Survey").get()
    assert event.changes["value"] == ["60.0000", "65"] or event.changes["value"][1] == "65"
    assert event.actor == cast.mne


def test_changing_an_approved_value_sends_it_back_for_approval(cast, indicator):
    result = _enter(cast.officer, indicator, 60)
    services.indicator_result_submit(actor=cast.officer, result=result)
    services.indicator_result_approve(actor=cast.mne, result=result)

    changed = _enter(cast.officer, indicator, 70, reason="Late forms counted")
    assert changed.status == ResultStatus.DRAFT
    assert changed.approved_by is None


def test_disaggregations_must_add_up_to_the_total(cast, indicator):
    with pytest.raises(ValidationError) as error:
        _enter(cast.officer, indicator, 60, {("sex", "F"): 30, ("sex", "M"): 20})
    message = error.value.message_dict["sex"][0]
    assert "50" in message and "60" in message


def test_unknown_disaggregation_and_bad_numbers_are_named(cast, indicator):
    with pytest.raises(ValidationError) as error:
        _enter(cast.officer, indicator, 60, {("region", "34.04.01"): 60})
    assert "region:34.04.01" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _enter(cast.officer, indicator, "sixty")
    assert "“sixty” is not a number." in error.value.message_dict["value"]


def test_return_needs_a_reason_and_goes_back_to_draft(cast, indicator):
    result = _enter(cast.officer, indicator, 60)
    services.indicator_result_submit(actor=cast.officer, result=result)
    with pytest.raises(ValidationError):
        services.indicator_result_return(actor=cast.mne, result=result, reason=" ")
    returned = services.indicator_result_return(
        actor=cast.mne, result=result, reason="Attach the survey report"
    )
    assert returned.status == ResultStatus.DRAFT


def test_a_computed_indicator_is_never_entered(cast, indicator):
    services.indicator_rule_set(actor=cast.mne, indicator=indicator, rule_type="people_enrolled")
    with pytest.raises(ValidationError):
        _enter(cast.officer, indicator, 60)
