"""Delivery's uploads go through the one upload check: evidence of a delivery (a photo or a PDF)
and the returned list of a distribution round (CSV), refused when too large or of another type,
with the reason shown on the page."""

from django.urls import reverse

from bakti.core.tests import upload_samples as s
from bakti.delivery.models import ServiceDelivery


def _delivery(client, world, evidence):
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:delivery_create") + f"?program={world.program.pk}"
    data = {
        "enrolment": world.enrolments_a[0].pk,
        "service_type": world.food.pk,
        "quantity": "1",
        "delivered_on": "2026-03-01",
        "evidence": evidence,
    }
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_oversize_evidence_is_refused_with_the_limit_shown(client, world):
    page = _delivery(client, world, s.oversize("bukti.pdf", 10))
    assert "The file “bukti.pdf” is 10.1 MB; at most 10 MB may be uploaded here." in page
    assert not ServiceDelivery.objects.exists()


def test_evidence_of_another_type_is_refused(client, world):
    page = _delivery(client, world, s.upload("daftar.xlsx", s.xlsx()))
    assert "The file “daftar.xlsx” is Excel (XLSX), which cannot be uploaded here" in page
    page = _delivery(client, world, s.renamed_exe("bukti.pdf"))
    assert "is named .pdf but its content is not in the PDF format" in page
    assert not ServiceDelivery.objects.exists()


def _returned_list(client, world, distribution, upload):
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:round_import", args=[distribution.pk])
    data = {"delivered_on": "2026-02-10", "file": upload}
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_an_oversize_returned_list_is_refused(client, world, distribution):
    page = _returned_list(client, world, distribution, s.oversize("daftar.csv", 10, s.CSV))
    assert "The file “daftar.csv” is 10.1 MB; at most 10 MB may be uploaded here." in page
    assert not ServiceDelivery.objects.exists()


def test_a_returned_list_that_is_not_a_csv_is_refused(client, world, distribution):
    page = _returned_list(client, world, distribution, s.upload("daftar.xlsx", s.xlsx()))
    assert "The file “daftar.xlsx” is Excel (XLSX), which cannot be uploaded here" in page
    page = _returned_list(client, world, distribution, s.renamed_exe("daftar.csv"))
    assert "is named .csv but its content is not in the CSV format" in page
    assert not ServiceDelivery.objects.exists()
