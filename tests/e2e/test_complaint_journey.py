"""A citizen files an anonymous complaint from a phone and gets a code; an officer resolves it;
the citizen reads the reply and rates it. Real chromium through Playwright, real server."""

import pytest
from django.test import Client

from conftest import make_cast

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_anonymous_complaint_from_a_phone_is_resolved_and_rated(
    live_server, transactional_db, browser, shot
) -> None:
    from bakti.community.models import Ticket

    cast = make_cast()
    # 1. The citizen, on a phone, without an account.
    citizen = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    page = citizen.new_page()
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Tentang apa?").select_option(label="Pembayaran dan penyaluran bantuan")
    page.get_by_label("Apa yang terjadi?").fill(
        "Bantuan PKH bulan ini dipotong Rp 50.000 oleh oknum di e-warong."
    )
    assert page.get_by_label("Tetap anonim", exact=False).is_checked()
    shot(page, "lapor-form-phone")
    page.get_by_role("button", name="Kirim laporan").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code.replace("-", "")) == 10
    shot(page, "lapor-tracking-code-phone")
    ticket = Ticket.objects.get()
    assert ticket.identity_mode == "anonymous" and ticket.complainant_name == ""

    # 2. The officer resolves it.
    staff = Client()
    staff.force_login(cast.officer)
    officer = browser.new_context(viewport=PHONE, locale="id-ID")
    officer.add_cookies(
        [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
    )
    desk = officer.new_page()
    desk.goto(f"{live_server.url}/community/")
    shot(desk, "community-tickets")
    desk.get_by_role("link", name=code).click()
    desk.get_by_role("button", name="Mulai tangani").click()
    desk.get_by_label("Hasil untuk pelapor").fill(
        "Potongan sudah dikembalikan dan e-warong diberi teguran tertulis."
    )
    shot(desk, "community-ticket-resolve")
    desk.get_by_role("button", name="Selesaikan").click()
    desk.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == "resolved"

    # 3. The citizen comes back with the code, reads the reply and rates it.
    page.goto(f"{live_server.url}/lapor/status/")
    page.get_by_label("Kode pelacakan").fill(code.lower())
    page.get_by_role("button", name="Tampilkan status").click()
    assert "teguran tertulis" in page.get_by_test_id("resolution").inner_text()
    shot(page, "lapor-status-phone")
    page.get_by_label("Puas", exact=True).check()
    page.get_by_role("button", name="Kirim penilaian").click()
    assert page.get_by_text("Terima kasih atas jawaban Anda.").is_visible()
    ticket.refresh_from_db()
    assert ticket.satisfaction == 3
