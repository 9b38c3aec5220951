"""Fixtures for browser journeys: Debian's chromium driven by Playwright (sync API) against
pytest-django's live server, with the shared cast created through the services.

Use them like this::

    pytestmark = pytest.mark.browser

    def test_something(live_server, live_cast, page, login):
        login(page, live_cast.manager)
        page.goto(live_server.url + "/programs/")

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``apt-get install
chromium``); the tests are skipped with a reason when it is missing.
"""

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD, Cast, make_cast

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path(os.environ.get("BAKTI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
PROJECT = Path(__file__).resolve().parents[2]
# The pictures of the guides are replaced only when asked (BAKTI_SCREENSHOTS=1): they show
# dates, so every run would change them, and a test run must not change the checkout. Otherwise
# they are still taken, into a scratch folder.
SCREENSHOTS = (
    PROJECT / "docs" / "screenshots"
    if os.environ.get("BAKTI_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "bakti-screenshots"
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A full-page screenshot stops at this height, so a long list does not make a huge file.
SHOT_MAX_HEIGHT = 2400


@pytest.fixture
def browser(transactional_db: None) -> Iterator[Any]:
    """A headless chromium for one test. Not one for the whole session: Playwright's sync API
    runs the test in a greenlet of its own, where Django's connection is a new object; the
    database must be set up for the test (and its reference data restored) before that."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install chromium`")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in the test thread; the tests' own database
    # calls (creating the cast, checking results) are ordinary synchronous ones. Only while
    # the browser is up, so the rest of the suite keeps Django's async-safety check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) with a desktop window."""
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def phone_context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile the size of a phone."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """Console errors about the Content-Security-Policy, collected by ``page``."""
    return []


@pytest.fixture
def page(browser_context: Any, csp_violations: list[str]) -> Any:
    page = browser_context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return page


@pytest.fixture
def live_cast(transactional_db: None) -> Cast:
    """The shared cast (``conftest.make_cast``) in the database the live server reads."""
    return make_cast()


@pytest.fixture
def login(live_server: Any) -> Callable[..., None]:
    """Log ``user`` in through the login form (``login(page, cast.manager)``)."""

    def log_in(page: Any, user: Any, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(user.get_username())
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{user} could not log in"

    return log_in


def save_screenshot(page: Any, name: str) -> Path | None:
    """Save a full-page PNG of ``page`` as ``docs/screenshots/<name>.png`` for the guides
    (with ``BAKTI_SCREENSHOTS=1``; otherwise into a scratch folder).

    The picture is reduced to a 256-colour palette (a screen of text and flat colours loses
    nothing visible and the file shrinks several times). Returns the path, or None when the
    folder cannot be written (a read-only checkout): screenshots never fail a journey."""
    page.wait_for_load_state()
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    options: dict[str, Any] = {"full_page": True, "animations": "disabled", "caret": "hide"}
    if height > SHOT_MAX_HEIGHT:
        options["clip"] = {"x": 0, "y": 0, "width": width, "height": SHOT_MAX_HEIGHT}
    data = page.screenshot(**options)
    try:
        from PIL import Image

        picture = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            buffer, format="PNG", optimize=True
        )
        data = buffer.getvalue()
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        pass
    path = SCREENSHOTS / f"{name}.png"
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError:
        return None
    return path


@pytest.fixture
def shot() -> Callable[[Any, str], Path | None]:
    """``shot(page, "programs-approve")`` saves ``docs/screenshots/programs-approve.png``."""
    return save_screenshot
