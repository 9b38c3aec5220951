"""A field worker on a phone records attendance at an event, ticks a distribution round, opens a
case and records a follow-up; the supervisor approves the case plan. Real chromium through
Playwright, real server, phone-sized viewport (390 by 844)."""

import datetime as dt

import pytest
from django.utils import timezone

from bakti.delivery import services as delivery_services
from conftest import DESA_A, KECAMATAN_A

from .conftest import PHONE

pytestmark = pytest.mark.browser


def _watch_csp(page, violations: list[str]) -> None:
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )


def test_field_worker_day_on_a_phone_and_supervisor_approval(
    live_server, live_cast, browser, phone_context, login, shot
):
    from bakti.cases.models import Approval, Case, CaseStatus, CaseType
    from bakti.delivery.models import Attendance, ServiceDelivery
    from bakti.delivery.tests.world import make_world

    cast = live_cast
    world = make_world(cast)
    CaseType.objects.get_or_create(
        code="LANSIA",
        defaults={"name": "Lanjut usia terlantar", "plan_needs_approval": True},
    )
    event = delivery_services.event_create(
        actor=cast.manager,
        program=world.program,
        activity=world.activity,
        topic="Pertemuan kelompok P2K2",
        date=timezone.localdate(),
        region_id=DESA_A,
        place="Balai desa",
    )
    distribution = delivery_services.round_create(
        actor=cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako bulan ini",
        region=KECAMATAN_A,
        planned_date=timezone.localdate(),
    )

    violations: list[str] = []
    page = phone_context.new_page()
    _watch_csp(page, violations)
    login(page, cast.field_worker_a)

    # 1. Attendance: find Siti by name in the check-in box and mark her present.
    page.goto(f"{live_server.url}/delivery/events/{event.pk}/")
    page.locator("#checkin-q").fill("Siti")
    person_row = page.locator(f"#checkin-{world.people_a[0].pk}")
    person_row.get_by_role("button", name="Hadir", exact=True).click()
    page.locator(".list-group-item-success").wait_for()
    shot(page, "delivery-event-checkin-phone")
    assert Attendance.objects.get(event=event).person == world.people_a[0]
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 2. The distribution round: tick Sri's line and record receipt.
    page.goto(f"{live_server.url}/delivery/rounds/{distribution.pk}/")
    sri_line = distribution.recipients.get(enrolment=world.enrolments_a[1])
    page.locator(f"label[for=rcp-{sri_line.pk}]").click()
    page.get_by_role("button", name="Catat penerimaan untuk baris yang dicentang").click()
    page.get_by_text("Penerimaan dicatat untuk 1 baris.").wait_for()
    shot(page, "delivery-round-receipt-phone")
    delivery = ServiceDelivery.objects.get(round=distribution)
    assert delivery.enrolment == world.enrolments_a[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 3. Open a case for Budi, assess, plan, submit the plan, and record a follow-up.
    page.goto(f"{live_server.url}/cases/open/?q=Budi")
    page.get_by_role("link", name="Budi Santoso").click()
    page.locator("#id_case_type").select_option(label="Lanjut usia terlantar")
    page.locator("#id_summary").fill("Tinggal sendiri tanpa pengasuh.")
    shot(page, "cases-open-phone")
    page.get_by_role("button", name="Buka kasus ini").click()
    page.locator("#case-status").wait_for()
    case = Case.objects.get()
    assert case.caseworker == cast.field_worker_a

    page.get_by_role("button", name="Mulai asesmen").click()
    page.locator("#id_assessment-assessment").fill("Butuh pendampingan harian.")
    page.get_by_role("button", name="Simpan asesmen").click()
    page.get_by_text("Tambah tujuan").click()
    page.locator("#id_goal-description").fill("Mendapat pengasuh")
    page.locator("form[action$='/do/goal/']").get_by_role("button").click()
    page.get_by_role("button", name="Ajukan rencana kasus untuk disetujui").click()
    page.get_by_text("Rencanakan tindak lanjut").click()
    due = timezone.localdate() + dt.timedelta(days=7)
    page.locator("#id_follow_up-due_date").fill(due.isoformat())
    page.locator("#id_follow_up-purpose").fill("Kunjungan rumah")
    page.get_by_role("button", name="Rencanakan", exact=True).click()
    follow_up = case.follow_ups.get()
    page.get_by_text("Catat tindak lanjut").click()
    page.locator(f"#done-{follow_up.pk}-outcome").fill("Sudah ada tetangga yang membantu.")
    page.locator("form[action$='/do/follow_up_done/']").get_by_role("button").click()
    page.get_by_text("Tindak lanjut dicatat.").wait_for()
    shot(page, "cases-detail-follow-up-phone")
    follow_up.refresh_from_db()
    assert follow_up.done_on is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.CASE_PLAN
    assert Approval.objects.filter(case=case, status="pending").exists()

    # 4. The supervisor approves the case plan from the approvals page.
    supervisor_context = browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    supervisor = supervisor_context.new_page()
    _watch_csp(supervisor, violations)
    login(supervisor, cast.manager)
    supervisor.goto(f"{live_server.url}/cases/approvals/")
    shot(supervisor, "cases-approvals-phone")
    supervisor.get_by_role("button", name="Setujui").click()
    supervisor.get_by_text("Disetujui.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVICE_PROVISION
    supervisor_context.close()
    assert violations == []
