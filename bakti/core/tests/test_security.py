"""The security baseline: check --deploy is clean, CSP forbids inline scripts, pages have none."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from conftest import PASSWORD

PROJECT = Path(__file__).resolve().parents[3]


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "PYTEST_VERSION",
            "BAKTI_TESTING",
            "BAKTI_DEBUG",
            "BAKTI_INSECURE_HTTP",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests, never in production
        }
        and not key.startswith("PYTEST_")
    }
    env.update(
        BAKTI_SECRET_KEY=secrets.token_urlsafe(64),
        BAKTI_ALLOWED_HOSTS="bakti.dinsos.example.id",
        BAKTI_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="bakti.settings",
    )
    return env


def test_check_deploy_is_clean_with_debug_off(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_settings_are_strict(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.TESTING)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["False", "True", "True", "True", "True", "False"], done.stderr


def test_every_page_carries_a_csp_without_inline_scripts(client: Client, db) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


PAGES = [
    "/",
    "/accounts/profile/",
    "/accounts/tokens/",
    "/accounts/two-factor/",
    "/accounts/password/change/",
    "/privacy/audit/",
    "/privacy/access/",
]
ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/complete/",
    "/accounts/password/reset/MQ/bad-token/",
]


def assert_no_inline_script(url: str, html: str) -> None:
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if 'type="application/json"' in attributes:
            continue
        assert "src=" in attributes and not body.strip(), f"inline <script> on {url}"
    handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", html, re.I)
    assert not handlers, f"inline event handler on {url}: {handlers[:3]}"
    for asset in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert asset.startswith("/"), f"{url} loads {asset} from another site"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_public_pages_have_no_inline_script(client: Client, db, url: str) -> None:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert_no_inline_script(url, response.content.decode())


@pytest.mark.parametrize("url", PAGES)
def test_logged_in_pages_have_no_inline_script(client: Client, cast, url: str) -> None:
    client.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 200
    assert_no_inline_script(url, response.content.decode())


def test_lockout_page_has_no_inline_script(client: Client, cast) -> None:
    for _attempt in range(6):
        response = client.post("/accounts/login/", {"username": "auditor", "password": "x"})
    assert response.status_code == 429
    assert_no_inline_script("lockout", response.content.decode())


def test_forms_are_protected_against_csrf(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 403
