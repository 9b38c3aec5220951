"""Loading the PDF machinery when a web worker starts, not on its first download.

A program report's PDF needs WeasyPrint (and through it Pango and fontconfig) and matplotlib.
Loaded on the first download of a worker, they cost that user 2-3 seconds of processor time
before any of their report is drawn: importing the two libraries, reading the font
configuration, building matplotlib's font list and WeasyPrint's first style sheet. The web
server's workers pay it while they boot instead (``bakti/wsgi.py``), before they take requests,
by drawing one small chart and laying out one small page with the reports' print style sheet.
It costs each worker about 60 MB of memory that its first PDF would have taken anyway;
``BAKTI_WARM_UP=0`` turns it off (a server that never makes PDFs).
"""

from __future__ import annotations

import logging
import os

from django.apps import apps

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return os.environ.get("BAKTI_WARM_UP", "1") != "0" and apps.is_installed("bakti.reports")


def warm_up() -> None:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from .charts import bar_chart

    chart = bar_chart("Bakti", ["1", "2"], {"Bakti": [1, 2]})
    html = render_to_string("reports/warm_up_pdf.html", {"chart": chart})
    HTML(string=html, base_url=None).write_pdf()


def warm_up_if_enabled() -> None:
    """Warm up, unless turned off; a failure is logged and the worker still starts (the first
    PDF then shows the same error to its user, with the traceback in the log)."""
    if not enabled():
        return
    try:
        warm_up()
    except Exception:
        logger.exception("Loading the PDF libraries at start failed")
