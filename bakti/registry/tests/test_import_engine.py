"""The import engine end to end: file in, households and people out, bad rows reported."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.privacy.models import AuditEvent
from bakti.registry.importing import services
from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import make_kk, make_nik, write_sample
from bakti.registry.models import Household, HouseholdMembership, JobStatus, Person
from conftest import DESA_A, DESA_A2, DESA_B, KECAMATAN_A, OTHER_DESA


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_bytes(rows, header=BAKTI_COLUMNS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def run_file(user, data, name="data.csv", chunk_rows=2000):
    job = services.import_job_create(
        actor=user, upload=SimpleUploadedFile(name, data), mapping=None
    )
    job.column_map = services.clean_mapping(job.column_map)
    job.started_at = job.created_at
    job.save()
    return services.import_job_run(job_id=job.pk, chunk_rows=chunk_rows)


def report_rows(field):
    field.open("rb")
    try:
        text = field.read().decode("utf-8-sig")
    finally:
        field.close()
    return list(csv.reader(io.StringIO(text)))[1:]


def sample_file(households, **kwargs):
    out = io.StringIO()
    count = write_sample(out, households, [DESA_A, DESA_A2, DESA_B], **kwargs)
    return out.getvalue().encode(), count


def test_a_clean_file_creates_households_people_memberships_and_heads(cast):
    data, count = sample_file(30)
    job = run_file(cast.manager, data)
    assert job.status == JobStatus.DONE, job.message
    assert job.processed_rows == count
    assert job.rejected_rows == 0
    assert Household.objects.count() == 30 == job.created_households
    assert Person.objects.count() == count == job.created_people
    assert HouseholdMembership.objects.filter(end_date__isnull=True).count() == count
    for household in Household.objects.all():
        assert household.head is not None
        assert household.head.household_id == household.pk
        assert household.head.region_id == household.region_id


def test_households_and_people_added_by_hand_after_an_import_get_keys_of_their_own(cast):
    # PostgreSQL's import takes its keys from the tables' sequences before it streams the
    # rows in: what is registered next must not be given a key already used.
    from bakti.registry import services as registry_services
    from bakti.registry.tests import factories

    data, count = sample_file(12)
    run_file(cast.manager, data, chunk_rows=10)
    imported = set(Person.objects.values_list("pk", flat=True))

    home = registry_services.household_create(actor=None, no_kk="3404019999999999", region=DESA_A)
    late = factories.person(home, name="Datang Belakangan")

    assert home.pk not in set(Household.objects.exclude(pk=home.pk).values_list("pk", flat=True))
    assert late.pk not in imported
    assert Person.objects.count() == count + 1
    memberships = HouseholdMembership.objects.filter(person__in=imported, end_date__isnull=True)
    assert sorted(m.person_id for m in memberships) == sorted(imported)


def test_reimporting_the_same_file_updates_nothing_and_creates_nothing(cast):
    data, count = sample_file(20)
    run_file(cast.manager, data)
    again = run_file(cast.manager, data)
    assert again.status == JobStatus.DONE
    assert (again.created_households, again.created_people) == (0, 0)
    assert (again.updated_households, again.updated_people) == (0, 0)
    assert Person.objects.count() == count


def test_reimporting_a_corrected_file_updates_by_nik_and_kk(cast):
    birth = dt.date(1980, 5, 17)
    nik = make_nik(DESA_A, "M", birth, 1)
    kk = make_kk(DESA_A, 1)
    row = [
        kk,
        DESA_A,
        "Jl. Lama 1",
        "001",
        "002",
        "3",
        nik,
        "Budi Santoso",
        "L",
        "17-05-1980",
        "",
        "head",
        "",
        "",
        "",
        "",
    ]
    run_file(cast.manager, csv_bytes([row]))
    row[2], row[5], row[7] = "Jl. Baru 2", "2", "Budi Santosa"
    job = run_file(cast.manager, csv_bytes([row]))
    assert (job.created_households, job.created_people) == (0, 0)
    assert (job.updated_households, job.updated_people) == (1, 1)
    person = Person.objects.get()
    assert person.full_name == "Budi Santosa"
    assert person.version == 2
    household = Household.objects.get()
    assert (household.address, household.desil) == ("Jl. Baru 2", 2)


def test_one_percent_bad_rows_are_reported_exactly_and_all_others_written(cast):
    data, count = sample_file(300, bad_every=100)
    job = run_file(cast.manager, data, chunk_rows=250)
    bad_lines = {n + 1 for n in range(1, count + 1) if n % 100 == 0}
    reported = {int(r[0]) for r in report_rows(job.error_report)}
    assert reported == bad_lines
    assert job.rejected_rows == len(bad_lines)
    assert Person.objects.count() == count - len(bad_lines)


def test_rows_outside_the_importers_region_are_rejected_with_a_reason(cast):
    # An officer limited to kecamatan A may import there and nowhere else.
    account_services.membership_grant(
        actor=None,
        user=cast.outsider,
        role=Role.OFFICER,
        org_unit=cast.division_rehsos,
        region_code=KECAMATAN_A,
    )
    rows = [
        [
            make_kk(DESA_A, 1),
            DESA_A,
            "",
            "",
            "",
            "",
            "",
            "Ani",
            "P",
            "01-01-1990",
            "",
            "head",
            "",
            "",
            "",
            "",
        ],
        [
            make_kk(DESA_B, 2),
            DESA_B,
            "",
            "",
            "",
            "",
            "",
            "Eko",
            "L",
            "01-01-1990",
            "",
            "head",
            "",
            "",
            "",
            "",
        ],
    ]
    job = run_file(cast.outsider, csv_bytes(rows))
    assert job.rejected_rows == 1
    [error] = report_rows(job.error_report)
    assert error[:3] == ["3", "region_code", DESA_B]
    assert "outside" in error[3] or "luar" in error[3]
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Ani"]


def test_an_existing_kk_outside_the_scope_is_not_touched(cast):
    run_file(
        cast.manager,
        csv_bytes(
            [
                [
                    make_kk(DESA_B, 2),
                    DESA_B,
                    "Jl. B",
                    "",
                    "",
                    "",
                    "",
                    "Eko",
                    "L",
                    "01-01-1990",
                    "",
                    "head",
                    "",
                    "",
                    "",
                    "",
                ]
            ]
        ),
    )
    account_services.membership_grant(
        actor=None,
        user=cast.outsider,
        role=Role.OFFICER,
        org_unit=cast.division_rehsos,
        region_code=KECAMATAN_A,
    )
    job = run_file(
        cast.outsider,
        csv_bytes(
            [
                [
                    make_kk(DESA_B, 2),
                    DESA_A,
                    "Jl. A",
                    "",
                    "",
                    "",
                    "",
                    "Eko",
                    "L",
                    "01-01-1990",
                    "",
                    "head",
                    "",
                    "",
                    "",
                    "",
                ]
            ]
        ),
    )
    assert job.rejected_rows == 1
    assert Household.objects.get().region_id == DESA_B


def test_an_unknown_region_and_a_region_of_another_kabupaten(cast):
    rows = [
        [
            make_kk(DESA_A, 1),
            "34.04.01.2999",
            "",
            "",
            "",
            "",
            "",
            "Ani",
            "P",
            "01-01-1990",
            "",
            "head",
            "",
            "",
            "",
            "",
        ],
        [
            make_kk(OTHER_DESA, 2),
            OTHER_DESA,
            "",
            "",
            "",
            "",
            "",
            "Eko",
            "L",
            "01-01-1990",
            "",
            "head",
            "",
            "",
            "",
            "",
        ],
    ]
    job = run_file(cast.manager, csv_bytes(rows))
    errors = report_rows(job.error_report)
    assert errors[0][:3] == ["2", "region_code", "34.04.01.2999"]
    assert job.rejected_rows == 1
    assert Person.objects.filter(region_id=OTHER_DESA).count() == 1


def test_one_audit_event_per_chunk(cast):
    data, count = sample_file(40)
    before = AuditEvent.objects.filter(action="import", object_type="registry.household").count()
    run_file(cast.manager, data, chunk_rows=50)
    events = AuditEvent.objects.filter(action="import", object_type="registry.household")
    chunks = events.count() - before
    assert 2 <= chunks <= count // 50 + 1
