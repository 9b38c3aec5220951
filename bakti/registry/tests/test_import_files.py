"""Files as they arrive: XLSX read in streaming mode, zip bombs refused, semicolon CSV from
Indonesian Excel, Windows-1252 text, a DTKS-style extract, and chunks that are all or nothing."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from bakti.registry.importing import engine, services
from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.reading import UnreadableFile, check_zip
from bakti.registry.importing.sample import make_kk, make_nik, sample_rows
from bakti.registry.models import Household, HouseholdMembership, JobStatus, Person
from conftest import DESA_A, DESA_B


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(user, data, name, chunk_rows=2000):
    job = services.import_job_create(actor=user, upload=SimpleUploadedFile(name, data))
    job.column_map = services.clean_mapping(job.column_map)
    job.save()
    return services.import_job_run(job_id=job.pk, chunk_rows=chunk_rows)


def xlsx_bytes(header, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_file_imports_with_real_date_cells(cast):
    rows = list(sample_rows(10, [DESA_A, DESA_B]))
    index = BAKTI_COLUMNS.index("birth_date")
    for row in rows:
        row[index] = dt.datetime.strptime(row[index], "%d-%m-%Y")  # a date cell, as Excel stores
    job = run(cast.manager, xlsx_bytes(BAKTI_COLUMNS, rows), "data.xlsx")
    assert job.status == JobStatus.DONE, job.message
    assert job.file_format == "xlsx"
    assert (job.created_people, job.rejected_rows) == (len(rows), 0)


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(cast):
    data = bomb()
    assert len(data) < 1024 * 1024  # tiny on disk, 50 MB of zeros inside
    with pytest.raises(UnreadableFile):
        check_zip(io.BytesIO(data))
    with pytest.raises(ValidationError) as error:
        services.import_job_create(actor=cast.manager, upload=SimpleUploadedFile("b.xlsx", data))
    assert "zip bomb" in str(error.value) or "bom" in str(error.value)


def test_files_that_are_not_csv_or_xlsx_are_refused(cast):
    with pytest.raises(ValidationError):
        services.import_job_create(
            actor=cast.manager, upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4")
        )
    with pytest.raises(ValidationError):
        services.import_job_create(
            actor=cast.manager, upload=SimpleUploadedFile("x.xlsx", b"not a zip at all")
        )


def test_a_file_larger_than_the_limit_is_refused(cast, settings):
    settings.BAKTI_MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationError) as error:
        services.import_job_create(
            actor=cast.manager, upload=SimpleUploadedFile("x.csv", b"no_kk\n1\n")
        )
    assert "0 MB" in str(error.value)


def test_semicolon_separated_windows_1252_csv(cast):
    header = ";".join(BAKTI_COLUMNS)
    values = {c: "" for c in BAKTI_COLUMNS}
    values.update(
        no_kk=make_kk(DESA_A, 3),
        region_code=DESA_A,
        full_name="Désirée Ayu",
        sex="P",
        birth_date="3/4/1990",
        relationship="head",
    )
    data = (header + "\r\n" + ";".join(values[c] for c in BAKTI_COLUMNS) + "\r\n").encode("cp1252")
    job = run(cast.manager, data, "excel.csv")
    assert job.rejected_rows == 0, job.message
    assert Person.objects.get().full_name == "Désirée Ayu"


def test_a_dtks_style_extract_with_region_parts(cast):
    header = ["NOKK", "NIK", "NAMA", "JNS_KEL", "TGL_LAHIR", "HUB_KRT", "KDPROP", "KDKAB",
              "KDKEC", "KDDESA", "ALAMAT", "DESIL"]  # fmt: skip
    kk = make_kk(DESA_A, 9)
    rows = [
        [kk, make_nik(DESA_A, "F", dt.date(1975, 8, 17), 1), "SITI AMINAH", "2",
         "17 Agustus 1975", "1", "34", "04", "01", "2001", "DUSUN KRAJAN", "2"],
        [kk, make_nik(DESA_A, "M", dt.date(2001, 1, 2), 1), "ADI", "1", "02/01/2001", "3",
         "34", "04", "01", "2001", "DUSUN KRAJAN", "2"],
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    job = run(cast.manager, out.getvalue().encode(), "dtks.csv")
    assert job.rejected_rows == 0, job.message
    household = Household.objects.get()
    assert (household.region_id, household.desil, household.address) == (DESA_A, 2, "DUSUN KRAJAN")
    assert household.head.full_name == "SITI AMINAH"
    assert set(Person.objects.values_list("relationship", flat=True)) == {"head", "child"}


def test_a_failure_inside_a_chunk_writes_nothing_of_that_chunk(cast, monkeypatch):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BAKTI_COLUMNS)
    writer.writerows(sample_rows(40, [DESA_A, DESA_B]))
    data = out.getvalue().encode()
    calls = {"n": 0}
    real = engine.insert_rows

    def failing(model, rows):
        if model is HouseholdMembership:
            calls["n"] += 1
            if calls["n"] == 2:  # the second chunk fails after its households and people
                raise RuntimeError("disk full")
        return real(model, rows)

    monkeypatch.setattr(engine, "insert_rows", failing)
    job = services.import_job_create(actor=cast.manager, upload=SimpleUploadedFile("d.csv", data))
    job.column_map = services.clean_mapping(job.column_map)
    job.save()
    with pytest.raises(RuntimeError):
        services.import_job_run(job_id=job.pk, chunk_rows=30)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Import the same file again" in job.message or job.message
    # Only the first chunk is there, complete: every household with all its people.
    first_chunk_people = job.processed_rows
    assert Person.objects.count() == first_chunk_people
    for household in Household.objects.all():
        assert household.head_id is not None
        assert HouseholdMembership.objects.filter(household=household).count() == (
            household.members.count()
        )
    # Running the same file again completes it without duplicates.
    monkeypatch.setattr(engine, "insert_rows", real)
    again = run(cast.manager, data, "d.csv", chunk_rows=30)
    assert again.status == JobStatus.DONE
    assert Person.objects.count() == len(out.getvalue().splitlines()) - 1
    assert Household.objects.count() == 40
