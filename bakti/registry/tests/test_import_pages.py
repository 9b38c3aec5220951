"""The import pages: upload, column mapping, progress and summary, reports; who may see what."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import sample_rows
from bakti.registry.models import ColumnMapping, ImportJob, JobStatus, Person
from conftest import DESA_A, DESA_B, KECAMATAN_A


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sample_csv(households=5, bad_every=0, header=BAKTI_COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(sample_rows(households, [DESA_A, DESA_B], bad_every=bad_every))
    return out.getvalue().encode()


def upload_and_start(client, data, django_capture_on_commit_callbacks, name="f.csv", **extra):
    response = client.post(
        reverse("registry:imports:upload"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("id")
    assert response["Location"] == reverse("registry:imports:columns", args=[job.pk])
    page = client.get(response["Location"])
    form = page.context["form"]
    post = {k: (v.initial or "") for k, v in form.fields.items()}
    post.update(extra)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], post)
    assert response.status_code == 302, response.context["form"].errors
    job.refresh_from_db()
    return job


def test_upload_map_and_run_shows_the_summary_and_the_report(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.officer)
    job = upload_and_start(client, sample_csv(20, bad_every=10), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    assert job.rejected_rows > 0
    page = client.get(reverse("registry:imports:detail", args=[job.pk]))
    assert page.status_code == 200
    assert reverse("registry:imports:errors", args=[job.pk]) in page.content.decode()
    report = client.get(reverse("registry:imports:errors", args=[job.pk]))
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == job.rejected_rows + 1


def test_a_custom_mapping_can_be_saved_and_reused(client, cast, django_capture_on_commit_callbacks):
    header = ["KK", "Nama Lengkap", "Kode Desa", "JK", "Lahir", "NIK Warga", *BAKTI_COLUMNS[8:]]
    mine = {"KK": "no_kk", "Nama Lengkap": "full_name", "Kode Desa": "region_code", "JK": "sex",
            "Lahir": "birth_date", "NIK Warga": "nik"}  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    index = {c: i for i, c in enumerate(BAKTI_COLUMNS)}
    for row in sample_rows(3, [DESA_A]):
        writer.writerow(
            [row[index[c]] for c in ("no_kk", "full_name", "region_code", "sex", "birth_date",
                                     "nik")] + row[8:]
        )  # fmt: skip
    client.force_login(cast.officer)
    extra = {f"col_{header.index(k)}": v for k, v in mine.items()}
    extra["save_as"] = "Format desa"
    job = upload_and_start(
        client, out.getvalue().encode(), django_capture_on_commit_callbacks, **extra
    )
    assert job.status == JobStatus.DONE, job.message
    assert job.rejected_rows == 0
    saved = ColumnMapping.objects.get(name="Format desa")
    assert saved.mapping["Nama Lengkap"] == "full_name"


def test_a_mapping_without_required_fields_is_refused_with_a_message(client, cast):
    client.force_login(cast.officer)
    client.post(
        reverse("registry:imports:upload"),
        {"file": SimpleUploadedFile("f.csv", b"foo,bar\n1,2\n")},
    )
    job = ImportJob.objects.latest("id")
    response = client.post(reverse("registry:imports:columns", args=[job.pk]), {"col_0": "nik"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    job.refresh_from_db()
    assert job.started_at is None


def test_a_zip_bomb_upload_is_refused_on_the_page(client, cast):
    from bakti.registry.tests.test_import_files import bomb

    client.force_login(cast.officer)
    response = client.post(
        reverse("registry:imports:upload"), {"file": SimpleUploadedFile("b.xlsx", bomb())}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_the_progress_partial_polls_while_running(client, cast):
    client.force_login(cast.officer)
    client.post(
        reverse("registry:imports:upload"), {"file": SimpleUploadedFile("f.csv", sample_csv(2))}
    )
    job = ImportJob.objects.latest("id")
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=job.created_at, total_rows=200, processed_rows=50
    )
    response = client.get(reverse("registry:imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="25"' in html
    assert "<h1>" not in html  # only the partial


@pytest.mark.parametrize("name", ["field_worker_a", "finance", "partner", "outsider", "auditor"])
def test_users_who_may_not_import_are_refused(client, cast, name):
    client.force_login(getattr(cast, name))
    for url in [reverse("registry:imports:list"), reverse("registry:imports:upload")]:
        assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, cast):
    response = client.get(reverse("registry:imports:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_region_limited_importer_sees_only_their_own_jobs(client, cast):
    job = ImportJob.objects.create(created_by=cast.officer, original_name="dept.csv")
    account_services.membership_grant(
        actor=None,
        user=cast.outsider,
        role=Role.OFFICER,
        org_unit=cast.division_rehsos,
        region_code=KECAMATAN_A,
    )
    mine = ImportJob.objects.create(created_by=cast.outsider, original_name="mine.csv")
    client.force_login(cast.outsider)
    listing = client.get(reverse("registry:imports:list"))
    assert [j.pk for j in listing.context["page"]] == [mine.pk]
    assert client.get(reverse("registry:imports:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("registry:imports:errors", args=[job.pk])).status_code == 404
    client.force_login(cast.officer)
    assert client.get(reverse("registry:imports:detail", args=[mine.pk])).status_code == 200


def test_the_job_list_query_count_does_not_grow_and_exports(
    client, cast, django_assert_max_num_queries
):
    for i in range(30):
        ImportJob.objects.create(created_by=cast.officer, original_name=f"{i}.csv")
    client.force_login(cast.officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:imports:list")).status_code == 200
    export = client.get(reverse("registry:imports:list") + "?export=csv")
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 31
    xlsx = client.get(reverse("registry:imports:list") + "?export=xlsx")
    assert xlsx.status_code == 200


def test_the_template_download_has_the_default_layout(client, cast):
    client.force_login(cast.officer)
    response = client.get(reverse("registry:imports:template"))
    assert response.content.decode("utf-8-sig").strip() == ",".join(BAKTI_COLUMNS)
    assert Person.objects.count() == 0
