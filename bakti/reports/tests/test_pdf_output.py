"""The program report as PDF: every section, its figures and its charts, in Indonesian; the
charts as pictures of the same size as the page's SVG, drawn once and never as SVG for a PDF."""

import base64
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader

from bakti.reports import charts, documents
from bakti.reports.data import quarter_of

SECTIONS = [
    "Program report",
    "Summary",
    "Indicator tracking table",
    "People reached",
    "Budget versus actual",
    "Health and risks",
    "Evaluation findings",
]


def _program_pdf(program):
    report = documents.program_report(program, quarter_of(dt.date(2026, 5, 1)))
    pdf = documents.render_pdf("reports/program_report_pdf.html", {"report": report})
    return report, PdfReader(io.BytesIO(pdf))


def _text(reader):
    # Table cells and wrapped lines come out with line breaks of their own.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_holds_every_section_figure_and_chart_in_indonesian(cast, funded):
    with translation.override("id"):
        report, reader = _program_pdf(funded)
        headings = [gettext(h) for h in SECTIONS]
    assert "Laporan program" in headings and "Tabel pemantauan indikator" in headings
    text = _text(reader)
    for heading in headings:
        assert heading in text
    for row in report.table.indicators:
        assert row.code in text
    assert f"{report.reached.total} orang terjangkau" in text
    if report.budget is not None:
        assert "Rp 120.000.000" in text and "Rp 60.000.000" in text  # budget, approved actual
        assert "50,0%" in text  # absorption
    # One picture per chart, as drawn for the report (pages may share a resource dictionary,
    # so a picture is counted once by its name).
    pictures = {image.name: image for page in reader.pages for image in page.images}
    assert report.charts
    drawn = sorted(Image.open(io.BytesIO(_png(c))).size for c in report.charts.values())
    assert sorted(p.image.size for p in pictures.values()) == drawn


def _png(chart):
    uri = chart.png_uri()
    assert uri.startswith("data:image/png;base64,")
    return base64.b64decode(uri.removeprefix("data:image/png;base64,"))


def test_a_pdf_draws_its_charts_as_pictures_with_a_text_alternative_not_as_svg(cast, funded):
    report = documents.program_report(funded, quarter_of(dt.date(2026, 5, 1)))
    html = render_to_string("reports/program_report_pdf.html", {"report": report})
    assert "<svg" not in html
    img = r'<img class="chart" src="data:image/png;base64,[^"]+" alt="([^"]*)"'
    pictures = re.findall(img, html)
    assert sorted(pictures) == sorted(c.title for c in report.charts.values())
    assert all(pictures)
    # The SVG of these charts was never drawn: the PDF needs only the pictures.
    assert all("svg" not in vars(chart) for chart in report.charts.values())
    # The page of the same report shows the same charts inline, as SVG.
    page = render_to_string("reports/_program_sections.html", {"report": report})
    assert page.count("<svg") == len(report.charts) and "data:image/png" not in page


def test_a_chart_picture_is_rgb_and_the_size_of_its_svg_on_paper():
    chart = charts.bar_chart("People reached", ["F", "M"], {"People": [5, 3]})
    image = Image.open(io.BytesIO(_png(chart)))
    assert (image.format, image.mode) == ("PNG", "RGB")  # no alpha mask for WeasyPrint to split
    width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', str(chart)).group(1))
    assert abs(image.width / charts.PNG_DPI * 72 - width_pt) < 2
    # The print stylesheet reads the picture at the resolution it was drawn at.
    css = render_to_string("reports/_print.css.html")
    assert f"image-resolution: {charts.PNG_DPI}dpi" in css


def test_a_chart_picture_is_drawn_once_per_data(monkeypatch):
    cache.clear()
    first = charts.light_chart("Indicators", ["A", "B"], [40, 90], ["red", "green"])
    uri = first.png_uri()
    drawn = []
    monkeypatch.setattr(charts, "_png", lambda figure: drawn.append(figure) or "")
    again = charts.light_chart("Indicators", ["A", "B"], [40, 90], ["red", "green"])
    assert again.png_uri() == uri and not drawn
    other = charts.light_chart("Indicators", ["A", "B"], [41, 90], ["red", "green"])
    other.png_uri()
    assert len(drawn) == 1


def test_rendering_pauses_the_garbage_collector_and_gives_it_back_as_it_was(
    cast, funded, monkeypatch
):
    import gc

    report = documents.program_report(funded, quarter_of(dt.date(2026, 5, 1)))
    seen = []
    real = documents.render_to_string

    def render(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "render_to_string", render)
    assert gc.isenabled()
    documents.render_pdf("reports/program_report_pdf.html", {"report": report})
    assert gc.isenabled() and seen == [False]
    gc.disable()
    try:
        documents.render_pdf("reports/program_report_pdf.html", {"report": report})
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    # A failing rendering gives the collector back too.
    monkeypatch.setattr(documents, "render_to_string", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        documents.render_pdf("reports/program_report_pdf.html", {"report": report})
    assert gc.isenabled()


def test_the_portfolio_writes_its_year_as_a_year_in_indonesian(cast, funded):
    with translation.override("id"):
        report = documents.portfolio_report([funded], quarter_of(dt.date(2026, 5, 1)))
        html = render_to_string("reports/_portfolio_sections.html", {"report": report})
    if report.reached.available:
        assert "pada 2026 sampai akhir triwulan" in html
    assert "2.026" not in html  # not a number with a thousands separator
