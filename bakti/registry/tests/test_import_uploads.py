"""The import upload goes through the one upload check (kind "import", its own larger limit
BAKTI_MAX_UPLOAD_MB) before its own zip-bomb check: too large, another type or a renamed file is
refused on the page, with the reason, and no import job is made."""

import pytest
from django.urls import reverse

from bakti.core.tests import upload_samples as s
from bakti.registry.models import ImportJob


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, cast, upload):
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    return client.post(reverse("registry:imports:upload"), {"file": upload})


def test_a_file_over_the_import_limit_is_refused_with_the_limit(client, cast, settings):
    settings.BAKTI_MAX_UPLOAD_MB = 1
    response = _upload(client, cast, s.oversize("data.csv", 1, s.CSV))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file “data.csv” is 1.1 MB; at most 1 MB may be uploaded here."
    ]
    assert not ImportJob.objects.exists()


def test_a_file_of_another_type_is_refused(client, cast):
    response = _upload(client, cast, s.upload("data.pdf", s.PDF))
    assert "The file “data.pdf” is PDF, which cannot be uploaded here" in (
        response.content.decode()
    )
    response = _upload(client, cast, s.renamed_exe("data.xlsx"))
    assert "is named .xlsx but its content is not in the Excel (XLSX) format" in (
        response.content.decode()
    )
    response = _upload(client, cast, s.renamed_exe("data.csv"))
    assert "is named .csv but its content is not in the CSV format" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_limit_is_the_imports_own_not_the_documents(client, cast, settings):
    settings.BAKTI_UPLOAD_LIMITS_MB = {"document": 1, "evidence": 1, "table": 1}
    big = s.CSV + b"3404010101010002;Budi;ya\n" * (2 * 1024 * 1024 // 25)
    response = _upload(client, cast, s.upload("data.csv", big))
    assert response.status_code == 302
    assert ImportJob.objects.get().original_name == "data.csv"
