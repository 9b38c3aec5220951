"""Browser journey for programs: the manager creates a program, builds its results framework,
adds an indicator with quarterly targets (first with an end target that does not add up),
submits it; the department head approves it."""

import pytest

from bakti.programs.models import Program

pytestmark = pytest.mark.browser


def test_manager_plans_a_program_and_the_head_approves_it(
    live_server, live_cast, page, login, csp_violations, shot
) -> None:
    login(page, live_cast.manager)
    page.goto(f"{live_server.url}/programs/")
    shot(page, "programs-list")
    page.get_by_role("link", name="Program baru").click()
    page.locator("#id_code").fill("E2E-2026")
    page.locator("#id_name").fill("Pendampingan Lansia Terlantar")
    page.locator("#id_program_type").select_option(label="Rehabilitasi Sosial")
    page.locator("#id_org_unit").select_option(label="Bidang Rehsos")
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    page.locator("#id_regions").select_option(label="Kabupaten Sleman (34.04)")
    shot(page, "programs-new")
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
    shot(page, "programs-framework")

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
    shot(page, "programs-targets-error")
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
    shot(page, "programs-submitted")
    assert page.get_by_role("button", name="Setujui").count() == 0
    program = Program.objects.get(code="E2E-2026")
    assert program.status == "submitted" and program.submitted_by == live_cast.manager

    # The department head approves.
    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.head)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.locator("#comment-approve").fill("Disetujui")
    shot(page, "programs-approve")
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    assert page.get_by_text("Disetujui", exact=True).first.is_visible()
    program.refresh_from_db()
    assert program.status == "approved" and program.approved_by == live_cast.head
    shot(page, "programs-approved")

    # A field worker can read it but sees no way to change it.
    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.field_worker_a)
    page.goto(f"{live_server.url}/programs/{program.pk}/framework/")
    assert page.get_by_text("Kunjungan home care terlaksana").is_visible()
    assert page.get_by_role("link", name="Ubah rincian").count() == 0
    assert page.get_by_role("link", name="Tambah indikator").count() == 0
    assert csp_violations == []


def test_manager_copies_a_template_adjusts_it_and_the_head_approves_it(
    live_server, live_cast, page, login, csp_violations, shot
) -> None:
    """Journey 1 as the issue tells it: the new program starts from last year's (a template),
    its framework and targets are adjusted, it is submitted and approved."""
    import datetime as dt

    from bakti.programs.models import Indicator
    from bakti.programs.tests import factories

    template = factories.program(
        live_cast, code="LANSIA-2026", name="Home care lansia 2026", regions=["34.04"]
    )
    factories.framework(template)

    login(page, live_cast.manager)
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name="Dari templat").click()
    page.locator("#id_template").select_option(value=str(template.pk))
    page.locator("#id_code").fill("LANSIA-2027")
    page.locator("#id_name").fill("Home care lansia 2027")
    page.locator("#id_start_date").fill("2027-01-01")
    page.locator("#id_org_unit").select_option(label="Bidang Rehsos")
    shot(page, "programs-from-template")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/programs/*/")
    program = Program.objects.get(code="LANSIA-2027")
    assert program.template == template and program.status == "draft"
    assert program.end_date == dt.date(2027, 12, 31)

    # The framework came along; one more output is added under the outcome.
    page.get_by_role("link", name="Kerangka hasil").click()
    assert page.get_by_text("People reached").is_visible()
    page.get_by_role("link", name="Tambah hasil di bawahnya").nth(1).click()
    page.locator("#id_statement").fill("Pengasuh lansia terlatih")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Pengasuh lansia terlatih").wait_for()

    # The copied targets moved to 2027; this year's are raised.
    indicator = Indicator.objects.get(program=program, code="IND-1")
    page.locator(f"a[href$='/indicators/{indicator.pk}/targets/']").click()
    for index, value in enumerate(["15", "25", "35", "45"]):
        page.locator(f"#id_period_{index}").fill(value)
    page.locator("#id_end_target").fill("120")
    page.get_by_role("button", name="Simpan target").click()
    page.wait_for_load_state()
    assert page.get_by_text("TW4 2027: 45").is_visible()
    shot(page, "programs-framework-adjusted")
    assert sorted(t.value for t in indicator.targets.all()) == [15, 25, 35, 45]
    assert {t.period_start.year for t in indicator.targets.all()} == {2027}

    page.get_by_role("link", name="Ringkasan").click()
    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == "submitted"

    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.head)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    program.refresh_from_db()
    assert program.status == "approved" and program.approved_by == live_cast.head
    assert csp_violations == []
