"""Each demo account logs in and sees exactly the modules its role may open."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bakti.accounts import demo as accounts_demo
from bakti.core.demo import DemoContext
from conftest import make_regions

DEMO_PASSWORD = "demo-Password-2026"
READ_ALL = {
    "dashboard",
    "programs",
    "registry",
    "delivery",
    "cases",
    "finance",
    "partners",
    "community",
    "monitoring",
    "reports",
}
EXPECTED = {
    "kadis": READ_ALL | {"pdp"},  # the head oversees data-subject requests and breaches
    "manajer": READ_ALL,
    "staf": READ_ALL - {"finance"},
    "petugas.a": {"dashboard", "programs", "registry", "delivery", "cases", "community"},
    "petugas.b": {"dashboard", "programs", "registry", "delivery", "cases", "community"},
    "keuangan": {"dashboard", "programs", "finance", "partners", "reports"},
    "monev": {"dashboard", "programs", "delivery", "community", "monitoring", "reports"},
    "mitra": {"dashboard", "referrals"},
    "auditor": READ_ALL | {"privacy"},
    "admin": {"dashboard", "privacy", "administration"},
}


def installed_modules() -> dict[str, str]:
    """Module → URL of every module that exists in this installation."""
    found = {}
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", ()):
            try:
                found[entry["module"]] = reverse(entry["url"])
            except NoReverseMatch:
                continue
    return found


def nav_links(html: str) -> set[str]:
    match = re.search(r'<div class="collapse navbar-collapse" id="main-nav">(.*?)</ul>', html, re.S)
    assert match, "the page has no main navigation"
    return set(re.findall(r'href="([^"]+)"', match.group(1)))


@pytest.fixture
def demo_users(db):
    make_regions()
    ctx = DemoContext(password=DEMO_PASSWORD)
    accounts_demo.load(ctx)
    return ctx.users


def test_the_demo_has_one_account_per_role(demo_users) -> None:
    assert set(demo_users) == set(EXPECTED)


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_demo_account_logs_in_and_sees_only_its_modules(demo_users, username: str) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{username} could not log in"
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    modules = installed_modules()
    expected = {modules[m] for m in EXPECTED[username] if m in modules}
    shown = nav_links(home.content.decode())
    assert shown == expected
    for module, url in modules.items():
        if module not in EXPECTED[username]:
            assert url not in shown, f"{username} sees {module}"
    for url in expected:
        assert client.get(url).status_code == 200, f"{username} cannot open {url}"


def test_field_workers_are_scoped_to_different_kecamatan(demo_users) -> None:
    a = demo_users["petugas.a"].memberships.get()
    b = demo_users["petugas.b"].memberships.get()
    assert a.region_id == "34.04.01"
    assert b.region_id == "34.04.02"


def test_outsider_without_a_role_sees_no_module(cast) -> None:
    client = Client()
    client.force_login(cast.outsider)
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert nav_links(home.content.decode()) == set()
    assert client.get(reverse("privacy:audit_list")).status_code == 403


def test_modules_outside_the_role_are_refused(cast) -> None:
    client = Client()
    client.force_login(cast.field_worker_a)
    assert client.get(reverse("privacy:audit_list")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: admin login page
