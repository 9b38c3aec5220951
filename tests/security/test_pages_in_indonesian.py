"""The main pages, rendered in Indonesian for several roles over the scope matrix's data, show
no English interface text: no text (or placeholder, title, label) that is an English source
string our catalogues translate, and none of the common English interface words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .matrix import PAGES, PUBLIC
from .world import World

# Interface words that must never be shown as such in Indonesian.
ENGLISH_WORDS = {
    "Filter",
    "Search",
    "Export",
    "Save",
    "Cancel",
    "Edit",
    "Delete",
    "Add",
    "Back",
    "Next",
    "Previous",
    "Download",
    "Actions",
    "Details",
}
# Text that is right in any language: the language switcher names each language in its own;
# names of the matrix's records (a case type, an API token).
ANY_LANGUAGE = {"English", "Bahasa Indonesia", "Scope", "scope"}
# Codes of records ("referral", a complaint category) are data, whatever their language.
IDENTIFIER = re.compile(r"[a-z_]+")
# Pages whose text shows recorded data verbatim (the audit trail's field names).
DATA_PAGES = {"privacy:audit_list", "privacy:access_list"}
# Not read as interface text: scripts, styles and code (formula variables are identifiers).
SKIPPED = ("script", "style", "code")
ROLES = ("manager", "admin", "dpo", "partner", "field_worker_b")


class _Text(HTMLParser):
    """The text a person reads: text nodes and the attributes shown or read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.nodes.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def _translated_english() -> set[str]:
    """English source strings that Bakti's Indonesian catalogues translate to something else."""
    found = set()
    for po in Path(settings.BASE_DIR).glob("**/locale/id/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po)):
            if not entry.obsolete and entry.msgstr and entry.msgstr != entry.msgid:
                found.add(entry.msgid)
    return found


def _urls(world: World, role: str) -> list[tuple[str, str]]:
    """(name, url) of every GET page without arguments, and, for the manager, the detail pages
    of the matrix's records."""
    from .test_scope_matrix import _value

    urls = []
    for name, route in PAGES.items():
        if route.cap == PUBLIC or route.method != "GET" or route.query:
            continue
        for args in route.args:
            if any(k.startswith("?") for k in args) or (args and role != "manager"):
                continue
            kwargs = {k: _value(world, v) for k, v in args.items()}
            urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


def _page_text(response: Any) -> list[str]:
    parser = _Text()
    parser.feed(response.content.decode())
    return parser.nodes


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_show_no_english_interface_text(role: str, world: World, db: None) -> None:
    english = _translated_english()
    users = [*world.cast.all_users().values(), world.user("dpo")]
    names = {u.full_name for u in users} | {u.username for u in users}
    user = world.user(role)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    client.force_login(user)
    problems, seen = [], 0
    for name, url in _urls(world, role):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        for text in _page_text(response):
            if text in ANY_LANGUAGE or text in names or IDENTIFIER.fullmatch(text):
                continue
            if text in ENGLISH_WORDS or (text in english and name not in DATA_PAGES):
                problems.append(f"{url} ({name}): {text!r}")
    assert seen > 5
    assert not problems, f"English text on Indonesian pages as {role}:\n" + "\n".join(
        sorted(set(problems))
    )


def test_the_check_finds_english_text(world: World, db: None) -> None:
    """The check itself: the same list page in English shows the words it looks for."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.user("manager"))
    text = _page_text(client.get(reverse("programs:program_list")))
    assert "Filter" in text
    assert set(text) & _translated_english()
