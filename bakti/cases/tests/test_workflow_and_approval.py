"""The case workflow and the supervisor approval rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.cases import services
from bakti.cases.models import Approval, ApprovalStatus, CaseStatus, ClosureReason

from .helpers import case_type, open_case


def _to_plan(world, case, worker=None):
    worker = worker or world.cast.field_worker_a
    services.case_start_assessment(actor=worker, case=case)
    services.case_record_assessment(
        actor=worker, case=case, assessment="Butuh pendampingan", risk_level="high"
    )
    services.goal_add(actor=worker, case=case, description="Lansia mendapat pengasuh")
    case.refresh_from_db()
    return case


def test_a_case_opens_new_with_its_deadlines_and_the_caseworker_unit(world):
    case = open_case(world)
    assert case.status == CaseStatus.NEW
    assert case.reference.startswith("KS-")
    assert case.org_unit == world.cast.division_linjamsos
    assert case.region_id == world.households_a[0].region_id
    assert case.assessment_due > case.opened_on


def test_a_plan_needing_approval_waits_for_a_supervisor(world):
    case = _to_plan(world, open_case(world))
    services.case_plan_submit(actor=world.cast.field_worker_a, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CASE_PLAN
    approval = Approval.objects.get(case=case)
    assert approval.status == ApprovalStatus.PENDING
    services.approval_decide(actor=world.cast.manager, approval=approval, approve=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVICE_PROVISION
    assert case.plan_approved_on is not None


def test_a_plan_without_approval_rule_moves_on_at_once(world):
    case = _to_plan(world, open_case(world, case_type=case_type(plan_approval=False)))
    services.case_plan_submit(actor=world.cast.field_worker_a, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVICE_PROVISION
    assert not Approval.objects.filter(case=case).exists()


def test_a_plan_needs_a_goal(world):
    case = open_case(world)
    worker = world.cast.field_worker_a
    services.case_record_assessment(actor=worker, case=case, assessment="x", risk_level="low")
    with pytest.raises(ValidationError, match="at least one goal"):
        services.case_plan_submit(actor=worker, case=case)


def test_the_caseworker_cannot_approve_and_nobody_approves_their_own_request(world):
    case = _to_plan(world, open_case(world))
    services.case_plan_submit(actor=world.cast.field_worker_a, case=case)
    approval = Approval.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=world.cast.field_worker_a, approval=approval, approve=True)
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=world.cast.field_worker_b, approval=approval, approve=True)
    # The manager opens and submits a case of their own: they may not approve it themselves.
    own = _to_plan(world, open_case(world, worker=world.cast.manager), worker=world.cast.manager)
    services.case_plan_submit(actor=world.cast.manager, case=own)
    with pytest.raises(ValidationError, match="your own request"):
        services.approval_decide(
            actor=world.cast.manager, approval=Approval.objects.get(case=own), approve=True
        )
    services.approval_decide(
        actor=world.cast.head, approval=Approval.objects.get(case=own), approve=True
    )


def test_a_rejection_needs_a_reason_and_leaves_the_plan_open(world):
    case = _to_plan(world, open_case(world))
    services.case_plan_submit(actor=world.cast.field_worker_a, case=case)
    approval = Approval.objects.get(case=case)
    with pytest.raises(ValidationError):
        services.approval_decide(actor=world.cast.manager, approval=approval, approve=False)
    services.approval_decide(
        actor=world.cast.manager, approval=approval, approve=False, comment="Tujuan belum jelas"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CASE_PLAN
    services.case_plan_submit(actor=world.cast.field_worker_a, case=case)
    assert Approval.objects.filter(case=case, status=ApprovalStatus.PENDING).count() == 1


def test_closure_needs_approval_when_the_case_type_says_so(world):
    case = open_case(world)
    services.case_close(
        actor=world.cast.field_worker_a, case=case, reason=ClosureReason.MOVED, note="Pindah"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    approval = Approval.objects.get(case=case, kind="closure")
    services.approval_decide(actor=world.cast.manager, approval=approval, approve=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.MOVED


def test_closure_without_approval_rule_closes_and_can_be_reopened(world):
    case = open_case(world, case_type=case_type(closure_approval=False))
    worker = world.cast.field_worker_a
    services.case_close(actor=worker, case=case, reason=ClosureReason.GOALS_MET)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(ValidationError):
        services.follow_up_add(actor=worker, case=case, due_date=case.opened_on, purpose="x")
    with pytest.raises(ValidationError):
        services.case_reopen(actor=worker, case=case, reason="")
    services.case_reopen(actor=worker, case=case, reason="Kembali ke jalan")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.closed_on is None
    services.case_start_assessment(actor=worker, case=case)


def test_transfer_moves_the_case_and_is_recorded(world):
    case = open_case(world)
    services.case_assign(
        actor=world.cast.manager, case=case, caseworker=world.cast.officer, reason="Cuti"
    )
    case.refresh_from_db()
    assert case.caseworker == world.cast.officer
    assert case.org_unit == world.cast.division_rehsos
    last = case.assignments.first()
    assert last.previous == world.cast.field_worker_a and last.reason == "Cuti"
    with pytest.raises(PermissionDenied):
        services.case_assign(
            actor=world.cast.field_worker_a, case=case, caseworker=world.cast.field_worker_a
        )
