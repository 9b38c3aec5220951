"""Accessibility: the main pages pass axe-core (through axe-playwright-python) with no serious
or critical violations, for the roles who use them; the public complaint pages and the login on
a phone too. And a keyboard-only journey: log in and file a complaint with Tab, Space and Enter
alone, with the focus visible all the way.

Each test visits its pages one after the other and asserts once at the end, so one run lists
every violation (rule id, impact, the page, and the first elements it found)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import DESA_A, KECAMATAN_A, PASSWORD

from .conftest import PHONE

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def _axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def audit(page, axe, url: str, found: list[str]) -> None:
    """Open ``url`` and add its serious and critical violations to ``found``."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    check_current(page, axe, found)


def check_current(page, axe, found: list[str]) -> None:
    page.wait_for_load_state()
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
            found.append(
                f"{page.url} {violation['id']} ({violation['impact']}): {violation['help']} "
                f"-> {targets}"
            )


def first_detail_links(page, limit: int = 1) -> list[str]:
    """The first links into records from the results table of a list page."""
    hrefs = page.eval_on_selector_all(
        "main table tbody a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    wanted = [h for h in hrefs if "?" not in h and not h.endswith((".csv", ".pdf", ".xlsx"))]
    return list(dict.fromkeys(wanted))[:limit]


@pytest.fixture
def world(live_cast):
    """Records for the detail pages: a program with enrolled households, an event, a
    distribution round, a complaint, a case, a budget line with an expenditure, an indicator."""
    from bakti.cases.models import CaseType
    from bakti.cases.services import case_open
    from bakti.community import services as community
    from bakti.community.models import Category
    from bakti.delivery import services as delivery
    from bakti.delivery.tests.world import make_world
    from bakti.finance import services as finance
    from bakti.finance.tests import factories as finance_factories
    from bakti.monitoring.tests.factories import make_indicator
    from bakti.monitoring.tests.factories import make_program as make_mne_program

    cast = live_cast
    made = make_world(cast)
    delivery.event_create(
        actor=cast.manager,
        program=made.program,
        activity=made.activity,
        topic="Pertemuan kelompok",
        date=timezone.localdate(),
        region_id=DESA_A,
        place="Balai desa",
    )
    delivery.round_create(
        actor=cast.manager,
        program=made.program,
        service_type=made.food,
        name="Sembako bulan ini",
        region=KECAMATAN_A,
        planned_date=timezone.localdate(),
    )
    community.ticket_file_public(
        address="127.0.0.1",
        category=Category.objects.order_by("pk").first(),
        description="Bantuan dipotong oleh oknum di e-warong.",
        region_code=DESA_A,
    )
    case_type, _ = CaseType.objects.get_or_create(code="LANSIA", defaults={"name": "Lansia"})
    case_open(
        actor=cast.field_worker_a,
        person=made.people_a[2],
        case_type=case_type,
        summary="Tinggal sendiri.",
    )
    line = finance_factories.line(cast.department, "10000000", code="BS.01")
    finance.expenditure_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 4, 14),
        reference="SP2D-1",
        payee="UD Barokah",
        description="Sembako",
        amount=Decimal("2500000"),
    )
    mne_program = make_mne_program(cast.division_rehsos, code="LANSIA-1", manager=cast.manager)
    make_indicator(
        mne_program,
        code="OC-1",
        name="Lansia puas (%)",
        rule="non_summing",
        unit="percentage",
        targets=[60, 65, 70, 75],
    )
    return made


MANAGER_PAGES = [
    "/",
    "/programs/",
    "/programs/new/",
    "/registry/",
    "/registry/people/",
    "/registry/enrolments/",
    "/registry/imports/",
    "/registry/imports/new/",
    "/registry/scoring/",
    "/registry/targeting/",
    "/registry/targeting/new/",
    "/registry/duplicates/",
    "/delivery/",
    "/delivery/events/",
    "/delivery/rounds/",
    "/cases/",
    "/cases/approvals/",
    "/cases/referrals/",
    "/finance/",
    "/finance/expenditures/",
    "/finance/absorption/",
    "/partners/",
    "/community/",
    "/monitoring/",
    "/monitoring/actuals/",
    "/reports/",
    "/accounts/profile/",
]
# Lists whose first record is opened too (the detail page of each module).
FOLLOW = {
    "/programs/",
    "/registry/",
    "/registry/enrolments/",
    "/delivery/events/",
    "/delivery/rounds/",
    "/cases/",
    "/finance/expenditures/",
    "/partners/",
    "/community/",
    "/monitoring/",
}


