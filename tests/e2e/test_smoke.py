"""Smoke test in a real browser: the Indonesian login, the language switch, the manager's
modules one by one, and logging out."""

import re

import pytest

from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.browser


def test_manager_logs_in_opens_every_module_and_logs_out(
    live_server, live_cast, page, login, csp_violations
) -> None:
    # The first page is the login page, in Indonesian.
    response = page.goto(f"{live_server.url}/")
    assert response is not None and response.ok
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Masuk").is_visible()
    assert page.get_by_label("Kata sandi").is_visible()
    save_screenshot(page, "login")

    # Switch to English and back.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Log in").is_visible()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"

    # Log in as the program manager; every module in the navigation opens.
    login(page, live_cast.manager)
    save_screenshot(page, "dashboard-manager")
    nav = page.locator("#main-nav .navbar-nav.me-auto a.nav-link")
    modules = [(link.inner_text().strip(), link.get_attribute("href")) for link in nav.all()]
    assert ("Dasbor", "/") in modules
    assert not any(href.startswith("/privacy/") for _label, href in modules)
    for label, href in modules:
        page.locator("#main-nav").get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}{href}" or page.url.startswith(
            f"{live_server.url}{href}"
        ), f"{label} did not open"
        assert page.locator("main h1").first.is_visible(), f"{label} has no heading"
        assert "Server Error" not in page.content()

    # Log out: back on the login page, and the pages are closed again.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert re.search(r"/accounts/login/", page.url)
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert csp_violations == []


def test_the_menu_opens_on_a_phone(live_server, live_cast, phone_context, login) -> None:
    page = phone_context.new_page()
    login(page, live_cast.field_worker_a)
    menu = page.locator("#main-nav")
    assert not menu.is_visible()
    page.get_by_role("button", name="Tampilkan menu").click()
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Dasbor").is_visible()
