"""`bakti export registry` writes the import layout: exporting and importing back changes
nothing, formulas are neutralised, and `bakti import registry` exits non-zero on rejects."""

import csv
import io

import pytest
from django.core.management import call_command

from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import make_kk, write_sample
from bakti.registry.models import DuplicateCandidate, Household, ImportJob, Person
from conftest import DESA_A, DESA_A2, DESA_B, KECAMATAN_B


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_file(path, *args):
    out = io.StringIO()
    try:
        call_command("import", "registry", str(path), *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def sample(tmp_path, households=25, **kwargs):
    path = tmp_path / "sample.csv"
    with path.open("w", newline="") as out:
        count = write_sample(out, households, [DESA_A, DESA_A2, DESA_B], **kwargs)
    return path, count


def test_export_then_import_creates_nothing_and_rejects_nothing(cast, tmp_path):
    path, count = sample(tmp_path)
    assert import_file(path)[0] == 0
    # A formula-like address must survive the trip as text.
    Household.objects.filter(pk=Household.objects.first().pk).update(address="=HYPERLINK(1)")
    exported = tmp_path / "export.csv"
    call_command("export", "registry", str(exported), stdout=io.StringIO())
    code, _out = import_file(exported)
    assert code == 0
    job = ImportJob.objects.first()
    assert job.processed_rows == count
    assert (job.created_households, job.created_people, job.rejected_rows) == (0, 0, 0)
    assert (job.updated_households, job.updated_people) == (0, 0)
    assert Household.objects.filter(address="=HYPERLINK(1)").count() == 1


def test_people_without_nik_are_matched_by_name_and_birth_date_on_reimport(cast, tmp_path):
    path = tmp_path / "no-nik.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["no_kk", "region_code", "full_name", "sex", "birth_date", "relationship"])
        writer.writerow([make_kk(DESA_A, 7), DESA_A, "Ani  Lestari", "P", "1-2-1990", "head"])
        writer.writerow([make_kk(DESA_A, 7), DESA_A, "Bayu", "L", "", "child"])
    assert import_file(path)[0] == 0
    exported = tmp_path / "export.csv"
    call_command("export", "registry", str(exported), stdout=io.StringIO())
    assert import_file(exported)[0] == 0
    assert Person.objects.count() == 2
    job = ImportJob.objects.first()
    assert (job.created_people, job.updated_people) == (0, 0)


def test_export_neutralises_formulas(cast, tmp_path):
    path, _count = sample(tmp_path, households=2)
    import_file(path)
    Person.objects.filter(pk=Person.objects.first().pk).update(occupation="+62 cmd|' /C calc'!A0")
    Household.objects.filter(pk=Household.objects.first().pk).update(address="@SUM(A1)")
    exported = tmp_path / "export.csv"
    call_command("export", "registry", str(exported), stdout=io.StringIO())
    with exported.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0].keys() == set(BAKTI_COLUMNS) or list(rows[0].keys()) == BAKTI_COLUMNS
    cells = [value for row in rows for value in row.values()]
    assert "'+62 cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_export_limited_to_a_region(cast, tmp_path):
    path, _count = sample(tmp_path, households=12)
    import_file(path)
    exported = tmp_path / "export.csv"
    call_command("export", "registry", str(exported), "--region", KECAMATAN_B, stdout=io.StringIO())
    with exported.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {row["region_code"] for row in rows} == {DESA_B}
    assert len(rows) == Person.objects.filter(region_id=DESA_B).count()


def test_import_command_exits_non_zero_and_writes_the_report_when_rows_are_rejected(cast, tmp_path):
    path, count = sample(tmp_path, households=30, bad_every=10)
    report = tmp_path / "errors.csv"
    code, out = import_file(path, "--report", str(report))
    assert code == 1
    with report.open(encoding="utf-8-sig") as handle:
        rejected = list(csv.reader(handle))[1:]
    assert len(rejected) == count // 10
    assert "rows rejected" in out


def _twins_file(tmp_path):
    """Two records of what looks like one woman: once with a NIK, once (another KK) without."""
    path = tmp_path / "twins.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=BAKTI_COLUMNS)
        writer.writeheader()
        common = {"region_code": DESA_A, "full_name": "Sri Wahyuni", "sex": "P"}
        writer.writerow(
            {
                **common,
                "no_kk": make_kk(DESA_A, 1),
                "nik": "3404015708800001",
                "birth_date": "17-08-1980",
                "relationship": "head",
            }
        )
        writer.writerow(
            {
                **common,
                "no_kk": make_kk(DESA_A, 2),
                "birth_date": "17-08-1980",
                "relationship": "head",
            }
        )
    return path


def test_the_duplicate_search_after_an_import_can_be_left_for_later(cast, tmp_path):
    code, out = import_file(_twins_file(tmp_path), "--no-duplicate-search")
    assert code == 0
    assert "0 possible duplicates" in out
    assert Person.objects.count() == 2
    assert not DuplicateCandidate.objects.exists()
    code, out = import_file(_twins_file(tmp_path))
    assert "1 possible duplicates" in out
    assert DuplicateCandidate.objects.count() == 1
