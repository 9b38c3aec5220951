"""Report figures: the program report as PDF and as XLSX, each from scratch (the report's
figures are gathered again for each, as a download does).

``pdf_seconds`` (the goal's figure) is the first PDF in the process: it includes importing
matplotlib and WeasyPrint and drawing the charts, as the first download after a worker starts
does. ``pdf_cpu_seconds`` is the processor time of the same, which depends less on what else
the machine runs. ``pdf_warm_seconds`` (and its CPU time) is the same report again in the same
process (libraries loaded, charts drawn and cached): a download from a worker that has made
this report before.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone


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
