import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bakti.registry import services
from bakti.registry.identity import nik_checks, nik_facts, validate_kk, validate_nik
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A, DESA_B

pytestmark = pytest.mark.usefixtures("english")


def test_a_valid_nik_is_returned_without_separators() -> None:
    assert validate_nik("3404 0157 0845 0001") == "3404015708450001"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("34040157084500", "16 digits"),
        ("34040157084500AB", "only digits"),
        ("3404013313450001", "not a valid NIK"),  # month 13
        ("9904011708450001", "not a valid NIK"),  # no province 99
    ],
)
def test_an_invalid_nik_is_refused_with_the_reason(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_nik(value)
    assert fragment in " ".join(error.value.messages)
    assert value in " ".join(error.value.messages)


def test_kk_must_have_sixteen_digits() -> None:
    assert validate_kk("3404012345678901") == "3404012345678901"
    with pytest.raises(ValidationError, match="16 digits"):
        validate_kk("340401234")


def test_nik_gives_sex_and_birth_date_women_have_day_plus_forty() -> None:
    woman = nik_facts("3404015708780005")
    man = nik_facts("3404011708780005")
    assert (woman.sex, woman.birth_date) == ("F", dt.date(1978, 8, 17))
    assert (man.sex, man.birth_date) == ("M", dt.date(1978, 8, 17))
    assert woman.kecamatan_code == "34.04.01"


def test_two_digit_year_never_puts_a_birth_in_the_future() -> None:
    assert nik_facts("3404011708150001", today=dt.date(2026, 11, 27)).birth_date == dt.date(
        2015, 8, 17
    )
    assert nik_facts("3404011708300001", today=dt.date(2026, 11, 27)).birth_date == dt.date(
        1930, 8, 17
    )


def test_mismatches_are_flagged_not_corrected(cast) -> None:
    home = factories.household(DESA_A)
    person = services.person_create(
        actor=cast.manager,
        full_name="Rina",
        sex="M",  # the NIK says female
        birth_date=dt.date(1978, 8, 18),  # the NIK says the 17th
        nik="3404015708780005",
        household=home,
    )
    person.refresh_from_db()
    assert person.sex == "M"
    assert person.birth_date == dt.date(1978, 8, 18)
    assert {flag["check"] for flag in person.nik_flags} == {"sex", "birth_date"}


def test_unknown_kecamatan_prefix_warns_but_is_accepted(cast) -> None:
    home = factories.household(DESA_A)
    # 34.04.17 is not in the region list (a kecamatan split off since, say).
    person = services.person_create(
        actor=cast.manager,
        full_name="Joko",
        sex="M",
        birth_date=dt.date(1990, 1, 2),
        nik="3404170201900003",
        household=home,
    )
    assert person.pk
    assert [flag["check"] for flag in person.nik_flags] == ["kecamatan"]
    assert "34.04.17" in person.nik_flags[0]["detail"]


def test_consistent_record_has_no_flags(db) -> None:
    from conftest import make_regions

    make_regions()
    assert nik_checks("3404015708780005", sex="F", birth_date=dt.date(1978, 8, 17)) == []


def test_duplicate_nik_is_refused_naming_the_record_in_scope(cast) -> None:
    home = factories.household(DESA_A)
    services.person_create(
        actor=None,
        full_name="Sri Wahyuni",
        sex="F",
        birth_date=dt.date(1978, 8, 17),
        nik="3404015708780005",
        household=home,
    )
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=cast.field_worker_a,
            full_name="Sri W.",
            sex="F",
            nik="3404015708780005",
            household=home,
        )
    message = error.value.message_dict["nik"][0]
    assert "Sri Wahyuni" in message
    assert "3404********0005" in message


def test_duplicate_nik_out_of_scope_does_not_reveal_the_record(cast) -> None:
    home_a = factories.household(DESA_A)
    home_b = factories.household(DESA_B)
    services.person_create(
        actor=None, full_name="Sri Wahyuni", sex="F", nik="3404015708780005", household=home_a
    )
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=cast.field_worker_b,
            full_name="Sri",
            sex="F",
            nik="3404015708780005",
            household=home_b,
        )
    message = error.value.message_dict["nik"][0]
    assert "Sri Wahyuni" not in message
    assert "outside your area" in message


def test_duplicate_kk_is_refused(cast) -> None:
    services.household_create(actor=None, no_kk="3404010101010001", region=DESA_A)
    with pytest.raises(ValidationError) as error:
        services.household_create(actor=cast.manager, no_kk="3404010101010001", region=DESA_A)
    assert "already registered" in error.value.message_dict["no_kk"][0]
