"""Changing a password, and resetting a forgotten one by e-mail."""

import re

from django.test import Client

from conftest import PASSWORD

NEW_PASSWORD = "Another-long-passphrase-42"


def test_password_change_needs_the_old_password_and_a_strong_new_one(client: Client, cast) -> None:
    client.force_login(cast.manager)
    client.cookies["bakti_language"] = "en"
    url = "/accounts/password/change/"
    assert client.get(url).status_code == 200
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    wrong_old = client.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old password was entered incorrectly" in wrong_old.content.decode()
    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.check_password(NEW_PASSWORD)


def test_password_change_asks_anonymous_visitors_to_log_in(client: Client, db) -> None:
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client: Client, cast, mailoutbox
) -> None:
    cast.manager.email = "manager@dinsos.example.id"
    cast.manager.save(update_fields=["email"])
    response = client.post("/accounts/password/reset/", {"email": "manager@dinsos.example.id"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["manager@dinsos.example.id"]
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert (
        client.post(
            "/accounts/login/", {"username": "manager", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client: Client, cast, mailoutbox
) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.id"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_a_used_reset_link_does_not_work_again(client: Client, cast, mailoutbox) -> None:
    cast.manager.email = "manager@dinsos.example.id"
    cast.manager.save(update_fields=["email"])
    client.post("/accounts/password/reset/", {"email": "manager@dinsos.example.id"})
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body).group(0)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False
