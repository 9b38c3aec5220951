"""Report figures: the program report as PDF and as XLSX, each from scratch (the report's
figures are gathered again for each, as a download does).

Downloads (:func:`measure_downloads`, the goal's figures): through HTTP from a gunicorn started
for them with one worker, once it answers. ``pdf_seconds`` is the first PDF that worker makes:
its charts are drawn and its pages laid out for the first time, with the libraries loaded while
the worker booted (``bakti.reports.warmup``), as the first download after a server starts.
``pdf_again_seconds`` is the same download again (charts cached), ``xlsx_seconds`` the
spreadsheet.

In this process (:func:`measure_reports`, under ``in_process``): ``pdf_seconds`` is the first
PDF here, including importing WeasyPrint (and matplotlib, unless a page drew a chart before), as
a worker without the warm-up would; ``pdf_cpu_seconds`` its processor time, which depends less
on what else the machine runs; ``pdf_warm_seconds`` the same report again.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone


def measure_downloads(server: Any, cookie: str, program: Any) -> dict[str, Any]:
    url = f"/reports/programs/{program.pk}/report/?format="
    figures: dict[str, Any] = {}
    for key, file_format in (
        ("pdf_seconds", "pdf"),
        ("pdf_again_seconds", "pdf"),
        ("xlsx_seconds", "xlsx"),
    ):
        status, seconds, size = server.get(url + file_format, cookie)
        if status != 200:
            figures["error"] = f"{file_format} answered {status}"
            break
        figures[key] = round(seconds, 3)
        figures[f"{file_format}_bytes"] = size
    return figures


def measure_reports(program: Any) -> dict[str, Any]:
    from bakti.reports import documents
    from bakti.reports.data import quarter_of

    period = quarter_of(timezone.localdate())

    def pdf() -> tuple[bytes, float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        report = documents.program_report(program, period)
        content = documents.render_pdf("reports/program_report_pdf.html", {"report": report})
        return content, time.perf_counter() - start, time.process_time() - cpu

    content, pdf_seconds, pdf_cpu = pdf()
    _again, warm_seconds, warm_cpu = pdf()
    start = time.perf_counter()
    report = documents.program_report(program, period)
    xlsx = documents.program_report_xlsx(report)
    xlsx_seconds = time.perf_counter() - start
    return {
        "program": program.code,
        "pdf_seconds": round(pdf_seconds, 3),
        "pdf_cpu_seconds": round(pdf_cpu, 3),
        "pdf_warm_seconds": round(warm_seconds, 3),
        "pdf_warm_cpu_seconds": round(warm_cpu, 3),
        "pdf_bytes": len(content),
        "xlsx_seconds": round(xlsx_seconds, 3),
        "xlsx_bytes": len(xlsx),
    }
