"""Report figures: the program report as PDF and as XLSX, each from scratch (the report's
figures are gathered again for each, as a download does)."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone


def measure_reports(program: Any) -> dict[str, Any]:
    from bakti.reports import documents
    from bakti.reports.data import quarter_of

    period = quarter_of(timezone.localdate())
    start = time.perf_counter()
    report = documents.program_report(program, period)
    pdf = documents.render_pdf("reports/program_report_pdf.html", {"report": report})
    pdf_seconds = time.perf_counter() - start
    start = time.perf_counter()
    report = documents.program_report(program, period)
    xlsx = documents.program_report_xlsx(report)
    xlsx_seconds = time.perf_counter() - start
    return {
        "program": program.code,
        "pdf_seconds": round(pdf_seconds, 3),
        "pdf_bytes": len(pdf),
        "xlsx_seconds": round(xlsx_seconds, 3),
        "xlsx_bytes": len(xlsx),
    }
