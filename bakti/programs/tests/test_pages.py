"""The program pages: who may open them, what they show, and that lists do not grow in queries
with their rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bakti.programs import services
from bakti.programs.models import ActivityStatus, Program, ProgramStatus
from conftest import KABUPATEN, KECAMATAN_A, OTHER_KABUPATEN

from .factories import activity, framework, program


@pytest.fixture
def setup(cast):
    prog = program(cast, regions=[KABUPATEN])
    parts = framework(prog)
    first = activity(prog, parts["output"], code="A1", planned_end=dt.date(2026, 3, 31))
    second = activity(
        prog,
        parts["output"],
        code="A2",
        planned_start=dt.date(2026, 4, 1),
        planned_end=dt.date(2026, 4, 30),
        depends_on=[first],
    )
    services.milestone_create(
        actor=None, program=prog, name="Launch", due_date=dt.date(2026, 2, 1), activity=first
    )
    services.risk_create(actor=None, program=prog, description="Data late", likelihood=4, impact=5)
    services.team_member_add(actor=None, program=prog, user=cast.officer, role="Coordinator")
    return {"program": prog, **parts, "first": first, "second": second}


def section_urls(pk, parts):
    return [
        reverse("programs:program_detail", args=[pk]),
        reverse("programs:framework", args=[pk]),
        reverse("programs:workplan", args=[pk]),
        reverse("programs:risks", args=[pk]),
        reverse("programs:team", args=[pk]),
        reverse("programs:program_history", args=[pk]),
    ]


def edit_urls(pk, parts):
    return [
        reverse("programs:program_create"),
        reverse("programs:program_from_template"),
        reverse("programs:program_edit", args=[pk]),
        reverse("programs:result_create", args=[pk]),
        reverse("programs:result_edit", args=[pk, parts["goal"].pk]),
        reverse("programs:indicator_create", args=[pk]),
        reverse("programs:indicator_edit", args=[pk, parts["indicator"].pk]),
        reverse("programs:indicator_targets", args=[pk, parts["indicator"].pk]),
        reverse("programs:activity_create", args=[pk]),
        reverse("programs:activity_edit", args=[pk, parts["first"].pk]),
        reverse("programs:milestone_create", args=[pk]),
        reverse("programs:risk_create", args=[pk]),
        reverse("programs:team_add", args=[pk]),
    ]


def test_every_page_opens_for_the_manager(client, cast, setup):
    client.force_login(cast.manager)
    pk = setup["program"].pk
    for url in [reverse("programs:program_list"), *section_urls(pk, setup), *edit_urls(pk, setup)]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_field_worker_reads_but_gets_403_on_every_edit_page(client, cast, setup):
    client.force_login(cast.field_worker_a)
    pk = setup["program"].pk
    for url in section_urls(pk, setup):
        assert client.get(url).status_code == 200, url
    for url in edit_urls(pk, setup):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("programs:program_edit", args=[pk]), {"name": "x"})
    assert response.status_code == 403
    response = client.post(
        reverse("programs:program_transition", args=[pk, "submit"]), {"comment": ""}
    )
    assert response.status_code == 403
    assert Program.objects.get(pk=pk).status == ProgramStatus.DRAFT


def test_outsider_and_partner_are_refused_and_anonymous_sent_to_login(client, cast, setup):
    pk = setup["program"].pk
    for user in (cast.outsider, cast.partner):
        client.force_login(user)
        assert client.get(reverse("programs:program_list")).status_code == 403
        assert client.get(reverse("programs:program_detail", args=[pk])).status_code == 403
    client.logout()
    response = client.get(reverse("programs:program_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_program_out_of_region_scope_is_404_for_the_field_worker(client, cast, setup):
    elsewhere = program(cast, code="P-KOTA", regions=[OTHER_KABUPATEN])
    client.force_login(cast.field_worker_a)
    assert client.get(reverse("programs:program_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("programs:workplan", args=[elsewhere.pk])).status_code == 404
    listing = client.get(reverse("programs:program_list")).content.decode()
    assert setup["program"].code in listing and "P-KOTA" not in listing


def test_list_filters_by_status_type_region_year_org_unit_and_search(client, cast, setup):
    program(
        cast,
        code="P-OLD",
        name="Old program",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 12, 31),
        regions=[KECAMATAN_A],
        org_unit=cast.division_linjamsos,
    )
    client.force_login(cast.manager)
    url = reverse("programs:program_list")

    def codes(**params):
        return [p.code for p in client.get(url, params).context["page"]]

    assert sorted(codes()) == ["P-001", "P-OLD"]
    assert codes(year=2024) == ["P-OLD"]
    assert codes(q="old") == ["P-OLD"]
    assert codes(status="draft", year=2026) == ["P-001"]
    assert codes(org_unit=cast.division_linjamsos.pk) == ["P-OLD"]
    assert sorted(codes(region=KECAMATAN_A)) == ["P-001", "P-OLD"]  # kabupaten covers A
    assert codes(status="active") == []


def test_program_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    for i in range(3):
        program(cast, code=f"Q-{i}", regions=[KABUPATEN])
    client.force_login(cast.field_worker_a)
    url = reverse("programs:program_list")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(3, 25):
        program(cast, code=f"Q-{i}", regions=[KABUPATEN, KECAMATAN_A])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 25


def test_workplan_and_history_query_counts_do_not_grow(
    client, cast, setup, django_assert_max_num_queries
):
    prog, output = setup["program"], setup["output"]
    client.force_login(cast.manager)
    urls = [
        reverse(name, args=[prog.pk])
        for name in (
            "programs:workplan",
            "programs:risks",
            "programs:team",
            "programs:program_history",
            "programs:framework",
            "programs:program_detail",
        )
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    previous = setup["second"]
    for i in range(15):
        previous = activity(
            prog,
            output,
            code=f"B{i}",
            depends_on=[previous],
            planned_start=dt.date(2026, 5, 1),
            planned_end=dt.date(2026, 5, 20),
        )
        services.risk_create(actor=cast.manager, program=prog, description=f"Risk {i}")
        services.milestone_create(
            actor=None, program=prog, name=f"M{i}", due_date=dt.date(2026, 6, 1), activity=previous
        )
        services.result_create(
            actor=None, program=prog, statement=f"Output {i}", parent=setup["outcome"]
        )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_workplan_marks_slipped_activities_and_filters_them(client, cast, setup):
    prog = setup["program"]
    today = dt.date(2026, 11, 27)
    # Both activities are in the past and not done: both late.
    client.force_login(cast.manager)
    response = client.get(reverse("programs:workplan", args=[prog.pk]), {"late": "on"})
    assert response.status_code == 200
    page = response.context["page"]
    if dt.date.today() > dt.date(2026, 4, 30):
        assert {r["activity"].code for r in page} == {"A1", "A2"}
        assert b"<svg" in response.content and b"#dc3545" in response.content
    services.activity_update(
        actor=cast.manager,
        activity=setup["first"],
        data={
            "status": ActivityStatus.DONE,
            "actual_start": dt.date(2026, 2, 1),
            "actual_end": dt.date(2026, 3, 30),
        },
    )
    response = client.get(reverse("programs:workplan", args=[prog.pk]), {"status": "done"})
    assert [r["activity"].code for r in response.context["page"]] == ["A1"]
    assert today  # the demo date; the page uses the real date


def test_creating_a_program_through_the_form(client, cast):
    from bakti.programs.models import ProgramType
    from bakti.regions.models import Region

    client.force_login(cast.officer)
    response = client.post(
        reverse("programs:program_create"),
        {
            "code": "NEW-1",
            "name": "Pendampingan PKH",
            "program_type": ProgramType.objects.get(code="social_assistance").pk,
            "org_unit": cast.division_rehsos.pk,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "regions": [Region.objects.get(pk=KECAMATAN_A).pk],
            "tier_names": "Tujuan, Hasil, Keluaran, Kegiatan",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = Program.objects.get(code="NEW-1")
    assert created.tier_names == ["Tujuan", "Hasil", "Keluaran", "Kegiatan"]
    assert created.created_by == cast.officer


def test_bad_dates_are_reported_on_the_field(client, cast):
    from bakti.programs.models import ProgramType

    client.force_login(cast.officer)
    response = client.post(
        reverse("programs:program_create"),
        {
            "code": "BAD-1",
            "name": "x",
            "program_type": ProgramType.objects.first().pk,
            "org_unit": cast.division_rehsos.pk,
            "start_date": "2026-12-31",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors


def test_targets_form_shows_what_is_wrong_on_the_end_target(client, cast, setup):
    prog, indicator = setup["program"], setup["indicator"]
    client.force_login(cast.manager)
    url = reverse("programs:indicator_targets", args=[prog.pk, indicator.pk])
    data = {
        "period_0": "10",
        "period_1": "20",
        "period_2": "30",
        "period_3": "40",
        "end_target": "90",
        "version": indicator.version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["end_target"]
    assert "90" in errors[0] and "100" in errors[0]
    assert "jumlah target per periode" in errors[0]  # Indonesian, the default language
    client.cookies["bakti_language"] = "en"
    response = client.post(url, data)
    assert "sum of the period targets" in response.context["form"].errors["end_target"][0]
    data["end_target"] = "100"
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.end_target == Decimal("100")


def test_framework_exports_to_xlsx(client, cast, setup):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(cast.field_worker_a)
    response = client.get(
        reverse("programs:framework", args=[setup["program"].pk]), {"export": "xlsx"}
    )
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = [[c for c in row] for row in workbook.active.iter_rows(values_only=True)]
    header = next(r for r in rows if r and "Q1 2026" in r)
    assert header[0] == "Tingkatan"  # the page language: Indonesian by default
    indicator_row = next(r for r in rows if r and "IND-1" in r)
    assert 100 in indicator_row and 10 in indicator_row


def test_list_exports_open_in_openpyxl(client, cast, setup):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(cast.manager)
    pk = setup["program"].pk
    for url in (
        reverse("programs:program_list"),
        reverse("programs:workplan", args=[pk]),
        reverse("programs:risks", args=[pk]),
        reverse("programs:team", args=[pk]),
        reverse("programs:program_history", args=[pk]),
    ):
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200, url
        workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
        assert workbook.active.max_row >= 2, url
        csv = client.get(url, {"export": "csv"})
        assert csv.status_code == 200


def test_transitions_through_the_pages_four_eyes(client, cast, setup):
    pk = setup["program"].pk
    client.force_login(cast.manager)
    client.post(reverse("programs:program_transition", args=[pk, "submit"]), {"comment": "ok"})
    assert Program.objects.get(pk=pk).status == ProgramStatus.SUBMITTED
    detail = client.get(reverse("programs:program_detail", args=[pk]))
    assert detail.context["actions"] == []
    assert (
        client.post(reverse("programs:program_transition", args=[pk, "approve"])).status_code == 403
    )
    client.force_login(cast.head)
    client.post(reverse("programs:program_transition", args=[pk, "approve"]), {"comment": "Setuju"})
    assert Program.objects.get(pk=pk).status == ProgramStatus.APPROVED
