"""Read a page's form the way a browser submits it, and the "changed by someone else" table."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = []
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            self._options = []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._options.append((a.get("value", ""), "selected" in a))
            self._text = []
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            self._fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def form_data(page: str, marker: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields of the first POST form on ``page`` that carries a ``version`` (and, with
    ``marker``, those name=value pairs), as a browser would submit them."""
    parser = _Forms()
    parser.feed(page)
    for fields in parser.forms:
        names = {name for name, _value in fields}
        if "version" not in names:
            continue
        if marker and not all((k, v) in fields for k, v in marker.items()):
            continue
        data: dict[str, Any] = {}
        for name, value in fields:
            if name in data:
                data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]])]
                data[name].append(value)
            else:
                data[name] = value
        return data
    raise AssertionError("no form with a version field on the page")


ROW = re.compile(
    r'<tr data-field="(?P<field>[^"]+)"><th scope="row">(?P<label>.*?)</th>'
    r'<td class="stale-saved">(?P<saved>.*?)</td><td class="stale-mine">(?P<mine>.*?)</td></tr>',
    re.S,
)


def stale_rows(page: str) -> dict[str, tuple[str, str]]:
    """The "changed by someone else" table: field → (their saved value, your value)."""
    return {
        m["field"]: (html.unescape(m["saved"]), html.unescape(m["mine"]))
        for m in ROW.finditer(page)
    }
