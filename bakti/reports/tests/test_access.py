"""Who may open the dashboards and reports."""

import pytest
from django.urls import reverse

from bakti.monitoring.tests.factories import make_program

PAGES = ["reports:portfolio", "reports:region_view", "reports:iati"]


@pytest.mark.parametrize("name", PAGES)
def test_reports_need_reports_view(client, cast, name):
    for user in (cast.outsider, cast.field_worker_a, cast.partner):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_program_pages_need_access_and_scope(client, cast, tracked):
    other = make_program(cast.division_linjamsos, code="LJS-9")
    for name in ("reports:program_report", "reports:program_dashboard", "reports:narrative_edit"):
        client.force_login(cast.field_worker_a)
        assert client.get(reverse(name, args=[tracked.pk])).status_code == 403
        client.force_login(cast.officer)
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
        assert client.get(reverse(name, args=[tracked.pk])).status_code == 200
    assert client.get(f"/api/v1/reports/programs/{other.pk}/report").status_code == 404


def test_head_sees_the_dashboard_with_charts_in_constant_queries(
    client, cast, funded, django_assert_max_num_queries
):
    client.force_login(cast.head)
    with django_assert_max_num_queries(60):
        assert client.get(reverse("reports:portfolio")).status_code == 200
    for n in range(5):
        make_program(cast.department, code=f"X-{n}")
    with django_assert_max_num_queries(60):
        response = client.get(reverse("reports:portfolio"))
    assert response.status_code == 200


def test_region_view_export(client, cast, funded):
    client.force_login(cast.mne)
    response = client.get(reverse("reports:region_view"), {"export": "csv"})
    assert response.status_code == 200


def test_narrative_is_written_by_the_manager(client, cast, tracked):
    client.force_login(cast.manager)
    url = reverse("reports:narrative_edit", args=[tracked.pk]) + "?quarter=2026-Q2"
    response = client.post(url, {"summary": "Good quarter.", "achievements": "All food delivered."})
    assert response.status_code == 302
    page = client.get(reverse("reports:program_report", args=[tracked.pk]), {"quarter": "2026-Q2"})
    assert b"All food delivered." in page.content
    client.force_login(cast.finance)
    assert client.post(url, {"summary": "x"}).status_code == 403


def test_every_report_page_refuses_a_field_worker(client, cast, tracked):
    client.force_login(cast.field_worker_a)
    for url in (
        reverse("reports:portfolio"),
        reverse("reports:portfolio_report") + "?format=pdf",
        reverse("reports:region_view"),
        reverse("reports:program_dashboard", args=[tracked.pk]),
        reverse("reports:program_report", args=[tracked.pk]),
        reverse("reports:narrative_edit", args=[tracked.pk]),
        reverse("reports:job_create") + f"?program={tracked.pk}",
        reverse("reports:job_detail", args=[1]),
        reverse("reports:job_download", args=[1]),
        reverse("reports:iati"),
    ):
        assert client.get(url).status_code == 403, url
    for path in (
        "/api/v1/reports/portfolio",
        f"/api/v1/reports/programs/{tracked.pk}/report",
        "/api/v1/reports/iati",
    ):
        assert client.get(path).status_code == 403, path
