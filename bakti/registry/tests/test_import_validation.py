"""Every kind of field with a bad value: the row is not written and the report says the row,
the column as written in the file, the value and the reason."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bakti.registry.importing import services
from bakti.registry.importing.sample import make_kk, make_nik
from bakti.registry.models import Person
from conftest import DESA_A

GOOD = {
    "no_kk": make_kk(DESA_A, 1),
    "region_code": DESA_A,
    "address": "Jl. Melati 3",
    "rt": "1",
    "rw": "2",
    "desil": "3",
    "nik": make_nik(DESA_A, "M", dt.date(1980, 5, 17), 1),
    "full_name": "Budi Santoso",
    "sex": "L",
    "birth_date": "17-05-1980",
    "birth_place": "Sleman",
    "relationship": "Kepala Keluarga",
    "marital_status": "Kawin",
    "education": "SMA",
    "occupation": "Petani",
    "phone": "0812 3456 7890",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(user, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(GOOD))
    writer.writeheader()
    writer.writerows(rows)
    job = services.import_job_create(
        actor=user, upload=SimpleUploadedFile("f.csv", out.getvalue().encode())
    )
    job.column_map = services.clean_mapping(job.column_map)
    job.save()
    job = services.import_job_run(job_id=job.pk)
    report = []
    if job.error_report:
        with job.error_report.open("rb") as handle:
            report = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    return job, report


BAD = [
    ("no_kk", "12345", "16"),
    ("no_kk", "", "required"),
    ("region_code", "34.04.01", "desa"),
    ("region_code", "34.04.01.2999", "No desa"),
    ("desil", "11", "1 to 10"),
    ("rt", "1234", "RT"),
    ("nik", "3404011708", "16"),
    ("nik", "3404013508801234", "birth date"),
    ("full_name", "", "required"),
    ("full_name", "12345", "letters"),
    ("sex", "X", "L or P"),
    ("birth_date", "31-02-1980", "does not exist"),
    ("birth_date", "17 Agustusan 1980", "month"),
    ("birth_date", "01-01-2099", "future"),
    ("relationship", "tetangga", "relationship"),
    ("marital_status", "9", "marital"),
    ("education", "TK", "education"),
    ("phone", "abc", "phone"),
    ("address", "x" * 300, "too long"),
]


@pytest.mark.parametrize(("column", "value", "fragment"), BAD)
def test_a_bad_value_is_reported_with_row_column_value_and_reason(cast, column, value, fragment):
    other = {**GOOD, "no_kk": make_kk(DESA_A, 2), "nik": "", "full_name": "Ani", "sex": "P"}
    bad = {**GOOD, column: value}
    with translation.override("en"):
        job, report = run(cast.manager, [other, bad])
    assert job.rejected_rows == 1
    header, *errors = report
    assert header == ["row", "column", "value", "reason"]
    assert [e[:3] for e in errors] == [["3", column, value]]
    assert fragment.lower() in errors[0][3].lower()
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Ani"]


def test_the_reason_is_in_the_uploaders_language(cast):
    with translation.override("id"):
        _job, report = run(cast.manager, [{**GOOD, "sex": "X"}])
    assert "L atau P" in report[1][3]


def test_a_nik_twice_in_one_file_is_refused_the_second_time(cast):
    second = {**GOOD, "full_name": "Budi Lain", "relationship": "anak"}
    with translation.override("en"):
        _job, report = run(cast.manager, [GOOD, second])
    assert [e[:3] for e in report[1:]] == [["3", "nik", GOOD["nik"]]]
    assert "earlier row" in report[1][3]
    assert Person.objects.get().full_name == "Budi Santoso"


def test_a_nik_that_disagrees_with_sex_and_birth_date_is_saved_with_a_warning(cast):
    row = {**GOOD, "sex": "P", "birth_date": "18-05-1980"}
    with translation.override("en"):
        job, _report = run(cast.manager, [row])
    assert job.rejected_rows == 0
    assert job.warning_rows == 1
    person = Person.objects.get()
    assert {flag["check"] for flag in person.nik_flags} == {"sex", "birth_date"}
    with job.warning_report.open("rb") as handle:
        warnings = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))[1:]
    assert {w[1] for w in warnings} == {"sex", "birth_date"}


def test_sex_is_taken_from_the_nik_when_the_cell_is_empty(cast):
    with translation.override("en"):
        job, _report = run(cast.manager, [{**GOOD, "sex": ""}])
    assert job.rejected_rows == 0
    assert Person.objects.get().sex == "M"


def test_a_person_without_nik_needs_a_sex(cast):
    with translation.override("en"):
        _job, report = run(cast.manager, [{**GOOD, "sex": "", "nik": ""}])
    assert report[1][:3] == ["2", "sex", ""]


def test_two_rows_of_one_kk_with_different_regions(cast):
    second = {**GOOD, "nik": "", "full_name": "Ani", "sex": "P", "region_code": "34.04.01.2002"}
    with translation.override("en"):
        _job, report = run(cast.manager, [GOOD, second])
    assert report[1][:3] == ["3", "region_code", "34.04.01.2002"]
    assert "row 2" in report[1][3]
