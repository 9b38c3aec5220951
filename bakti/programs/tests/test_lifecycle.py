"""Program lifecycle: draft → submitted → approved → active → closed → evaluated, with four
eyes on approval and every transition recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.privacy.models import AuditEvent
from bakti.programs import services
from bakti.programs.models import ProgramStatus, ProgramTransition

from .factories import framework, program


@pytest.fixture
def ready(cast):
    prog = program(cast, actor=cast.officer)
    framework(prog, actor=cast.officer)
    return prog


def test_full_lifecycle_records_every_transition(cast, ready):
    prog = services.program_submit(actor=cast.officer, program=ready, comment="Siap dinilai")
    assert prog.status == ProgramStatus.SUBMITTED and prog.submitted_by == cast.officer
    prog = services.program_approve(actor=cast.head, program=prog, comment="Disetujui")
    assert prog.status == ProgramStatus.APPROVED and prog.approved_by == cast.head
    for action in ("activate", "close", "evaluate"):
        prog = services.program_transition(actor=cast.manager, program=prog, action=action)
    assert prog.status == ProgramStatus.EVALUATED
    steps = list(
        ProgramTransition.objects.filter(program=prog)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "actor__username", "comment")
    )
    assert steps == [
        ("draft", "submitted", "officer", "Siap dinilai"),
        ("submitted", "approved", "head", "Disetujui"),
        ("approved", "active", "manager", ""),
        ("active", "closed", "manager", ""),
        ("closed", "evaluated", "manager", ""),
    ]
    assert (
        AuditEvent.objects.filter(object_type="programs.program", action="transition").count() == 5
    )


def test_the_submitter_can_never_approve_their_own_program(cast):
    prog = program(cast, actor=cast.manager)
    framework(prog, actor=cast.manager)
    services.program_submit(actor=cast.manager, program=prog)
    with pytest.raises(PermissionDenied):
        services.program_approve(actor=cast.manager, program=prog)
    with pytest.raises(PermissionDenied):
        services.program_return(actor=cast.manager, program=prog, comment="no")
    prog.refresh_from_db()
    assert prog.status == ProgramStatus.SUBMITTED
    services.program_approve(actor=cast.head, program=prog)


def test_an_officer_cannot_approve(cast, ready):
    services.program_submit(actor=cast.manager, program=ready)
    with pytest.raises(PermissionDenied):
        services.program_approve(actor=cast.officer, program=ready)


def test_a_manager_of_a_sibling_division_cannot_approve_but_one_above_can(cast, ready):
    sibling = account_services.user_create(
        actor=None, username="mgr_linjam", password="x-Y-z-12345!"
    )
    account_services.membership_grant(
        actor=None, user=sibling, role=Role.MANAGER, org_unit=cast.division_linjamsos
    )
    services.program_submit(actor=cast.officer, program=ready)
    with pytest.raises(PermissionDenied):
        services.program_approve(actor=sibling, program=ready)
    # cast.manager sits at the department, above the program's division.
    services.program_approve(actor=cast.manager, program=ready)


def test_returning_needs_a_reason_and_sends_the_program_back_to_draft(cast, ready):
    services.program_submit(actor=cast.officer, program=ready)
    with pytest.raises(ValidationError) as error:
        services.program_return(actor=cast.head, program=ready, comment="  ")
    assert "comment" in error.value.message_dict
    prog = services.program_return(actor=cast.head, program=ready, comment="Lengkapi risiko")
    assert prog.status == ProgramStatus.DRAFT and prog.submitted_by is None


def test_a_program_without_a_framework_cannot_be_submitted(cast):
    prog = program(cast)
    with pytest.raises(ValidationError) as error:
        services.program_submit(actor=cast.manager, program=prog)
    assert "results framework" in " ".join(error.value.messages)


def test_steps_out_of_order_are_refused(cast, ready):
    with pytest.raises(ValidationError):
        services.program_approve(actor=cast.head, program=ready)
    with pytest.raises(ValidationError):
        services.program_transition(actor=cast.manager, program=ready, action="close")


def test_a_submitted_program_is_frozen_until_returned(cast, ready):
    services.program_submit(actor=cast.officer, program=ready)
    ready.refresh_from_db()
    with pytest.raises(ValidationError):
        services.program_update(actor=cast.officer, program=ready, data={"name": "Changed"})


def test_field_worker_and_outsider_cannot_create_or_change_programs(cast, ready):
    for user in (cast.field_worker_a, cast.outsider, cast.finance, cast.head):
        with pytest.raises(PermissionDenied):
            services.program_update(actor=user, program=ready, data={"name": "Changed"})
        with pytest.raises(PermissionDenied):
            program(cast, code=f"X-{user.username}", actor=user)


def test_actions_offered_follow_the_same_rules(cast, ready):
    assert services.actions_for(cast.officer, ready) == ["submit"]
    assert services.actions_for(cast.head, ready) == []
    services.program_submit(actor=cast.officer, program=ready)
    ready.refresh_from_db()
    assert services.actions_for(cast.officer, ready) == []
    assert services.actions_for(cast.head, ready) == ["approve", "return"]
    assert services.actions_for(cast.field_worker_a, ready) == []
