"""Browser journey for programs: the manager creates a program, builds its results framework,
adds an indicator with quarterly targets (first with an end target that does not add up),
submits it; the department head approves it."""

import pytest

from bakti.programs.models import Program

pytestmark = pytest.mark.browser


def test_manager_plans_a_program_and_the_head_approves_it(
    live_server, live_cast, page, login, csp_violations
) -> None:
    login(page, live_cast.manager)
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name="Program baru").click()
    page.locator("#id_code").fill("E2E-2026")
    page.locator("#id_name").fill("Pendampingan Lansia Terlantar")
    page.locator("#id_program_type").select_option(label="Rehabilitasi Sosial")
    page.locator("#id_org_unit").select_option(label="Bidang Rehsos")
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    page.locator("#id_regions").select_option(label="Kabupaten Sleman (34.04)")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Pendampingan Lansia Terlantar").is_visible()
    assert page.get_by_text("Draf", exact=True).first.is_visible()

    # The results framework: goal > outcome > output.
    page.get_by_role("link", name="Kerangka hasil").click()
    page.get_by_role("link", name="Tambah hasil (Tujuan)").click()
    page.locator("#id_statement").fill("Lansia terlantar hidup layak")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="Tambah hasil di bawahnya").first.click()
    page.locator("#id_statement").fill("Lansia mendapat perawatan di rumah")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("link", name="Tambah hasil di bawahnya").nth(1).click()
    page.locator("#id_statement").fill("Kunjungan home care terlaksana")
    page.get_by_role("button", name="Simpan").click()
    assert page.get_by_text("Kunjungan home care terlaksana").is_visible()

    # An indicator at the output, with quarterly targets.
    page.get_by_role("link", name="Tambah indikator").last.click()
    page.locator("#id_code").fill("LU-1")
    page.locator("#id_name").fill("Jumlah lansia yang mendapat home care")
    page.locator("#id_unit_label").fill("orang")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "/targets/" in page.url
    for index, value in enumerate(["10", "20", "30", "40"]):
        page.locator(f"#id_period_{index}").fill(value)
    page.locator("#id_end_target").fill("90")
    page.get_by_role("button", name="Simpan target").click()
    error = page.locator(".invalid-feedback").first
    assert "jumlah target per periode (100)" in error.inner_text()
    page.locator("#id_end_target").fill("100")
    page.get_by_role("button", name="Simpan target").click()
    page.wait_for_load_state()
    assert page.get_by_text("TW4 2026: 40").is_visible()

    # Submit for approval; the manager cannot approve what they submitted.
    page.get_by_role("link", name="Ringkasan").click()
    page.locator("#comment-submit").fill("Siap dinilai")
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Diajukan", exact=True).first.is_visible()
    assert page.get_by_role("button", name="Setujui").count() == 0
    program = Program.objects.get(code="E2E-2026")
    assert program.status == "submitted" and program.submitted_by == live_cast.manager

    # The department head approves.
    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.head)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.locator("#comment-approve").fill("Disetujui")
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    assert page.get_by_text("Disetujui", exact=True).first.is_visible()
    program.refresh_from_db()
    assert program.status == "approved" and program.approved_by == live_cast.head

    # A field worker can read it but sees no way to change it.
    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.field_worker_a)
    page.goto(f"{live_server.url}/programs/{program.pk}/framework/")
    assert page.get_by_text("Kunjungan home care terlaksana").is_visible()
    assert page.get_by_role("link", name="Ubah rincian").count() == 0
    assert page.get_by_role("link", name="Tambah indikator").count() == 0
    assert csp_violations == []