def test_manager_pages_pass_axe(live_server, live_cast, world, page, login) -> None:
    axe = _axe()
    page.set_default_timeout(60_000)
    login(page, live_cast.manager)
    found: list[str] = []
    details: list[str] = []
    for path in MANAGER_PAGES:
        audit(page, axe, live_server.url + path, found)
        if path in FOLLOW:
            details += first_detail_links(page)
    program = world.program
    details += [
        f"/programs/{program.pk}/framework/",
        f"/programs/{program.pk}/workplan/",
        f"/reports/programs/{program.pk}/",
        f"/registry/households/{world.households_a[0].pk}/",
        f"/registry/people/{world.people_a[0].pk}/",
    ]
    for path in dict.fromkeys(details):
        audit(page, axe, live_server.url + path, found)
    assert not found, "\n".join(found)


def test_field_worker_pages_pass_axe_on_a_phone(
    live_server, live_cast, world, phone_context, login
) -> None:
    axe = _axe()
    page = phone_context.new_page()
    page.set_default_timeout(60_000)
    login(page, live_cast.field_worker_a)
    found: list[str] = []
    for path in ["/", "/delivery/", "/delivery/events/", "/cases/", "/cases/open/", "/registry/"]:
        audit(page, axe, live_server.url + path, found)
    from bakti.delivery.models import DistributionRound, Event

    audit(page, axe, f"{live_server.url}/delivery/events/{Event.objects.first().pk}/", found)
    audit(
        page,
        axe,
        f"{live_server.url}/delivery/rounds/{DistributionRound.objects.first().pk}/",
        found,
    )
    audit(page, axe, f"{live_server.url}/registry/people/{world.people_a[0].pk}/", found)
    # The menu, opened.
    page.get_by_role("button", name="Tampilkan menu").click()
    check_current(page, axe, found)
    assert not found, "\n".join(found)


def test_finance_and_mne_pages_pass_axe(live_server, live_cast, world, page, login) -> None:
    axe = _axe()
    page.set_default_timeout(60_000)
    found: list[str] = []
    login(page, live_cast.finance)
    for path in ["/finance/", "/finance/expenditures/", "/finance/expenditures/new/"]:
        audit(page, axe, live_server.url + path, found)
    page.get_by_role("button", name="Keluar").click()
    login(page, live_cast.mne)
    for path in ["/monitoring/", "/monitoring/actuals/", "/reports/"]:
        audit(page, axe, live_server.url + path, found)
        for link in first_detail_links(page):
            audit(page, axe, live_server.url + link, found)
    assert not found, "\n".join(found)


def test_public_pages_and_login_pass_axe_on_a_phone(live_server, live_cast, phone_context) -> None:
    axe = _axe()
    page = phone_context.new_page()
    found: list[str] = []
    for path in ["/accounts/login/", "/lapor/", "/lapor/status/", "/lapor/statistik/"]:
        audit(page, axe, live_server.url + path, found)
    # The complaint form sent empty: its errors are announced and tied to the fields.
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_load_state()
    check_current(page, axe, found)
    # The login with a wrong password.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill("nobody")
    page.locator("input[name=password]").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check_current(page, axe, found)
    assert not found, "\n".join(found)


def _focus_is_visible(page) -> bool:
    """The focused element draws an outline or a focus ring (box shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || (style.boxShadow && style.boxShadow !== 'none');
        }"""
    )


def _tab_to(page, predicate: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``predicate`` (a JS expression over
    ``el``), checking on the way that every focused element shows it has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        matched = page.evaluate(
            f"() => {{ const el = document.activeElement; return {predicate}; }}"
        )
        if page.evaluate("() => document.activeElement === document.body"):
            continue  # the focus left the page's controls (before the first, after the last)
        assert _focus_is_visible(page), "focus is not visible on " + page.evaluate(
            "() => document.activeElement.outerHTML.slice(0, 120)"
        )
        if matched:
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_keyboard_only_login_and_complaint(live_server, live_cast, browser) -> None:
    from bakti.community.models import Ticket

    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    # A :focus-visible style is part of the stylesheet.
    page.goto(f"{live_server.url}/accounts/login/")
    has_rule = page.evaluate(
        """() => [...document.styleSheets].some(sheet => {
            try {
                return [...sheet.cssRules].some(
                    r => (r.selectorText || '').includes(':focus-visible'));
            } catch (e) { return false; }
        })"""
    )
    assert has_rule, "no :focus-visible rule in the stylesheets"

    # Log in with the keyboard alone.
    _tab_to(page, "el.name === 'username'")
    page.keyboard.type(live_cast.officer.get_username())
    _tab_to(page, "el.name === 'password'")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.locator("#main-nav").count() == 1, "the officer is not logged in"
    context.close()

    # File a complaint with the keyboard alone, as a citizen.
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/lapor/")
    _tab_to(page, "el.tagName === 'SELECT'")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Bantuan sembako bulan ini tidak sampai ke dusun kami.")
    _tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    page.get_by_test_id("tracking-code").wait_for()
    assert Ticket.objects.count() == 1
    context.close()
