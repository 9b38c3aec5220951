"""Partner documents (due-diligence documents, agreements) go through the one upload check:
too large or of another type is refused on the field with the reason shown, nothing stored."""

import pytest
from django.urls import reverse

from bakti.core.tests import upload_samples as s
from bakti.partners.models import Agreement, DueDiligenceDocument

from .factories import organisation

pytestmark = pytest.mark.django_db


def _document(client, cast, upload):
    org = organisation(cast.manager)
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    return client.post(
        reverse("partners:organisation_add", args=[org.pk, "document"]),
        {"kind": "deed", "title": "Akta pendirian", "file": upload},
    )


def test_an_oversize_document_is_refused_with_the_limit_shown(client, cast):
    response = _document(client, cast, s.oversize("akta.pdf", 10))
    assert response.status_code == 200
    message = "The file “akta.pdf” is 10.1 MB; at most 10 MB may be uploaded here."
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert not DueDiligenceDocument.objects.exists()


def test_a_document_of_another_type_is_refused(client, cast):
    response = _document(client, cast, s.upload("akta.zip", s.plain_zip()))
    assert "The file “akta.zip” is ZIP, which cannot be uploaded here" in response.content.decode()
    response = _document(client, cast, s.upload("akta.docx", s.plain_zip()))
    assert "is named .docx but its content is not in the Word (DOCX) format" in (
        response.content.decode()
    )
    assert not DueDiligenceDocument.objects.exists()
    assert _document(client, cast, s.upload("akta.pdf", s.PDF)).status_code == 302
    assert DueDiligenceDocument.objects.get().file.name.endswith(".pdf")


def _agreement(client, cast, upload):
    org = organisation(cast.manager)
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    data = {
        "organisation": org.pk,
        "kind": "mou",
        "title": "MoU pendampingan",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "value": "0",
        "currency": "IDR",
        "status": "draft",
        "owner": cast.officer.pk,
        "document": upload,
    }
    return client.post(reverse("partners:agreement_create"), data)


def test_an_oversize_agreement_document_is_refused(client, cast):
    response = _agreement(client, cast, s.oversize("mou.pdf", 10))
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "The file “mou.pdf” is 10.1 MB; at most 10 MB may be uploaded here."
    ]
    assert not Agreement.objects.exists()


def test_an_agreement_document_of_another_type_is_refused(client, cast):
    response = _agreement(client, cast, s.renamed_exe("mou.exe"))
    assert response.status_code == 200
    assert (
        "The file “mou.exe” is EXE, which cannot be uploaded here"
        in (response.context["form"].errors["document"][0])
    )
    assert not Agreement.objects.exists()
    assert _agreement(client, cast, s.upload("mou.pdf", s.PDF)).status_code == 302
    assert Agreement.objects.get().document.name.endswith(".pdf")
