import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.privacy.models import AuditEvent
from bakti.registry import services
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def setting(cast):
    home = factories.family(DESA_A)
    program = factories.program(cast)
    return cast, home, program


def test_approval_is_refused_without_consent_or_legal_basis(setting) -> None:
    cast, home, program = setting
    enrolment = services.enrolment_propose(
        actor=cast.field_worker_a, program=program, household=home
    )
    with pytest.raises(ValidationError, match="No consent or legal basis"):
        services.enrolment_approve(actor=cast.manager, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == "proposed"


def test_legal_basis_of_an_adult_member_allows_household_enrolment(setting) -> None:
    cast, home, program = setting
    spouse = home.members.get(relationship="spouse")
    basis = services.consent_give(
        actor=None,
        person=spouse,
        purpose="enrolment",
        legal_basis="legal_obligation",
        channel="n/a",
        given_on=dt.date(2026, 1, 1),
        program=program,
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    services.enrolment_approve(
        actor=cast.manager, enrolment=enrolment, enrolled_on=dt.date(2026, 2, 1)
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.consent_id) == ("enrolled", basis.pk)
    assert enrolment.approved_by == cast.manager
    assert enrolment.enrolled_on == dt.date(2026, 2, 1)


def test_consent_for_another_program_does_not_count(setting) -> None:
    cast, home, program = setting
    other = factories.program(cast, code="OTHER")
    services.consent_give(
        actor=None,
        person=home.head,
        purpose="enrolment",
        given_on=dt.date(2026, 1, 1),
        program=other,
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    with pytest.raises(ValidationError):
        services.enrolment_approve(actor=cast.manager, enrolment=enrolment)


def test_full_lifecycle_with_reasons_and_dates(setting) -> None:
    cast, home, program = setting
    services.consent_give(
        actor=None, person=home.head, purpose="enrolment", given_on=dt.date(2026, 1, 1)
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    services.enrolment_approve(
        actor=cast.manager, enrolment=enrolment, enrolled_on=dt.date(2026, 2, 1)
    )
    services.enrolment_suspend(
        actor=cast.field_worker_a,
        enrolment=enrolment,
        on=dt.date(2026, 5, 1),
        reason="Moved away for work",
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.suspended_on) == ("suspended", dt.date(2026, 5, 1))
    services.enrolment_resume(actor=cast.field_worker_a, enrolment=enrolment, reason="Back home")
    services.enrolment_exit(
        actor=cast.field_worker_a, enrolment=enrolment, on=dt.date(2026, 9, 1), reason="Graduated"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.exited_on, enrolment.status_reason) == (
        "exited",
        dt.date(2026, 9, 1),
        "Graduated",
    )
    transitions = AuditEvent.objects.for_object(enrolment).filter(action="transition")
    assert [e.changes["status"][1] for e in transitions.order_by("id")] == [
        "enrolled",
        "suspended",
        "enrolled",
        "exited",
    ]
    with pytest.raises(ValidationError, match="cannot become"):
        services.enrolment_suspend(
            actor=None, enrolment=enrolment, on=dt.date(2026, 10, 1), reason="x"
        )


def test_field_worker_may_propose_but_not_approve(setting) -> None:
    cast, home, program = setting
    services.consent_give(
        actor=None, person=home.head, purpose="enrolment", given_on=dt.date(2026, 1, 1)
    )
    enrolment = services.enrolment_propose(
        actor=cast.field_worker_a, program=program, household=home
    )
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(actor=cast.field_worker_a, enrolment=enrolment)


def test_a_second_open_enrolment_in_the_same_program_is_refused(setting) -> None:
    _cast, home, program = setting
    services.enrolment_propose(actor=None, program=program, household=home)
    with pytest.raises(ValidationError, match="already has an open enrolment"):
        services.enrolment_propose(actor=None, program=program, household=home)


def test_rejection_needs_a_reason(setting) -> None:
    cast, home, program = setting
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    with pytest.raises(ValidationError):
        services.enrolment_reject(actor=cast.manager, enrolment=enrolment, reason="")
    services.enrolment_reject(actor=cast.manager, enrolment=enrolment, reason="Not poor enough")
    enrolment.refresh_from_db()
    assert enrolment.status == "rejected"
    # A rejected proposal does not block a new one.
    services.enrolment_propose(actor=None, program=program, household=home)


def test_manager_approves_selected_proposals_and_sees_why_others_were_not(setting) -> None:
    from django.test import Client
    from django.urls import reverse

    cast, home, program = setting
    other = factories.family(DESA_A, head_name="Joko")
    services.consent_give(
        actor=None, person=home.head, purpose="enrolment", given_on=dt.date(2026, 1, 1)
    )
    with_consent = services.enrolment_propose(actor=None, program=program, household=home)
    without = services.enrolment_propose(actor=None, program=program, household=other)
    worker = Client()
    worker.force_login(cast.field_worker_a)
    url = reverse("registry:enrolment_approve_selected")
    assert worker.post(url, {"enrolment": [with_consent.pk]}).status_code == 403
    manager = Client()
    manager.force_login(cast.manager)
    response = manager.post(url, {"enrolment": [with_consent.pk, without.pk]}, follow=True)
    with_consent.refresh_from_db()
    without.refresh_from_db()
    assert (with_consent.status, without.status) == ("enrolled", "proposed")
    assert "Joko" in response.content.decode()
