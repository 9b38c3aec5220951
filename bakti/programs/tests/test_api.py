"""The programs API: CRUD with the same permissions as the pages, validation as 422, lists with
a query count that does not grow."""

import datetime as dt

import pytest

from bakti.programs.models import Activity, Program, ProgramStatus, ProgramType
from conftest import KABUPATEN, KECAMATAN_A, OTHER_KABUPATEN

from .factories import activity, framework, program

API = "/api/v1/programs"


@pytest.fixture
def setup(cast):
    prog = program(cast, regions=[KABUPATEN])
    parts = framework(prog)
    first = activity(prog, parts["output"], code="A1", planned_end=dt.date(2026, 3, 31))
    return {"program": prog, **parts, "first": first}


def test_crud_of_a_whole_program_through_the_api(client, cast):
    client.force_login(cast.officer)
    response = client.post(
        f"{API}/",
        {
            "code": "API-1",
            "name": "Rehabilitasi anak jalanan",
            "program_type_id": ProgramType.objects.get(code="social_rehabilitation").pk,
            "org_unit_id": cast.division_rehsos.pk,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "region_codes": [KECAMATAN_A],
            "target_group_codes": ["04"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["region_codes"] == [KECAMATAN_A]
    assert body["tier_names"] == ["Tujuan", "Hasil", "Keluaran"]  # Indonesian by default

    goal = client.post(
        f"{API}/{pk}/results", {"statement": "Anak terlindungi"}, content_type="application/json"
    ).json()
    outcome = client.post(
        f"{API}/{pk}/results",
        {"statement": "Hasil", "parent_id": goal["id"]},
        content_type="application/json",
    ).json()
    output = client.post(
        f"{API}/{pk}/results",
        {"statement": "Keluaran", "parent_id": outcome["id"]},
        content_type="application/json",
    ).json()
    assert output["tier"] == 3

    indicator = client.post(
        f"{API}/{pk}/indicators",
        {
            "result_id": outcome["id"],
            "code": "I1",
            "name": "Anak kembali ke keluarga",
            "cumulative_rule": "cumulative",
            "disaggregations": ["sex", "age_group"],
        },
        content_type="application/json",
    )
    assert indicator.status_code == 201, indicator.json()
    ind = indicator.json()["id"]
    bad = client.put(
        f"{API}/indicators/{ind}/targets",
        {
            "targets": [
                {"period_start": "2026-01-01", "period_end": "2026-06-30", "value": "20"},
                {"period_start": "2026-07-01", "period_end": "2026-12-31", "value": "15"},
            ],
            "end_target": "35",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"end_target"} and len(bad.json()["errors"]) == 2  # went down; not last
    good = client.put(
        f"{API}/indicators/{ind}/targets",
        {
            "targets": [
                {
                    "period_start": "2026-01-01",
                    "period_end": "2026-06-30",
                    "value": "20",
                    "label": "S1 2026",
                },
                {
                    "period_start": "2026-07-01",
                    "period_end": "2026-12-31",
                    "value": "35",
                    "label": "S2 2026",
                },
            ],
            "end_target": "35",
        },
        content_type="application/json",
    )
    assert good.status_code == 200 and [t["label"] for t in good.json()] == ["S1 2026", "S2 2026"]
    assert client.get(f"{API}/indicators/{ind}/targets").json()["count"] == 2

    a1 = client.post(
        f"{API}/{pk}/activities",
        {
            "output_id": output["id"],
            "name": "Asesmen",
            "planned_start": "2026-01-05",
            "planned_end": "2026-02-10",
            "locations": [KECAMATAN_A],
        },
        content_type="application/json",
    )
    assert a1.status_code == 201, a1.json()
    a2 = client.post(
        f"{API}/{pk}/activities",
        {
            "output_id": output["id"],
            "name": "Reunifikasi",
            "planned_start": "2026-02-11",
            "planned_end": "2026-03-31",
            "depends_on": [a1.json()["id"]],
        },
        content_type="application/json",
    ).json()
    assert a2["depends_on"] == [a1.json()["id"]]
    patched = client.patch(
        f"{API}/activities/{a2['id']}",
        {"status": "in_progress", "percent_complete": 40, "actual_start": "2026-02-12"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["percent_complete"] == 40
    cycle = client.patch(
        f"{API}/activities/{a1.json()['id']}",
        {"depends_on": [a2["id"]]},
        content_type="application/json",
    )
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["field"] == "depends_on"

    milestone = client.post(
        f"{API}/{pk}/milestones",
        {"name": "Anak pertama pulang", "due_date": "2026-03-01", "activity_id": a2["id"]},
        content_type="application/json",
    )
    assert milestone.status_code == 201
    risk = client.post(
        f"{API}/{pk}/risks",
        {"description": "Keluarga menolak", "likelihood": 4, "impact": 3},
        content_type="application/json",
    )
    assert risk.status_code == 201 and risk.json()["score"] == 12
    assert (
        client.patch(
            f"{API}/risks/{risk.json()['id']}", {"likelihood": 9}, content_type="application/json"
        ).status_code
        == 422
    )
    assert client.delete(f"{API}/risks/{risk.json()['id']}").status_code == 204
    assert client.delete(f"{API}/milestones/{milestone.json()['id']}").status_code == 204

    submitted = client.post(
        f"{API}/{pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert (
        client.post(
            f"{API}/{pk}/transitions", {"action": "approve"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(cast.head)
    approved = client.post(
        f"{API}/{pk}/transitions",
        {"action": "approve", "comment": "ok"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by_id"] == cast.head.pk


def test_field_worker_reads_in_region_and_cannot_write(client, cast, setup):
    prog = setup["program"]
    elsewhere = program(cast, code="P-KOTA", regions=[OTHER_KABUPATEN])
    client.force_login(cast.field_worker_a)
    listing = client.get(f"{API}/").json()
    assert [p["code"] for p in listing["items"]] == ["P-001"]
    assert client.get(f"{API}/{prog.pk}").status_code == 200
    assert client.get(f"{API}/{elsewhere.pk}").status_code == 404
    assert client.get(f"{API}/{elsewhere.pk}/activities").status_code == 404
    assert client.get(f"{API}/{prog.pk}/activities").status_code == 200
    writes = [
        client.patch(f"{API}/{prog.pk}", {"name": "x"}, content_type="application/json"),
        client.post(
            f"{API}/{prog.pk}/results", {"statement": "x"}, content_type="application/json"
        ),
        client.patch(
            f"{API}/activities/{setup['first'].pk}",
            {"percent_complete": 50},
            content_type="application/json",
        ),
        client.delete(f"{API}/indicators/{setup['indicator'].pk}"),
        client.post(
            f"{API}/{prog.pk}/risks", {"description": "x"}, content_type="application/json"
        ),
        client.post(
            f"{API}/{prog.pk}/transitions", {"action": "submit"}, content_type="application/json"
        ),
        client.post(
            f"{API}/",
            {
                "code": "FW",
                "name": "x",
                "program_type_id": 1,
                "org_unit_id": cast.division_linjamsos.pk,
                "start_date": "2026-01-01",
                "end_date": "2026-02-01",
            },
            content_type="application/json",
        ),
    ]
    assert [r.status_code for r in writes] == [403] * len(writes)
    # A role that may not edit programs gets 403 before any lookup, so a program out of scope
    # answers the same as one in scope: its existence is not confirmed.
    assert (
        client.patch(
            f"{API}/{elsewhere.pk}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert Program.objects.get(pk=prog.pk).name == "Program P-001"
    assert Activity.objects.get(pk=setup["first"].pk).percent_complete == 0


def test_field_worker_of_kecamatan_b_does_not_see_a_program_only_in_kecamatan_a(client, cast):
    program(cast, code="ONLY-A", regions=[KECAMATAN_A])
    client.force_login(cast.field_worker_b)
    assert client.get(f"{API}/").json()["count"] == 0
    client.force_login(cast.field_worker_a)
    assert client.get(f"{API}/").json()["count"] == 1


def test_outsider_gets_403_and_anonymous_401(client, cast, setup):
    client.force_login(cast.outsider)
    assert client.get(f"{API}/").status_code == 403
    assert client.get(f"{API}/{setup['program'].pk}").status_code == 403
    client.logout()
    assert client.get(f"{API}/").status_code == 401


def test_activities_carry_their_computed_slip(client, cast, setup):
    client.force_login(cast.manager)
    items = client.get(f"{API}/{setup['program'].pk}/activities").json()["items"]
    late = dt.date.today() > dt.date(2026, 3, 31)
    assert items[0]["late"] is late
    assert "forecast_end" in items[0] and "slip_days" in items[0]


def test_stale_version_is_a_conflict(client, cast, setup):
    client.force_login(cast.manager)
    prog = setup["program"]
    ok = client.patch(
        f"{API}/{prog.pk}",
        {"name": "One", "version": prog.version},
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"{API}/{prog.pk}",
        {"name": "Two", "version": prog.version},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_template_copy_through_the_api(client, cast, setup):
    client.force_login(cast.manager)
    response = client.post(
        f"{API}/from-template",
        {
            "template_id": setup["program"].pk,
            "code": "P-2027",
            "name": "Copy",
            "start_date": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["end_date"] == "2027-12-31"
    assert response.json()["template_id"] == setup["program"].pk


@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "/{pk}/results",
        "/{pk}/indicators",
        "/{pk}/activities",
        "/{pk}/milestones",
        "/{pk}/risks",
    ],
)
def test_api_lists_query_count_does_not_grow(
    client, cast, setup, suffix, django_assert_max_num_queries
):
    from bakti.programs import services

    prog = setup["program"]
    url = API + suffix.format(pk=prog.pk) + ("/" if not suffix else "")
    client.force_login(cast.field_worker_a)
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        client.get(url)
    baseline = len(captured.captured_queries)
    previous = setup["first"]
    for i in range(12):
        program(cast, code=f"N-{i}", regions=[KABUPATEN])
        previous = activity(prog, setup["output"], code=f"X{i}", depends_on=[previous])
        services.milestone_create(
            actor=None, program=prog, name=f"M{i}", due_date=dt.date(2026, 5, 1), activity=previous
        )
        services.risk_create(actor=None, program=prog, description=f"R{i}")
        services.result_create(actor=None, program=prog, statement=f"O{i}", parent=setup["outcome"])
        services.indicator_create(
            actor=None, program=prog, result=setup["output"], code=f"I{i}", name=f"I{i}"
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.json()["count"] > 10


def test_status_filter_in_the_api(client, cast, setup):
    client.force_login(cast.manager)
    assert client.get(f"{API}/", {"status": "draft"}).json()["count"] == 1
    assert client.get(f"{API}/", {"status": ProgramStatus.ACTIVE}).json()["count"] == 0


def test_target_list_query_count_does_not_grow(client, cast, setup, django_assert_max_num_queries):
    import datetime as dt
    from decimal import Decimal

    from bakti.programs import services
    from bakti.programs.periods import reporting_periods

    indicator = setup["indicator"]
    url = f"{API}/indicators/{indicator.pk}/targets"
    client.force_login(cast.field_worker_a)
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        client.get(url)
    services.indicator_update(actor=None, indicator=indicator, data={"frequency": "monthly"})
    months = reporting_periods("monthly", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    services.indicator_set_targets(
        actor=None,
        indicator=indicator,
        targets=[services.TargetInput(p.start, p.end, Decimal(5), p.label) for p in months],
        end_target=Decimal(60),
    )
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(url).json()["count"] == 12
