"""Files attached to a complaint (the public form and the staff intake) go through the one
upload check (kind "public": a photo or a PDF, at most 5 MB), and at most three of them: a
refused file is named on the form with the reason, and no ticket is made."""

import pytest
from django.urls import reverse

from bakti.community import services
from bakti.community.models import Channel, IdentityMode, Ticket
from bakti.core.tests import upload_samples as s

from .factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _public(client, attachments):
    data = {
        "category": category("payment").pk,
        "description": "Bantuan PKH saya dipotong Rp 50.000 oleh pendamping.",
        "anonymous": "1",
        "website": "",
        "attachments": attachments,
    }
    client.cookies["bakti_language"] = "en"
    return client.post(reverse("lapor:report"), data, REMOTE_ADDR="10.0.0.9")


def test_the_public_form_refuses_an_oversize_photo_with_the_limit(client, cast):
    response = _public(client, s.oversize("foto.png", 5, s.PNG))
    assert response.status_code == 400
    assert "The file “foto.png” is 5.1 MB; at most 5 MB may be uploaded here." in (
        response.content.decode()
    )
    assert not Ticket.objects.exists()


def test_the_public_form_refuses_other_types_and_renamed_programs(client, cast):
    response = _public(client, s.upload("surat.docx", s.docx()))
    assert "The file “surat.docx” is Word (DOCX), which cannot be uploaded here" in (
        response.content.decode()
    )
    response = _public(client, s.renamed_exe("foto.jpg"))
    assert "is named .jpg but its content is not in the JPEG format" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_public_form_takes_at_most_three_files(client, cast):
    photos = [s.upload(f"foto{i}.png", s.PNG) for i in range(4)]
    response = _public(client, photos)
    assert "Attach at most 3 files; you chose 4." in response.content.decode()
    assert not Ticket.objects.exists()
    assert _public(client, [s.upload("foto.png", s.PNG)]).status_code == 302


def _intake(client, cast, attachment):
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    data = {
        "channel": Channel.WALK_IN,
        "category": category("payment").pk,
        "priority": services.Priority.objects.get(code="normal").pk,
        "description": "Warga datang ke kantor dengan bukti potongan bantuan.",
        "identity_mode": IdentityMode.ANONYMOUS,
        "attachments": attachment,
    }
    return client.post(reverse("community:ticket_create"), data)


def test_the_staff_intake_refuses_oversize_and_wrong_type_files(client, cast):
    response = _intake(client, cast, s.oversize("bukti.pdf", 5))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "The file “bukti.pdf” is 5.1 MB; at most 5 MB may be uploaded here."
    ]
    response = _intake(client, cast, s.renamed_exe("bukti.exe"))
    assert "The file “bukti.exe” is EXE, which cannot be uploaded here" in (
        response.content.decode()
    )
    assert not Ticket.objects.exists()
