"""Logging in and out, and the throttle on failed attempts."""

from django.test import Client
from django.urls import reverse

from bakti.privacy.models import AuditAction, AuditEvent
from conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_login_page_is_the_first_page_for_visitors(client: Client, db) -> None:
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert response.status_code == 200


def test_correct_password_logs_in_and_is_audited(client: Client, cast) -> None:
    response = client.post(LOGIN, {"username": "manager", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(actor=cast.manager, action=AuditAction.LOGIN).exists()


def test_wrong_password_is_refused_with_a_message(client: Client, cast) -> None:
    client.cookies["bakti_language"] = "en"
    response = client.post(LOGIN, {"username": "manager", "password": "wrong-password"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_login_goes_to_a_safe_next_page_only(client: Client, cast) -> None:
    response = client.post(
        LOGIN, {"username": "manager", "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response.url == "/accounts/profile/"
    client.logout()
    response = client.post(
        LOGIN, {"username": "manager", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:home")


def test_logout_needs_a_post_and_ends_the_session(client: Client, cast) -> None:
    client.force_login(cast.manager)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client: Client, cast) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "manager", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "manager", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert client.get(reverse("core:home")).status_code == 302


def test_four_failures_do_not_lock_and_a_success_resets_the_count(client: Client, cast) -> None:
    for _attempt in range(4):
        client.post(LOGIN, {"username": "manager", "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "manager", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    for _attempt in range(4):
        client.post(LOGIN, {"username": "manager", "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "manager", "password": PASSWORD}).status_code == 302


def test_a_lock_on_one_user_does_not_lock_another(client: Client, cast) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "manager", "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "officer", "password": PASSWORD}).status_code == 302
