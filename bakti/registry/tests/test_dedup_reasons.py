"""A possible duplicate's reasons are kept in English and shown in the reader's language."""

import datetime as dt

import pytest
from django.utils import translation

from bakti.registry.dedup import reasons
from bakti.registry.dedup.matching import PersonRecord, compare
from bakti.registry.dedup.reasons import reason_text

FIXED = [value for name, value in vars(reasons).items() if name.isupper() and name[0] != "_"]


def record(**fields):
    values = {
        "id": 1,
        "full_name": "Siti Aminah",
        "birth_date": dt.date(1980, 5, 17),
        "sex": "F",
        "region_id": "34.04.01.2001",
        "nik": "",
        "household_id": None,
    }
    values.update(fields)
    return PersonRecord(**values)


@pytest.mark.parametrize("detail", FIXED)
def test_every_fixed_reason_has_an_indonesian_text(detail):
    with translation.override("id"):
        assert reason_text(detail) not in ("", detail)
    with translation.override("en"):
        assert reason_text(detail) == detail


def test_the_numbers_in_a_reason_survive_translation():
    with translation.override("id"):
        assert reason_text(reasons.name_detail(0.934)) == "kemiripan nama 93%"
        assert reason_text(reasons.nik_detail(1, serial_only=True)) == (
            "NIK berbeda 1 digit, hanya pada nomor urut"
        )
        assert reason_text(reasons.nik_detail(2, serial_only=False)) == "NIK berbeda 2 digit"
    with translation.override("en"):
        assert reason_text(reasons.nik_detail(2, serial_only=False)) == "NIKs differ by 2 digits"
        assert reason_text(reasons.nik_detail(1, serial_only=False)) == "NIKs differ by 1 digit"


def test_what_the_matcher_writes_is_stored_in_english_and_read_in_indonesian():
    a = record(nik="3404015705800001")
    b = record(id=2, full_name="Siti Aminah", sex="M", nik="3404015705800002")
    details = [r["detail"] for r in compare(a, b).reasons]
    assert "same birth date" in details and "different sex" in details
    with translation.override("id"):
        shown = [reason_text(d) for d in details]
    assert "tanggal lahir sama" in shown and "jenis kelamin berbeda" in shown
    assert not set(shown) & set(details)


def test_a_reason_written_by_another_version_is_shown_as_it_is():
    assert reason_text("rule of a future version") == "rule of a future version"
