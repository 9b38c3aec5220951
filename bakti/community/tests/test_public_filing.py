"""A citizen files a report at /lapor/ without an account, anonymously if they wish, gets a
tracking code, and the status page shows the status and public replies and nothing else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bakti.community import codes, services
from bakti.community.models import IdentityMode, PublicSubmission, Ticket

from .factories import category

pytestmark = pytest.mark.django_db

DESA_A = "34.04.01.2001"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, **extra):
    data = {
        "category": category("payment").pk,
        "description": "Bantuan PKH saya dipotong Rp 50.000 oleh pendamping.",
        "region": DESA_A,
        "place_detail": "Dusun Kragilan",
        "anonymous": "1",
        "website": "",
    }
    data.update(extra)
    return client.post(reverse("lapor:report"), data, REMOTE_ADDR="10.0.0.1")


def test_the_form_opens_without_login_in_indonesian(client, cast) -> None:
    response = client.get(reverse("lapor:report"))
    assert response.status_code == 200
    assert 'name="viewport"' in response.content.decode()
    assert "Kirim laporan" in response.content.decode()


def test_anonymous_report_gives_a_code_and_keeps_no_identity(client, cast) -> None:
    response = _post(client, complainant_name="Budi", complainant_phone="0812345678")
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lapor:status", args=[ticket.code]) + "?new=1"
    assert codes.is_valid(ticket.code)
    assert ticket.identity_mode == IdentityMode.ANONYMOUS
    assert (ticket.complainant_name, ticket.complainant_phone) == ("", "")
    assert ticket.region_id == DESA_A
    page = client.get(response["Location"]).content.decode()
    assert codes.display(ticket.code) in page


def test_status_page_shows_public_replies_only(client, cast) -> None:
    _post(client)
    ticket = Ticket.objects.get()
    services.ticket_transition(actor=cast.officer, ticket=ticket, action="acknowledge")
    services.ticket_reply(
        actor=cast.officer, ticket=ticket, body="Sedang kami periksa.", is_public=True
    )
    services.ticket_reply(
        actor=cast.officer,
        ticket=ticket,
        body="Catatan internal: cek pendamping X",
        is_public=False,
    )
    page = client.get(reverse("lapor:status", args=[ticket.code])).content.decode()
    assert "Sedang kami periksa." in page
    assert "Catatan internal" not in page
    assert "dipotong" not in page  # the description is not shown back
    assert "Kragilan" not in page
    assert "Balecatur" not in page
    assert cast.officer.username not in page


def test_unknown_or_mistyped_codes_are_not_found(client, cast) -> None:
    _post(client)
    code = Ticket.objects.get().code
    other = codes.new_code()
    typo = ("2" if code[0] != "2" else "3") + code[1:]
    assert client.get(reverse("lapor:status", args=[other])).status_code == 404
    assert client.get(reverse("lapor:status", args=[typo])).status_code == 404
    lookup = client.get(reverse("lapor:lookup"), {"code": typo})
    assert lookup.status_code == 200
    assert "tidak valid" in lookup.content.decode()
    lookup = client.get(reverse("lapor:lookup"), {"code": code.lower()})
    assert lookup["Location"] == reverse("lapor:status", args=[code])


def test_the_honeypot_rejects_robots(client, cast) -> None:
    response = _post(client, website="http://spam.example")
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_rate_limit_per_address(client, cast, settings) -> None:
    settings.BAKTI_PUBLIC_REPORTS_PER_HOUR = 3
    for _ in range(3):
        assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 429
    assert "Terlalu banyak laporan" in response.content.decode()
    assert Ticket.objects.count() == 3
    # another address is not affected, and only hashes are kept
    assert (
        client.post(
            reverse("lapor:report"),
            {
                "category": category("payment").pk,
                "description": "Laporan dari alamat lain yang sah.",
                "anonymous": "1",
            },
            REMOTE_ADDR="10.0.0.2",
        ).status_code
        == 302
    )
    assert not PublicSubmission.objects.filter(address_hash__contains="10.0.0").exists()


def test_named_report_needs_a_way_to_reach_the_person(client, cast) -> None:
    response = _post(client, anonymous="0")
    assert response.status_code == 400
    assert "nomor telepon" in response.content.decode()
    response = _post(client, anonymous="0", complainant_phone="0812 3456 7890")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.identity_mode == IdentityMode.CONFIDENTIAL
    assert ticket.complainant_phone == "0812 3456 7890"


def test_attachments_are_limited_by_type_content_and_size(client, cast) -> None:
    fake = SimpleUploadedFile("foto.jpg", b"MZ not a jpeg", content_type="image/jpeg")
    response = _post(client, attachments=fake)
    assert response.status_code == 400
    assert "foto.jpg" in response.content.decode()
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    assert _post(client, attachments=exe).status_code == 400
    big = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf")
    assert _post(client, attachments=big).status_code == 400
    assert not Ticket.objects.exists()
    good = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
    assert _post(client, attachments=good).status_code == 302
    assert Ticket.objects.get().attachments.get().content_type == "image/png"


def test_description_too_short_says_where(client, cast) -> None:
    response = _post(client, description="tolong")
    assert response.status_code == 400
    assert "10 karakter" in response.content.decode()


def test_public_api_intake_and_status(client, cast, settings) -> None:
    settings.BAKTI_PUBLIC_REPORTS_PER_HOUR = 2
    body = {"category": "payment", "description": "Bantuan BPNT belum cair tiga bulan."}
    response = client.post("/api/v1/feedback/public/reports", body, content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    status = client.get(f"/api/v1/feedback/public/reports/{code}").json()
    assert status["status"] == "new"
    assert "description" not in status
    bot = client.post(
        "/api/v1/feedback/public/reports",
        {**body, "website": "x"},
        content_type="application/json",
    )
    assert bot.status_code == 400
    client.post("/api/v1/feedback/public/reports", body, content_type="application/json")
    limited = client.post("/api/v1/feedback/public/reports", body, content_type="application/json")
    assert limited.status_code == 429
    assert client.get("/api/v1/feedback/public/reports/ABCDEFGHJK").status_code == 404
    bad = client.post(
        "/api/v1/feedback/public/reports",
        {"category": "nope", "description": "x" * 20},
        content_type="application/json",
    )
    assert bad.status_code in {422, 429}


def test_public_statistics_suppress_small_counts(client, cast) -> None:
    for _ in range(5):
        _post(client)
    PublicSubmission.objects.all().delete()
    services.ticket_file_public(
        address="10.9.9.9",
        category=category("information"),
        description="Bagaimana cara mendaftar DTKS?",
    )
    page = client.get(reverse("lapor:statistics")).content.decode()
    assert "Pembayaran dan penyaluran bantuan" in page
    assert "kurang dari 5" in page  # the single information request is not shown as 1
