"""Hardening that no single app owns: security headers on every kind of response, sessions
that expire, upload limits, and every spreadsheet writer in the code base neutralising
formulas. (check --deploy and the CSP are tested in bakti/core/tests/test_security.py.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

BAKTI = Path(__file__).resolve().parents[2] / "bakti"

EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/lapor/", "/api/v1/openapi.json", "/healthz", "/no-such-page/"]
)
def test_public_responses_carry_the_security_headers(client: Client, db, url):
    response = client.get(url)
    for header, value in EXPECTED_HEADERS.items():
        assert response.headers.get(header) == value, (url, header)
    if "html" in response.headers.get("Content-Type", ""):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_logged_in_pages_and_the_api_carry_the_security_headers(client: Client, cast):
    client.force_login(cast.manager)
    for url in ["/", "/registry/people/", "/api/v1/me"]:
        response = client.get(url)
        assert response.status_code == 200, url
        for header, value in EXPECTED_HEADERS.items():
            assert response.headers.get(header) == value, (url, header)


def test_sessions_expire_after_a_working_day_and_when_the_browser_closes(client: Client, cast):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    client.force_login(cast.manager)
    assert 0 < client.session.get_expiry_age() <= 12 * 3600
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_request_bodies_kept_in_memory_are_bounded():
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 20 * 1024 * 1024
    assert 0 < settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 20 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


# Writers of spreadsheet files that do not go through bakti.core.exports.export_response.
# Each must neutralise what it writes (bakti.core.spreadsheet_safety.neutralise, or the
# export helpers that call it). Files that only write fixed text are listed with the reason.
FIXED_TEXT_ONLY = {
    "registry/importing/sample.py": "generates sample data for tests and benchmarks",
    "registry/importing/views.py": "writes the fixed column names of the import template",
}
# bakti/bench generates benchmark data sets, never a user's export.
WRITERS = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(")
NEUTRALISED = re.compile(r"neutralise|_xlsx_cell|_csv_cell|spreadsheet_safety|export_response")


def test_every_spreadsheet_writer_neutralises_formulas():
    unsafe = []
    for path in sorted(BAKTI.rglob("*.py")):
        relative = path.relative_to(BAKTI).as_posix()
        if relative.startswith(("bench/", "tests/")) or "/tests/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        checked = relative not in FIXED_TEXT_ONLY and relative != "core/exports.py"
        if checked and WRITERS.search(text) and not NEUTRALISED.search(text):
            unsafe.append(relative)
    assert not unsafe, f"these modules write CSV/XLSX without neutralising formulas: {unsafe}"
