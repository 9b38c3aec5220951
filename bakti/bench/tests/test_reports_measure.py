"""The report figures of the benchmark: the first PDF in the process and the same again, in
wall and processor time, and the XLSX. No timing assertions."""

from bakti.bench.reports import measure_reports
from bakti.monitoring.tests.conftest import tracked  # noqa: F401 - shared fixtures
from bakti.reports.tests.conftest import funded  # noqa: F401


def test_the_report_figures_measure_a_real_pdf_twice_and_the_xlsx(cast, funded):  # noqa: F811
    figures = measure_reports(funded)
    assert figures["program"] == "PKH-1"
    for key in ("pdf_seconds", "pdf_cpu_seconds", "pdf_warm_seconds", "pdf_warm_cpu_seconds"):
        assert figures[key] > 0
    assert figures["pdf_bytes"] > 1000 and figures["xlsx_bytes"] > 1000
