"""An expenditure's evidence goes through the one upload check: too large, of another type or a
renamed program is refused on the field, in the user's language, and nothing is recorded."""

from django.urls import reverse

from bakti.core.tests import upload_samples as s
from bakti.finance.models import Expenditure
from bakti.finance.tests import factories


def _record(client, cast, evidence, language="en"):
    line = factories.line(cast.department, "5000000")
    client.force_login(cast.finance)
    response = client.post(
        reverse("finance:expenditure_create"),
        {
            "line": line.pk,
            "date": "2026-03-15",
            "payee": "Toko Makmur",
            "description": "Paket sembako",
            "amount": "1250000",
            "currency": "IDR",
            "exchange_rate": "1",
            "evidence": evidence,
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    return response


def test_oversize_evidence_is_refused_with_the_limit_shown(client, cast):
    response = _record(client, cast, s.oversize("kuitansi.pdf", 10))
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        "The file “kuitansi.pdf” is 10.1 MB; at most 10 MB may be uploaded here."
    ]
    assert not Expenditure.objects.exists()


def test_evidence_of_another_type_is_refused_in_indonesian(client, cast):
    response = _record(client, cast, s.renamed_exe("kuitansi.exe"), language="id")
    assert response.status_code == 200
    error = response.context["form"].errors["evidence"][0]
    assert "kuitansi.exe" in error and "tidak dapat diunggah" in error
    assert error in response.content.decode()
    assert not Expenditure.objects.exists()


def test_a_renamed_program_is_refused_by_its_content(client, cast):
    response = _record(client, cast, s.renamed_exe("kuitansi.jpg"))
    assert "is named .jpg but its content is not in the JPEG format" in response.content.decode()
    assert not Expenditure.objects.exists()
