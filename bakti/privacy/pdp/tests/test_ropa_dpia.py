"""Records of processing and impact assessments per program, printable as a page and a PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bakti.cases.tests.helpers import organisation
from bakti.privacy.pdp import services
from bakti.privacy.pdp.models import DpiaStatus, ProcessingRecord

DPIA = {
    "title": "Skoring kerentanan PKH",
    "processing": "Skor otomatis rumah tangga untuk penetapan sasaran.",
    "risks": "Salah sasaran; diskriminasi.",
    "likelihood": "medium",
    "severity": "high",
    "mitigations": "Verifikasi lapangan; hak keberatan.",
    "residual_risk": "medium",
}


def test_the_record_of_processing_is_saved_from_the_form_and_printed(client, world, dpo):
    org, _service = organisation()
    client.force_login(dpo)
    url = reverse("privacy:ropa_edit", args=[world.program.pk])
    response = client.post(
        url,
        {
            "purposes": "Penyaluran bantuan sembako",
            "legal_basis": "legal_obligation",
            "legal_reference": "UU 11/2009",
            "data_subjects": "Keluarga miskin",
            "data_categories": ["identity", "finance"],
            "recipients": [org.pk],
            "retention": "5 tahun setelah keluar program",
        },
    )
    assert response.status_code == 302
    record = ProcessingRecord.objects.get(program=world.program)
    assert list(record.recipients.all()) == [org]
    printed = client.get(
        reverse("privacy:ropa_detail", args=[world.program.pk]), {"print": "1"}
    ).content.decode()
    assert "Penyaluran bantuan sembako" in printed and org.name in printed
    pdf = client.get(reverse("privacy:ropa_detail", args=[world.program.pk]), {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    listing = client.get(reverse("privacy:ropa_list")).content.decode()
    assert "recorded" in listing


def test_the_record_needs_data_categories(world, dpo):
    with pytest.raises(ValidationError) as error:
        services.processing_record_save(
            actor=dpo,
            program=world.program,
            data={
                "purposes": "x",
                "legal_basis": "consent",
                "data_subjects": "x",
                "retention": "x",
            },
        )
    assert "data_categories" in error.value.message_dict


def test_a_dpia_is_signed_off_with_the_officers_opinion_and_then_frozen(client, world, dpo):
    dpia = services.dpia_create(actor=dpo, program=world.program, data=DPIA)
    with pytest.raises(ValidationError):
        services.dpia_sign_off(actor=dpo, dpia=dpia)
    dpia = services.dpia_update(
        actor=dpo, dpia=dpia, data={"dpo_opinion": "Dapat dilanjutkan."}, expected_version=1
    )
    client.force_login(dpo)
    response = client.post(reverse("privacy:dpia_sign_off", args=[dpia.pk]))
    assert response.status_code == 302
    dpia.refresh_from_db()
    assert (dpia.status, dpia.signed_off_by) == (DpiaStatus.SIGNED_OFF, dpo)
    with pytest.raises(ValidationError):
        services.dpia_update(actor=dpo, dpia=dpia, data={"risks": "x"})
