"""Every page and every API operation, requested as every role of the cast: the status code is
the one the policy gives (``tests/security/matrix.py``), and no response — HTML, JSON, CSV,
XLSX or PDF, plain, searched for the leak markers or exported — contains a record outside the
role's scope. A route without an entry in the matrix fails the test, naming the route.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from bakti.accounts.access import has
from bakti.api import api as ninja_api

from .matrix import (
    ADMIN,
    API,
    LOGIN,
    OTHER_DIVISION,
    OTHER_DIVISION_ROLES,
    PAGES,
    PUBLIC,
    SUPERUSER,
    Route,
)
from .world import ROLES, World

MARKER_PREFIX = "ZZLEAK"
# Pages some of the lists filter with; unknown parameters are ignored.
SEARCH = {"q": MARKER_PREFIX, "search": MARKER_PREFIX}
# Lists where a role in scope must find the kecamatan-B record (so the leak check can see
# leaks at all): route -> marker text.
SHOWS = {
    "registry:person_list": "ZZLEAK-B-PERSON-7731",
    "registry:search": "ZZLEAK-B-PERSON-7731",
    "community:ticket_list": "@ticket_b_code",
    "delivery:event_list": "ZZLEAK-B-EVENT-7731",
    "delivery:worker_list": "ZZLEAK-B-WORKER-7731",
    "cases:case_list": "ZZLEAK-B-REFERRED-7731",
    "delivery:round_pdf": "ZZLEAK-B-ROUND-7731",
    "delivery:delivery_list": "ZZLEAK-B-PERSON-7731",
    "registry:enrolment_list": "ZZLEAK-B-PERSON-7731",
    "community:meeting_list": "ZZLEAK-B-MEETING-7731",
    "GET /api/v1/registry/persons": "ZZLEAK-B-PERSON-7731",
    "GET /api/v1/feedback/tickets": "@ticket_b_raw_code",
}
SHOWN_TO = ("manager", "field_worker_b", "dpo")
# Routes where a role of SHOWN_TO rightly finds nothing: the data protection officer is no
# caseworker, supervisor or auditor of cases.
NOT_SHOWN = {"dpo": {"cases:case_list"}}
# URL patterns of the API that are pages, not operations of its schema.
API_PAGES = ("api:openapi-json", "api:openapi-view", "api:api-root", "api:not-found")


# --- enumerating the routes -------------------------------------------------------------


def url_patterns() -> Iterator[tuple[str, str]]:
    """(name, route) of every URL pattern, walking includes (namespaces joined by ':')."""
    for name, route, _kwargs in _url_patterns():
        yield name, route


def _url_patterns() -> Iterator[tuple[str, str, list[str]]]:
    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Any]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                kwargs = list(resolver.pattern.regex.groupindex) + list(p.pattern.regex.groupindex)
                route = prefix + str(p.pattern)
                name = p.name or f"<unnamed {route}>"
                yield (f"{namespace}:{name}" if namespace else name), route, kwargs

    yield from walk(get_resolver(), "/", "")


def api_operations() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


def _api_key(method: str, path: str) -> str:
    return f"{method} {path}"


def page_routes() -> list[tuple[str, str]]:
    """The pages (everything but the API operations, which come from the schema)."""
    return [
        (name, route)
        for name, route in url_patterns()
        if not name.startswith("api:") or name in API_PAGES
    ]


def entry_for(name: str) -> Route | None:
    if name in PAGES:
        return PAGES[name]
    return ADMIN if name.startswith("admin:") else None


def test_every_page_has_a_matrix_entry():
    missing = sorted({f"{name} ({route})" for name, route in page_routes() if not entry_for(name)})
    assert not missing, "Pages without a scope-matrix entry (add them to PAGES):\n" + "\n".join(
        missing
    )
    names = {name for name, _route in page_routes()}
    stale = sorted(set(PAGES) - names)
    assert not stale, "Matrix entries for pages that no longer exist:\n" + "\n".join(stale)


def test_every_api_operation_has_a_matrix_entry():
    ops = {_api_key(m, p) for m, p in api_operations()}
    missing = sorted(ops - set(API))
    assert not missing, "API operations without a scope-matrix entry (add them to API):\n" + (
        "\n".join(missing)
    )
    stale = sorted(set(API) - ops)
    assert not stale, "Matrix entries for API operations that no longer exist:\n" + "\n".join(stale)
    # Every API URL pattern is an operation of the schema (none hidden from it).
    paths = {p for _m, p in api_operations()}
    for name, route in url_patterns():
        if name.startswith("api:") and name not in API_PAGES:
            as_schema = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            assert as_schema in paths, f"API route {route} ({name}) is not in the schema"


# --- the data -----------------------------------------------------------------------------


def _fingerprint_sql() -> str:
    """One query summing up every table: row counts, versions and last updates. A write that
    changes nothing leaves it alone. Sessions, the access log and login attempts are expected
    to change with any request and are left out."""
    skip = {"django_session", "privacy_accesslog"}
    parts = []
    for model in apps.get_models():
        table = model._meta.db_table
        if table in skip or table.startswith("axes_") or not model._meta.managed:
            continue
        fields = {f.column for f in model._meta.concrete_fields}
        exprs = ["COUNT(*)"]
        if "version" in fields:
            exprs.append('SUM("version")')
        if "updated_at" in fields:
            exprs.append('MAX("updated_at")')
        joined = " || ',' || ".join(exprs)
        parts.append(f'(SELECT {joined} FROM "{table}")')  # noqa: S608 - model tables
    return "SELECT " + ", ".join(parts)


_FINGERPRINT: list[str] = []


def fingerprint() -> tuple[Any, ...]:
    if not _FINGERPRINT:
        _FINGERPRINT.append(_fingerprint_sql())
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT[0])
        return tuple(cursor.fetchone())


# --- building requests --------------------------------------------------------------------


def _value(world: World, spec: str) -> str:
    if spec.startswith("="):
        return spec[1:]
    key, _, attr = spec.partition(".")
    obj = world.objects[key]
    return str(getattr(obj, attr) if attr else obj.pk)


QUERY = "?"  # an args key: a query string naming objects, as "person={person_b}"
PLAIN_QUERY = "?plain"  # the same, but the objects it names do not decide the status


def _objects_of(args: dict[str, str]) -> list[str]:
    keys = [
        spec.partition(".")[0]
        for name, spec in args.items()
        if not spec.startswith("=") and not name.startswith(QUERY)
    ]
    return keys + re.findall(r"\{(\w+)\}", args.get(QUERY, ""))


def _query(world: World, template: str) -> str:
    pks = {key: obj.pk for key, obj in world.objects.items() if hasattr(obj, "pk")}
    return template.format(**pks)


def expected(world: World, route: Route, role: str, args: dict[str, str], api: bool) -> set[int]:
    user = world.user(role)
    if route.cap == PUBLIC:
        return set(route.ok)
    if user is None:
        return {401} if api else {302}
    if route.cap == SUPERUSER:
        return set(route.ok) if user.is_superuser else {302}
    holds = any(has(user, cap) for cap in route.cap.split("|"))
    if route.cap != LOGIN and not user.is_superuser and not holds:
        if not api:
            return {403}
        # The API refuses a role without the capability with 403, as the pages do (a record
        # out of scope stays 404, below). It checks a body before the view runs, so an invalid
        # one may be refused first (422). ``expect`` names a user reaching it through a link
        # instead (a partner user's own organisation).
        if role in route.expect:
            return set(route.expect[role])
        return {403} | ({422} if route.method != "GET" else set())
    division = role in OTHER_DIVISION_ROLES and route.cap in OTHER_DIVISION
    if division and set(_objects_of(args)) & world.division_b:
        writes = api and route.method != "GET"
        return {OTHER_DIVISION[route.cap]} | ({422} if writes else set())
    for key in _objects_of(args):
        if role not in world.visible[key] and not user.is_superuser:
            return {404} | ({422} if api and route.method != "GET" else set())
    if role in route.expect:  # a role that sees the record but may not do this
        return set(route.expect[role])
    return set(route.ok)


# --- reading bodies -----------------------------------------------------------------------


def body_text(response: HttpResponse) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    kind = response.get("Content-Type", "")
    if raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(raw))
        text = "\n".join(p.extract_text() or "" for p in reader.pages)
        # Text extraction breaks lines anywhere; markers have no spaces.
        return raw.decode("latin-1") + "\n" + re.sub(r"\s+", "", text)
    if raw.startswith(b"PK") or "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells)
    text = raw.decode("utf-8", errors="replace")
    if "json" in kind:
        with contextlib.suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


# --- the matrix ---------------------------------------------------------------------------


class Run:
    def __init__(self, world: World, role: str) -> None:
        self.world = world
        self.role = role
        self.user = world.user(role)
        self.client = Client()
        self.failures: list[str] = []
        self.requests = 0
        self.forbidden = world.forbidden_for(role)
        self._login()

    def _login(self) -> None:
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)

    def request(
        self, label: str, route: Route, url: str, want: set[int], htmx: bool = False
    ) -> HttpResponse | None:
        self._login()
        writes = route.method != "GET"
        before = fingerprint() if writes else None
        self.requests += 1
        try:
            if route.method == "GET":
                response = self.client.get(url, headers={"HX-Request": "true"} if htmx else {})
            elif url.startswith("/api/"):
                response = self.client.generic(
                    route.method,
                    url,
                    b"{}" if route.method != "DELETE" else b"",
                    content_type="application/json",
                )
            else:
                response = self.client.post(url, {})
        except Exception as exc:  # a crash is a finding, reported with the rest
            self.failures.append(f"{label}: raised {type(exc).__name__}: {exc}")
            return None
        status = response.status_code
        if status not in want:
            self.failures.append(f"{label}: status {status}, expected {sorted(want)}")
        to_login = route.cap not in (PUBLIC, SUPERUSER) and self.user is None
        if status == 302 and want == {302} and to_login:
            login = resolve_url(settings.LOGIN_URL)
            if not response["Location"].startswith(login):
                self.failures.append(f"{label}: redirected to {response['Location']}, not login")
        acting = route.acts and status in route.ok and want == set(route.ok)
        if writes and not acting and fingerprint() != before:
            self.failures.append(f"{label}: an empty/invalid {route.method} changed data")
        if status >= 500:
            return response
        try:
            text = body_text(response)
        except Exception as exc:  # a crash while streaming the body is a finding too
            self.failures.append(f"{label}: reading the body raised {type(exc).__name__}: {exc}")
            return None
        response.scope_text = text  # type: ignore[attr-defined]
        allowed = {self.world.objects[key] for key in route.allows}
        for marker in self.forbidden:
            if marker.text in text and marker.text not in allowed:
                self.failures.append(
                    f"{label}: shows {marker.what} {marker.text} (outside {self.role}'s scope)"
                )
        return response

    def _mirrored(self, args: dict[str, str]) -> dict[str, str] | None:
        """``args`` with each kecamatan-B object swapped for its kecamatan-A twin (for field
        worker B, whose scope is the mirror of A's), or None when one has no twin."""
        mirrored, swapped = {}, False
        for name, spec in args.items():
            if name.startswith(QUERY) or spec.startswith("="):
                mirrored[name] = spec
                continue
            key, dot, attr = spec.partition(".")
            if not key.endswith("_b"):
                mirrored[name] = spec
                continue
            twin = key[:-2] + "_a"
            if twin not in self.world.objects:
                return None
            mirrored[name], swapped = twin + dot + attr, True
        return mirrored if swapped else None

    def route(self, key: str, route: Route, make_url: Any, api: bool) -> None:
        arg_sets = list(route.args)
        if self.role == "field_worker_b" and route.cap != PUBLIC:
            arg_sets += [m for m in map(self._mirrored, route.args) if m is not None]
        for args in arg_sets:
            try:
                kwargs = {
                    k: _value(self.world, v) for k, v in args.items() if not k.startswith(QUERY)
                }
                url = make_url(kwargs)
                templates = [route.query, args.get(QUERY, ""), args.get(PLAIN_QUERY, "")]
                query = "&".join(_query(self.world, t) for t in templates if t)
            except Exception as exc:
                self.failures.append(f"{key}: cannot build its URL from {args}: {exc}")
                continue
            base = url + (f"?{query}" if query else "")
            want = expected(self.world, route, self.role, args, api)
            label = f"{key} {route.method} {base} as {self.role}"
            response = self.request(label, route, base, want)
            if route.method != "GET" or response is None or response.status_code != 200:
                continue
            sep = "&" if "?" in base else "?"
            expected_text = self._shown(key)
            self._check_shown(key, base, response, expected_text)
            variants = []
            if route.lists:
                variants.append(urlencode(SEARCH))
            if route.export:
                for fmt in ("csv", "xlsx"):
                    variants.append(urlencode({"export": fmt}))
                    variants.append(urlencode({**SEARCH, "export": fmt}))
            for extra in variants:
                url = f"{base}{sep}{extra}"
                answer = self.request(f"{key} GET {url} as {self.role}", route, url, {200})
                self._check_shown(key, url, answer, expected_text)
            if route.lists:
                # The HTMX partial of the list (what the filters swap in) is read as well.
                url = f"{base}{sep}{urlencode(SEARCH)}"
                label = f"{key} GET {url} (htmx) as {self.role}"
                answer = self.request(label, route, url, {200}, htmx=True)
                self._check_shown(key, url, answer, expected_text)

    def _shown(self, key: str) -> str | None:
        """The in-scope record this role must find on this route (the positive control)."""
        if key not in SHOWS or self.role not in SHOWN_TO:
            return None
        if key in NOT_SHOWN.get(self.role, ()):
            return None
        text = SHOWS[key]
        return self.world.objects[text[1:]] if text.startswith("@") else text

    def _check_shown(self, key: str, url: str, response: Any, text: str | None) -> None:
        if text is None or response is None or response.status_code != 200:
            return
        if text not in response.scope_text:
            self.failures.append(f"{url} as {self.role}: does not show {text}, which is in scope")


def _order(key: str, route: Route) -> tuple[int, str]:
    """Routes whose empty POST acts (deletes, approvals, log-out) go last, so what they change
    does not disturb the others."""
    if "logout" in key:
        return (3, key)
    deletes = route.method == "DELETE" or any(w in key for w in ("delete", "remove"))
    return (2 if deletes else 1 if route.acts else 0, key)


@pytest.mark.parametrize("role", ROLES)
def test_scope_matrix(role: str, world: World, db: None) -> None:
    run = Run(world, role)
    work: list[tuple[str, Route, Any, bool]] = [
        (name, PAGES[name], lambda kw, name=name: reverse(name, kwargs=kw), False)
        for name, _route in page_routes()
        # Pages without an entry fail test_every_page_has_a_matrix_entry.
        if name in PAGES
    ]
    ops = {_api_key(m, p) for m, p in api_operations()}
    for key, route in API.items():
        if key not in ops:
            continue  # reported by test_every_api_operation_has_a_matrix_entry
        path = key.split(" ", 1)[1]

        def make(kw: dict[str, str], path: str = path) -> str:
            return re.sub(r"\{(\w+)\}", lambda m: kw[m.group(1)], path)

        work.append((key, route, make, True))
    with translation.override("en"):
        for key, route, make, api in sorted(work, key=lambda item: _order(item[0], item[1])):
            run.route(key, route, make, api=api)
    assert run.requests > len(PAGES)
    assert not run.failures, f"{len(run.failures)} problems as {role}:\n" + "\n".join(run.failures)


@pytest.mark.parametrize("role", ("anonymous", "field_worker_a", "manager", "superuser"))
def test_admin_only_for_superusers(role: str, world: World, db: None) -> None:
    """The Django admin, as one family: superusers get in, everyone else goes to its login."""
    run = Run(world, role)
    seen = 0
    for name, _route, kwargs in _url_patterns():
        if entry_for(name) is not ADMIN or "<unnamed" in name:
            continue
        if role == "superuser" and not (name.endswith("_changelist") or name == "admin:index"):
            continue  # the positive control: the superuser gets the index and every list
        values = {k: "accounts" if k == "app_label" else "0" for k in kwargs}
        path = reverse(name, kwargs=values)
        want = expected(world, ADMIN, role, {}, api=False)
        response = run.request(f"{name} GET {path} as {role}", ADMIN, path, want)
        seen += 1
        redirected = response is not None and response.status_code == 302 and role != "superuser"
        if redirected and not response["Location"].startswith(reverse("admin:login")):
            run.failures.append(f"{name} as {role}: redirected to {response['Location']}")
    assert seen > 10
    assert not run.failures, "\n".join(run.failures)
