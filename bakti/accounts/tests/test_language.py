"""Indonesian by default, English on request; the choice is remembered; locale formats."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from bakti.core.money import format_money
from conftest import PASSWORD


def test_login_page_is_indonesian_by_default(client: Client, db) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="id">' in html
    assert "Masuk" in html
    assert "Kata sandi" in html


def test_language_switch_turns_the_page_to_english_and_back(client: Client, db) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Password" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/accounts/login/"})
    assert '<html lang="id">' in client.get("/accounts/login/").content.decode()


def test_language_switch_refuses_an_unsafe_next_page(client: Client, db) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response.url


def test_switching_language_while_logged_in_updates_the_profile(client: Client, cast) -> None:
    client.force_login(cast.manager)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cast.manager.refresh_from_db()
    assert cast.manager.preferred_language == "en"


def test_profile_language_is_used_after_login(client: Client, cast) -> None:
    client.force_login(cast.manager)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Ibu Manajer",
            "email": "m@example.id",
            "phone": "",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.preferred_language == "en"
    assert cast.manager.full_name == "Ibu Manajer"

    fresh = Client()
    fresh.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert '<html lang="en">' in fresh.get("/").content.decode()


def test_profile_rejects_a_bad_email_address_and_says_where(client: Client, cast) -> None:
    client.force_login(cast.manager)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "X", "email": "not-an-address", "phone": "", "preferred_language": "id"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert "alamat email yang valid" in response.content.decode()


def test_profile_asks_anonymous_visitors_to_log_in(client: Client, db) -> None:
    assert client.get("/accounts/profile/").url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("language", "money", "date", "may"),
    [
        ("id", "Rp 1.250.000", "27 Nov 2026", "1 Mei 2026"),
        ("en", "Rp 1,250,000", "27 Nov 2026", "1 May 2026"),
    ],
)
def test_money_and_dates_follow_the_active_language(
    language: str, money: str, date: str, may: str
) -> None:
    template = Template("{% load bakti %}{{ amount|money }}|{{ day|date }}|{{ may|date }}")
    context = Context(
        {"amount": Decimal("1250000"), "day": dt.date(2026, 11, 27), "may": dt.date(2026, 5, 1)}
    )
    with translation.override(language):
        assert template.render(context) == f"{money}|{date}|{may}"


def test_money_formatting_rounds_and_keeps_the_sign() -> None:
    with translation.override("id"):
        assert format_money(Decimal("1250000.50")) == "Rp 1.250.001"
        assert format_money(Decimal("-75000")) == "-Rp 75.000"
        assert format_money(Decimal("1234.5"), "USD") == "US$ 1.234,50"
        assert format_money(None) == ""
    with translation.override("en"):
        assert format_money(Decimal("1234.5"), "USD") == "US$ 1,234.50"
        assert format_money(Decimal("0")) == "Rp 0"
