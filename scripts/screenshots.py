"""Screenshots for the user guides that no browser journey takes.

The journeys in tests/e2e/ save most pictures in docs/screenshots/. This script adds the pages
of the roles they do not visit (the department head's portfolio, the partner's referrals, the
auditor's audit trail, the administrator's user page), logging in as the demo users through the
real login form, in the Indonesian interface. It writes only files named ``guide-*.png``, so it
never replaces a journey's picture.

Run it against a Bakti serving the demo data, for example:

    BAKTI_VAR_DIR=/tmp/shots .venv/bin/bakti run --port 8123 &
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8123

Playwright uses Debian's chromium (/usr/bin/chromium); it downloads no browser.
"""

import argparse
import io
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
MAX_HEIGHT = 2400

# (file name, demo user, path, what the guides say it shows)
SHOTS = [
    ("guide-portfolio-head", "kadis", "/reports/", "the portfolio dashboard"),
    ("guide-referrals-partner", "mitra", "/cases/referrals/inbox/", "a partner's referrals"),
    ("guide-audit-trail", "auditor", "/privacy/audit/", "the audit trail"),
    ("guide-access-log", "auditor", "/privacy/access/", "the access log"),
    ("guide-admin-user", "admin", "/admin/accounts/user/", "the administrator's user list"),
]


def save(page, name: str) -> Path:
    if not name.startswith("guide-"):
        raise ValueError(f"{name}: this script writes guide-*.png only")
    page.wait_for_load_state("networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    options = {"full_page": True, "animations": "disabled", "caret": "hide"}
    if height > MAX_HEIGHT:
        options["clip"] = {"x": 0, "y": 0, "width": DESKTOP["width"], "height": MAX_HEIGHT}
    data = page.screenshot(**options)
    try:
        from PIL import Image

        picture = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            buffer, format="PNG", optimize=True
        )
        data = buffer.getvalue()
    except ImportError:  # Pillow comes with WeasyPrint
        pass
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(data)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a Bakti with demo data")
    parser.add_argument("--password", default=os.environ.get("BAKTI_DEMO_PASSWORD", "bakti-demo"))
    parser.add_argument("--only", nargs="*", help="file names to take (default: all)")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for name, username, path, what in SHOTS:
                if args.only and name not in args.only:
                    continue
                context = browser.new_context(viewport=DESKTOP, locale="id-ID")
                page = context.new_page()
                page.goto(f"{base}/accounts/login/?next={path}")
                page.fill("#id_username", username)
                page.fill("#id_password", args.password)
                page.click("form:has(#id_username) button[type=submit]")
                page.wait_for_url(f"{base}{path}*")
                print(f"{save(page, name).relative_to(ROOT)}: {what} ({username})")
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
