import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bakti.registry import services
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A

pytestmark = pytest.mark.usefixtures("english")


def test_a_child_needs_a_named_parent_or_guardian(cast) -> None:
    home = factories.family(DESA_A, child_born=dt.date(2015, 4, 4))
    child = home.members.get(relationship="child")
    with pytest.raises(ValidationError) as error:
        services.consent_give(
            actor=None, person=child, purpose="registration", given_on=dt.date(2026, 1, 5)
        )
    assert "parent or guardian" in error.value.message_dict["given_by"][0]
    with pytest.raises(ValidationError) as error:
        services.consent_give(
            actor=None,
            person=child,
            purpose="registration",
            given_on=dt.date(2026, 1, 5),
            given_by="parent",
        )
    assert "given_by_name" in error.value.message_dict
    consent = services.consent_give(
        actor=None,
        person=child,
        purpose="registration",
        given_on=dt.date(2026, 1, 5),
        given_by="parent",
        given_by_name="Siti Rahayu",
    )
    assert consent.is_active


def test_legal_basis_needs_no_parent(cast) -> None:
    home = factories.family(DESA_A, child_born=dt.date(2015, 4, 4))
    child = home.members.get(relationship="child")
    consent = services.consent_give(
        actor=None,
        person=child,
        purpose="enrolment",
        legal_basis="public_task",
        channel="n/a",
        given_on=dt.date(2026, 1, 5),
    )
    assert consent.legal_basis == "public_task"


def _enrolled(cast, home, consent_person):
    program = factories.program(cast)
    consent = services.consent_give(
        actor=None, person=consent_person, purpose="enrolment", given_on=dt.date(2026, 1, 5)
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    services.enrolment_approve(
        actor=cast.manager, enrolment=enrolment, enrolled_on=dt.date(2026, 1, 10)
    )
    enrolment.refresh_from_db()
    return consent, enrolment


def test_withdrawal_suspends_enrolments_that_rested_on_it(cast) -> None:
    home = factories.family(DESA_A)
    consent, enrolment = _enrolled(cast, home, home.head)
    assert enrolment.status == "enrolled" and enrolment.consent_id == consent.pk
    services.consent_withdraw(
        actor=cast.field_worker_a,
        consent=consent,
        withdrawn_on=dt.date(2026, 2, 1),
        reason="Does not want the program any more",
    )
    enrolment.refresh_from_db()
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 2, 1)
    assert enrolment.status == "suspended"
    assert enrolment.suspended_on == dt.date(2026, 2, 1)
    assert "withdrawn" in enrolment.status_reason


def test_withdrawal_keeps_enrolment_when_another_basis_covers_it(cast) -> None:
    home = factories.family(DESA_A)
    consent, enrolment = _enrolled(cast, home, home.head)
    spouse = home.members.get(relationship="spouse")
    other = services.consent_give(
        actor=None, person=spouse, purpose="enrolment", given_on=dt.date(2026, 1, 6)
    )
    services.consent_withdraw(
        actor=None, consent=consent, withdrawn_on=dt.date(2026, 2, 1), reason="changed mind"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    assert enrolment.consent_id == other.pk


def test_withdrawal_of_a_proposal_basis_means_not_approved(cast) -> None:
    home = factories.family(DESA_A)
    program = factories.program(cast)
    consent = services.consent_give(
        actor=None, person=home.head, purpose="enrolment", given_on=dt.date(2026, 1, 5)
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home)
    services.enrolment_approve(
        actor=cast.manager, enrolment=enrolment, enrolled_on=dt.date(2026, 2, 1)
    )
    enrolment.refresh_from_db()
    services.enrolment_suspend(
        actor=None, enrolment=enrolment, on=dt.date(2026, 11, 1), reason="moving"
    )
    services.consent_withdraw(
        actor=None, consent=consent, withdrawn_on=dt.date(2026, 11, 2), reason="no"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended"
    with pytest.raises(ValidationError, match="No consent or legal basis"):
        services.enrolment_resume(actor=None, enrolment=enrolment, reason="back")


def test_withdrawal_needs_a_reason_and_happens_once(cast) -> None:
    home = factories.family(DESA_A)
    consent = services.consent_give(
        actor=None, person=home.head, purpose="contact", given_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=None, consent=consent, withdrawn_on=dt.date(2026, 2, 1), reason=" "
        )
    services.consent_withdraw(
        actor=None, consent=consent, withdrawn_on=dt.date(2026, 2, 1), reason="no calls"
    )
    consent.refresh_from_db()
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.consent_withdraw(
            actor=None, consent=consent, withdrawn_on=dt.date(2026, 2, 2), reason="again"
        )
    assert services.consent_covers(home.head, "contact") is None
