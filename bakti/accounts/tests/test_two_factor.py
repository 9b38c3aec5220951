"""Two-factor login with an authenticator app (TOTP)."""

from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or ``steps_ahead`` periods from now)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + steps_ahead,
    )
    return str(value).zfill(device.digits)


def set_up_two_factor(client: Client) -> TOTPDevice:
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=page.context["user"], confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_setting_up_needs_a_right_code(client: Client, cast) -> None:
    client.force_login(cast.manager)
    client.cookies["bakti_language"] = "en"
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.manager, confirmed=True).exists()


def test_with_a_device_login_needs_the_code(client: Client, cast) -> None:
    client.force_login(cast.manager)
    device = set_up_two_factor(client)
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert response.url == "/accounts/login/verify/"
    # The password alone does not log in.
    assert client.get("/").status_code == 302
    # The code of the next period (inside the allowed drift) was not used at set-up.
    response = client.post("/accounts/login/verify/", {"token": code_for(device, 1)})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["user"].is_verified()


def test_a_wrong_code_does_not_log_in(client: Client, cast) -> None:
    client.force_login(cast.manager)
    device = set_up_two_factor(client)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    client.cookies["bakti_language"] = "en"
    wrong = "000000" if code_for(device, 1) != "000000" else "111111"
    response = client.post("/accounts/login/verify/", {"token": wrong})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_verify_page_without_a_password_step_goes_back_to_login(client: Client, cast) -> None:
    response = client.get("/accounts/login/verify/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"


def test_two_factor_can_be_turned_off(client: Client, cast) -> None:
    client.force_login(cast.manager)
    set_up_two_factor(client)
    assert client.post("/accounts/two-factor/disable/").status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.manager).exists()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert response.url == "/"


def test_two_factor_pages_ask_anonymous_visitors_to_log_in(client: Client, db) -> None:
    assert client.get("/accounts/two-factor/").url.startswith("/accounts/login/")
    assert client.post("/accounts/two-factor/disable/").url.startswith("/accounts/login/")


@override_settings(BAKTI_REQUIRE_2FA=True)
def test_required_two_factor_sends_administrators_to_set_it_up(client: Client, cast) -> None:
    client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    response = client.get("/privacy/audit/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/"
    set_up_two_factor(client)
    assert client.get("/privacy/audit/").status_code == 200


@override_settings(BAKTI_REQUIRE_2FA=True)
def test_required_two_factor_leaves_other_roles_alone(client: Client, cast) -> None:
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_without_the_setting_administrators_may_work_without_two_factor(
    client: Client, cast
) -> None:
    client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert client.get("/privacy/audit/").status_code == 200
