"""A case note's attachment goes through the one upload check: too large or of another type is
refused, the reason shown on the case page, and no note is added."""

from django.urls import reverse

from bakti.cases.models import Note
from bakti.core.tests import upload_samples as s

from .helpers import open_case


def _note(client, world, attachment):
    case = open_case(world)
    client.force_login(world.cast.field_worker_a)
    response = client.post(
        reverse("cases:case_action", args=[case.pk, "note"]),
        {"note-text": "Kunjungan rumah", "note-attachment": attachment},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return case, response.content.decode()


def test_an_oversize_attachment_is_refused_with_the_limit_shown(client, world):
    case, page = _note(client, world, s.oversize("surat.pdf", 10))
    assert "The file “surat.pdf” is 10.1 MB; at most 10 MB may be uploaded here." in page
    assert not Note.objects.filter(case=case).exists()


def test_an_attachment_of_another_type_is_refused(client, world):
    case, page = _note(client, world, s.renamed_exe("surat.exe"))
    assert "The file “surat.exe” is EXE, which cannot be uploaded here" in page
    assert not Note.objects.filter(case=case).exists()


def test_a_renamed_program_is_refused_by_its_content(client, world):
    case, page = _note(client, world, s.renamed_exe("surat.docx"))
    assert "is named .docx but its content is not in the Word (DOCX) format" in page
    assert not Note.objects.filter(case=case).exists()


def test_a_real_document_is_attached(client, world):
    case, _page = _note(client, world, s.upload("surat.docx", s.docx()))
    assert Note.objects.get(case=case).attachment.name.endswith(".docx")
