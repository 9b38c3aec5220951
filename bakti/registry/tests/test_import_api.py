"""The import and duplicate APIs: same scoping and services as the pages."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import make_kk, make_nik, sample_rows
from bakti.registry.models import DuplicateCandidate, Household, ImportJob, Person
from conftest import DESA_A, DESA_A2, DESA_B


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sample_csv(bad_every=0):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BAKTI_COLUMNS)
    writer.writerows(sample_rows(6, [DESA_A, DESA_B], bad_every=bad_every))
    return out.getvalue().encode()


def test_post_a_file_runs_the_import_and_reports(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/registry/imports/", {"file": SimpleUploadedFile("f.csv", sample_csv(5))}
        )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    body = client.get(f"/api/v1/registry/imports/{job_id}").json()
    assert body["status"] == "done"
    assert body["rejected_rows"] > 0
    assert body["has_error_report"] is True
    report = client.get(f"/api/v1/registry/imports/{job_id}/errors")
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == body["rejected_rows"] + 1
    listing = client.get("/api/v1/registry/imports/").json()
    assert [item["id"] for item in listing["items"]] == [job_id]


def test_unrecognised_columns_give_a_422_that_names_the_missing_fields(client, cast):
    client.force_login(cast.officer)
    response = client.post(
        "/api/v1/registry/imports/", {"file": SimpleUploadedFile("f.csv", b"a,b\n1,2\n")}
    )
    assert response.status_code == 422
    assert "KK" in response.json()["errors"][0]["message"]
    assert not ImportJob.objects.exists()


def test_the_import_api_refuses_users_without_the_capability(client, cast):
    client.force_login(cast.field_worker_a)
    assert client.get("/api/v1/registry/imports/").status_code == 403
    response = client.post(
        "/api/v1/registry/imports/", {"file": SimpleUploadedFile("f.csv", sample_csv())}
    )
    assert response.status_code == 403
    job = ImportJob.objects.create(created_by=cast.officer, original_name="x.csv")
    assert client.get(f"/api/v1/registry/imports/{job.pk}").status_code == 403


def person(name, desa, serial, nik=True):
    born = dt.date(1980, 5, 17)
    household = Household.objects.create(no_kk=make_kk(desa, serial), region_id=desa)
    return Person.objects.create(
        full_name=name,
        sex="M",
        birth_date=born,
        region_id=desa,
        household=household,
        nik=make_nik(desa, "M", born, serial) if nik else None,
    )


def test_duplicates_api_lists_masked_and_merges(client, cast):
    a, b = person("Budi Santoso", DESA_A, 1), person("Budi Santosa", DESA_A2, 2, nik=False)
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.9, region_id=DESA_A)
    client.force_login(cast.officer)
    listing = client.get("/api/v1/registry/duplicates/").json()
    [item] = listing["items"]
    assert item["person_a"]["nik_masked"] == a.nik[:4] + "********" + a.nik[-4:]
    assert a.nik not in str(listing)
    response = client.post(
        f"/api/v1/registry/duplicates/{pair.pk}/merge",
        {"keep": b.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    b.refresh_from_db()
    assert b.nik == a.nik  # filled from the removed record
    assert not Person.objects.filter(pk=a.pk).exists()


def test_duplicates_api_scoping_and_refusal(client, cast):
    a, b = person("Eko", DESA_B, 3), person("Eko S", DESA_B, 4)
    pair = DuplicateCandidate.objects.create(person_a=a, person_b=b, score=0.9, region_id=DESA_B)
    client.force_login(cast.field_worker_b)  # may see them, may not merge
    assert client.get("/api/v1/registry/duplicates/").status_code == 403
    response = client.post(f"/api/v1/registry/duplicates/{pair.pk}/distinct")
    assert response.status_code == 403
    client.force_login(cast.officer)
    response = client.post(f"/api/v1/registry/duplicates/{pair.pk}/distinct")
    assert response.json()["status"] == "distinct"
