import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bakti.registry import services
from bakti.registry.models import HouseholdMembership, MembershipEnd, MembershipStart
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A, DESA_A2

pytestmark = pytest.mark.usefixtures("english")


def test_head_is_set_from_the_first_member_registered_as_head(cast) -> None:
    home = factories.family(DESA_A)
    assert home.head.full_name == "Budi Santoso"
    assert home.memberships.filter(end_date__isnull=True).count() == 2


def test_move_closes_the_old_membership_and_opens_a_new_one(cast) -> None:
    home = factories.family(DESA_A)
    other = factories.household(DESA_A2)
    spouse = home.members.get(relationship="spouse")
    services.person_move(
        actor=cast.field_worker_a, person=spouse, to_household=other, on=dt.date(2026, 3, 1)
    )
    spouse.refresh_from_db()
    assert spouse.household_id == other.pk
    assert spouse.region_id == DESA_A2
    rows = list(HouseholdMembership.objects.filter(person=spouse).order_by("id"))
    assert [(r.household_id, r.end_date, r.end_reason) for r in rows] == [
        (home.pk, dt.date(2026, 3, 1), MembershipEnd.MOVED_OUT),
        (other.pk, None, ""),
    ]
    assert rows[1].start_reason == MembershipStart.MOVED_IN


def test_head_moving_out_leaves_the_household_without_head(cast) -> None:
    home = factories.family(DESA_A)
    other = factories.household(DESA_A2)
    services.person_move(actor=None, person=home.head, to_household=other, on=dt.date(2026, 3, 1))
    home.refresh_from_db()
    assert home.head is None


def test_birth_starts_membership_on_the_birth_date(cast) -> None:
    home = factories.family(DESA_A)
    baby = services.person_record_birth(
        actor=cast.field_worker_a,
        household=home,
        full_name="Bayi",
        sex="F",
        birth_date=dt.date(2026, 6, 1),
    )
    row = HouseholdMembership.objects.get(person=baby)
    assert (row.start_date, row.start_reason) == (dt.date(2026, 6, 1), MembershipStart.BIRTH)
    assert baby.relationship == "child"


def test_death_ends_membership_and_open_enrolments(cast) -> None:
    home = factories.family(DESA_A)
    spouse = home.members.get(relationship="spouse")
    program = factories.program(cast)
    services.consent_give(
        actor=None, person=spouse, purpose="enrolment", given_on=dt.date(2026, 1, 5)
    )
    enrolment = services.enrolment_propose(
        actor=None, program=program, household=home, person=spouse
    )
    services.enrolment_approve(actor=cast.manager, enrolment=enrolment)
    services.person_record_death(
        actor=cast.field_worker_a, person=spouse, died_on=dt.date(2026, 7, 1)
    )
    spouse.refresh_from_db()
    enrolment.refresh_from_db()
    assert spouse.deceased and spouse.death_date == dt.date(2026, 7, 1)
    membership = HouseholdMembership.objects.get(person=spouse)
    assert (membership.end_date, membership.end_reason) == (dt.date(2026, 7, 1), "death")
    assert (enrolment.status, enrolment.exited_on) == ("exited", dt.date(2026, 7, 1))


def test_death_before_joining_is_refused(cast) -> None:
    home = factories.family(DESA_A)
    baby = services.person_record_birth(
        actor=None, household=home, full_name="Bayi", sex="M", birth_date=dt.date(2026, 6, 1)
    )
    with pytest.raises(ValidationError):
        services.person_record_death(actor=None, person=baby, died_on=dt.date(2026, 5, 1))


def test_field_worker_cannot_register_outside_their_area(cast) -> None:
    from django.core.exceptions import PermissionDenied

    from conftest import DESA_B

    with pytest.raises(PermissionDenied):
        factories.household(DESA_B, actor=cast.field_worker_a)


def test_household_must_be_in_a_desa(cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.household_create(actor=None, no_kk="3404010101010009", region="34.04.01")
    assert "desa" in error.value.message_dict["region"][0]
