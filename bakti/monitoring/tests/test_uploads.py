"""Monitoring's uploads (a result's evidence file, an evaluation's documents) go through the one
upload check: too large or of another type is refused with the reason shown, nothing stored."""

import datetime as dt

from django.urls import reverse

from bakti.core.tests import upload_samples as s
from bakti.monitoring.models import EvaluationDocument, IndicatorResult


def _enter(client, cast, tracked, evidence):
    indicator = tracked.indicators.get(code="OUT-1")
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    url = reverse("monitoring:result_enter", args=[indicator.pk]) + "?start=2026-07-01"
    data = {"value": "90", "d__sex__F": "55", "d__sex__M": "35", "evidence_file": evidence}
    response = client.post(url, data)
    saved = IndicatorResult.objects.filter(indicator=indicator, period_start=dt.date(2026, 7, 1))
    return response, saved


def test_oversize_evidence_is_refused_with_the_limit_shown(client, cast, tracked):
    response, saved = _enter(client, cast, tracked, s.oversize("survei.pdf", 10))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file “survei.pdf” is 10.1 MB; at most 10 MB may be uploaded here." in page
    assert not saved.exists()


def test_evidence_of_another_type_is_refused(client, cast, tracked):
    response, saved = _enter(client, cast, tracked, s.renamed_exe("survei.exe"))
    page = response.content.decode()
    assert "The file “survei.exe” is EXE, which cannot be uploaded here" in page
    response, saved = _enter(client, cast, tracked, s.renamed_exe("survei.xlsx"))
    page = response.content.decode()
    assert "is named .xlsx but its content is not in the Excel (XLSX) format" in page
    assert not saved.exists()


def test_real_evidence_is_kept(client, cast, tracked):
    response, saved = _enter(client, cast, tracked, s.upload("survei.xlsx", s.xlsx()))
    assert response.status_code == 302
    assert saved.get().evidence_file.name.endswith(".xlsx")


def _add_document(client, cast, evaluation, upload):
    client.force_login(cast.mne)
    client.cookies["bakti_language"] = "en"
    url = reverse("monitoring:evaluation_document_add", args=[evaluation.pk])
    response = client.post(url, {"title": "Laporan akhir", "file": upload}, follow=True)
    return response.content.decode()


def test_an_oversize_evaluation_document_is_refused(client, cast, evaluation):
    page = _add_document(client, cast, evaluation, s.oversize("laporan.pdf", 10))
    assert "The file “laporan.pdf” is 10.1 MB; at most 10 MB may be uploaded here." in page
    assert not EvaluationDocument.objects.exists()


def test_an_evaluation_document_of_another_type_is_refused(client, cast, evaluation):
    page = _add_document(client, cast, evaluation, s.upload("laporan.html", b"<html></html>"))
    assert "The file “laporan.html” is HTML, which cannot be uploaded here" in page
    page = _add_document(client, cast, evaluation, s.renamed_exe("laporan.pdf"))
    assert "is named .pdf but its content is not in the PDF format" in page
    assert not EvaluationDocument.objects.exists()
    page = _add_document(client, cast, evaluation, s.upload("laporan.pdf", s.PDF))
    assert EvaluationDocument.objects.get().title == "Laporan akhir"
