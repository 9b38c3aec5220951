"""The parsers for the values people type: dates as Indonesians write them, NIK, KK, sex."""

import contextlib
import datetime as dt

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik

from bakti.registry.importing.parsing import (
    BadValue,
    clean_text,
    parse_birth_date,
    parse_date,
    parse_desil,
    parse_kk,
    parse_nik,
    parse_region_code,
    parse_sex,
    region_from_parts,
)
from bakti.registry.importing.sample import make_nik

TODAY = dt.date(2026, 11, 27)
INDONESIAN_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]  # fmt: skip
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17-08-1975", dt.date(1975, 8, 17)),
        ("17/08/1975", dt.date(1975, 8, 17)),
        ("1975-08-17", dt.date(1975, 8, 17)),
        ("17/8/75", dt.date(1975, 8, 17)),
        ("1/2/03", dt.date(2003, 2, 1)),
        ("17 Agustus 1975", dt.date(1975, 8, 17)),
        ("17 agt 1975", dt.date(1975, 8, 17)),
        ("5-Des-1999", dt.date(1999, 12, 5)),
        ("5 Nopember 1960", dt.date(1960, 11, 5)),
        ("17.08.1975", dt.date(1975, 8, 17)),
        ("17081975", dt.date(1975, 8, 17)),
        ("1975-08-17 00:00:00", dt.date(1975, 8, 17)),
        (dt.datetime(1975, 8, 17, 0, 0), dt.date(1975, 8, 17)),
    ],
)
def test_dates_in_the_forms_indonesians_write_them(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["31-02-1980", "17 Agustusan 1975", "kemarin", "1975/17", "00-00-0000", "32/1/80"]
)
def test_impossible_or_unreadable_dates_are_refused_with_a_reason(text):
    with pytest.raises(BadValue) as error:
        parse_date(text, today=TODAY)
    assert str(error.value)


def test_birth_dates_in_the_future_are_refused():
    with pytest.raises(BadValue):
        parse_birth_date("01-01-2030", today=TODAY)


@given(dates)
def test_any_date_round_trips_through_every_written_form(date):
    forms = [
        date.strftime("%d-%m-%Y"),
        date.strftime("%d/%m/%Y"),
        date.isoformat(),
        f"{date.day} {INDONESIAN_MONTHS[date.month - 1]} {date.year}",
        f"{date.day}/{date.month}/{date.year}",
    ]
    for form in forms:
        assert parse_date(form, today=TODAY) == date


@given(dates.filter(lambda d: d.year > TODAY.year - 100))
def test_two_digit_years_are_never_in_the_future(date):
    parsed = parse_date(date.strftime("%d/%m/%y"), today=TODAY)
    assert parsed <= TODAY
    assert (parsed.day, parsed.month, parsed.year % 100) == (date.day, date.month, date.year % 100)


@given(st.text(max_size=30))
def test_the_date_parser_never_crashes(text):
    with contextlib.suppress(BadValue):
        parse_date(text, today=TODAY)


@given(dates, st.sampled_from("MF"), st.integers(min_value=1, max_value=9999))
def test_valid_niks_pass_and_survive_spaces_and_dots(birth, sex, serial):
    nik = make_nik("34.04.01.2001", sex, birth, serial)
    assert parse_nik(nik) == nik
    assert parse_nik(f"{nik[:6]}.{nik[6:12]}.{nik[12:]}") == nik
    assert parse_nik(f" {nik[:4]} {nik[4:]} ") == nik


@given(st.text(alphabet="0123456789", min_size=0, max_size=20).filter(lambda s: len(s) != 16))
def test_niks_of_the_wrong_length_are_refused(digits):
    with pytest.raises(BadValue):
        parse_nik(digits)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
@example("3404012902000001")  # 29 Feb 2000 exists
@example("3404016902000001")  # the same for a woman (day + 40)
@example("3404012902010001")  # 29 Feb 1901/2001 does not
@example("3404013104750001")  # 31 April
@example("3404014008750001")  # day 0 for a woman
def test_the_nik_parser_agrees_with_stdnum(digits):
    """Bakti reads the birth date part itself (faster); stdnum.id.nik is the reference."""
    accepted = True
    try:
        parse_nik(digits)
    except BadValue:
        accepted = False
    assert accepted == stdnum_nik.is_valid(digits)


@given(st.text(max_size=20))
def test_the_nik_parser_never_crashes(text):
    with contextlib.suppress(BadValue):
        parse_nik(text)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("34040117AB750001", "digits"),
        ("340401170875000", "16"),
        ("3404013208750001", "birth date"),
        ("9904011708750001", "region"),
        ("3.40401E+15", "scientific"),
    ],
)
def test_bad_niks_say_what_is_wrong(value, fragment):
    with translation.override("en"), pytest.raises(BadValue) as error:
        parse_nik(value)
    assert fragment in str(error.value)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16).filter(lambda s: s[:2] != "00"))
def test_any_sixteen_digits_are_a_kk(digits):
    assert parse_kk(digits) == digits
    assert parse_kk(f"{digits[:8]} {digits[8:]}") == digits


@given(st.text(max_size=20).filter(lambda s: len("".join(c for c in s if c.isdigit())) != 16))
def test_kk_without_sixteen_digits_is_refused(text):
    with pytest.raises(BadValue):
        parse_kk(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("L", "M"), ("p", "F"), ("1", "M"), ("2", "F"), ("Laki-laki", "M"), ("PEREMPUAN", "F")],
)
def test_sex_in_every_usual_form(value, expected):
    assert parse_sex(value) == expected


def test_unknown_sex_desil_and_region_are_refused():
    for parser, value in [
        (parse_sex, "X"),
        (parse_desil, "11"),
        (parse_desil, "0"),
        (parse_region_code, "34.04.01"),
    ]:
        with pytest.raises(BadValue):
            parser(value)


def test_region_codes_with_dots_digits_or_in_parts():
    assert parse_region_code("3404012001") == "34.04.01.2001"
    assert parse_region_code("34.04.01.2001") == "34.04.01.2001"
    assert region_from_parts("34", "4", "1", "2001") == "34.04.01.2001"
    assert region_from_parts("34", "3404", "340401", "3404012001") == "34.04.01.2001"


def test_the_quote_an_export_adds_before_a_formula_is_removed():
    assert clean_text("'=SUM(A1)") == "=SUM(A1)"
    assert clean_text("'quoted") == "'quoted"
    assert clean_text(3404.0) == "3404"
