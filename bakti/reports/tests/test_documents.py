"""Program and portfolio reports: page, PDF and XLSX from the same report object, with the
same numbers; the commands; background jobs with progress."""

import io

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from bakti.monitoring.tracking import flat_rows, tracking_table
from bakti.reports import documents
from bakti.reports.data import quarter_of


def test_program_report_pdf_and_xlsx(client, cast, funded):
    client.force_login(cast.manager)
    url = reverse("reports:program_report", args=[funded.pk])
    page = client.get(url, {"quarter": "2026-Q2"})
    assert page.status_code == 200
    assert b"<svg" in page.content  # charts drawn on the server

    pdf = client.get(url, {"quarter": "2026-Q2", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    xlsx = client.get(url, {"quarter": "2026-Q2", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) == 7  # one sheet per section
    itt = list(workbook.worksheets[2].iter_rows(values_only=True))[1:]
    import datetime as dt

    expected = flat_rows(tracking_table(funded, as_of=dt.date(2026, 6, 30)))
    assert [row[11] for row in itt] == [
        float(r[11]) if r[11] is not None else None for r in expected
    ]


def test_report_numbers_match_the_tracking_table(cast, funded):
    import datetime as dt

    report = documents.program_report(funded, quarter_of(dt.date(2026, 5, 1)))
    table = tracking_table(funded, as_of=dt.date(2026, 6, 30))
    assert [r.to_date_actual for r in report.table.indicators] == [
        r.to_date_actual for r in table.indicators
    ]
    if report.budget is not None:
        assert report.budget_total.realised == 60000000  # approved only
        assert report.budget_total.absorption == 50


def test_portfolio_dashboard_and_report(client, cast, funded):
    client.force_login(cast.head)
    page = client.get(reverse("reports:portfolio"), {"quarter": "2026-Q2"})
    assert page.status_code == 200
    assert b"PKH-1" in page.content
    pdf = client.get(reverse("reports:portfolio_report"), {"quarter": "2026-Q2", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:portfolio_report"), {"quarter": "2026-Q2", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    programs = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert programs[1][0] == "PKH-1"


def test_commands_write_pdf_and_xlsx(tmp_path, cast, funded):
    pdf = tmp_path / "r.pdf"
    call_command(
        "report", "program", "PKH-1", "--format", "pdf", "-o", str(pdf), "--quarter", "2026-Q2"
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "p.xlsx"
    call_command("report", "portfolio", "--format", "xlsx", "-o", str(xlsx))
    assert load_workbook(xlsx).sheetnames[0]


def test_background_job_reports_progress_and_delivers(
    client, cast, funded, django_capture_on_commit_callbacks
):
    client.force_login(cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:job_create"),
            {"kind": "program", "program": funded.pk, "quarter": "2026-Q2", "format": "xlsx"},
        )
    assert response.status_code == 302
    from bakti.reports.models import ReportJob

    job = ReportJob.objects.get()
    assert job.status == "done" and job.progress == 100
    detail = client.get(reverse("reports:job_detail", args=[job.pk]))
    assert b"100%" in detail.content
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(workbook.sheetnames) == 7
    # Someone else's job is not found.
    client.force_login(cast.head)
    assert client.get(reverse("reports:job_detail", args=[job.pk])).status_code == 404


def test_charts_are_cached_by_their_data():
    from bakti.reports import charts

    first = str(charts.bar_chart("T", ["a", "b"], {"x": [1, 2]}))
    again = str(charts.bar_chart("T", ["a", "b"], {"x": [1, 2]}))
    other = str(charts.bar_chart("T", ["a", "b"], {"x": [1, 3]}))
    assert first == again
    assert first != other
    assert first.startswith("<svg")


def test_a_get_of_the_background_job_link_only_asks_to_confirm(client, cast, funded):
    from bakti.reports.models import ReportJob

    client.force_login(cast.manager)
    url = reverse("reports:job_create")
    query = {"kind": "program", "program": funded.pk, "quarter": "2026-Q2", "format": "xlsx"}
    response = client.get(url, query)
    assert response.status_code == 200
    assert not ReportJob.objects.exists()
    page = response.content.decode()
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    assert f'name="program" value="{funded.pk}"' in page and 'value="2026-Q2"' in page
    # Any other method is refused, and makes nothing either.
    assert client.put(url).status_code == 405
    assert not ReportJob.objects.exists()


def test_the_program_report_offers_the_background_job_as_a_post_form(client, cast, funded):
    client.force_login(cast.manager)
    page = client.get(reverse("reports:program_report", args=[funded.pk])).content.decode()
    action = reverse("reports:job_create")
    assert f'method="post" action="{action}" id="background-job"' in page
    assert f'href="{action}' not in page
