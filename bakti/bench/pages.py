"""Page figures: p50/p95 through the real HTTP stack, SQL queries per page, and a floor.

* Timing: a gunicorn (2 sync workers) on a loopback port, serving the bench database; the
  manager's session cookie; ``requests`` GETs per page after a few warm-up requests.
* Queries: the same URL through Django's test client in this process, counted with
  ``CaptureQueriesContext`` (separately from the timing).
* Floor: the raw SQL aggregate the page needs (written per page below), timed the same number of
  times: what the database alone costs.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]
# Time per page after which the requests stop (at least MIN_REQUESTS are always made); the
# number actually made is in the results. Raise it on a quiet machine.
PAGE_BUDGET_SECONDS = float(os.environ.get("BAKTI_BENCH_PAGE_SECONDS", "60"))
MIN_REQUESTS = 5


@dataclass
class Page:
    name: str
    url: str
    floor_sql: str
    floor_params: list[Any]


def _table(app_model: str) -> str:
    from django.apps import apps

    return connection.ops.quote_name(apps.get_model(app_model)._meta.db_table)


def pages_for(program: Any, nik: str, name: str, desa: str, year: int) -> list[Page]:
    """The pages of issue 9 and the SQL each needs at least."""
    from django.core.management import call_command

    from bakti.reports.data import quarter_of
    from bakti.reports.rollups import ALL, PROGRAM, quarter_number

    # The pages are served by the code as it is now; in a checkout that moved on since the run
    # started, bring the schema up to it first (a no-op otherwise).
    call_command("migrate", verbosity=0, interactive=False)

    household = _table("registry.Household")
    person = _table("registry.Person")
    result = _table("monitoring.IndicatorResult")
    indicator = _table("programs.Indicator")
    line = _table("finance.BudgetLine")
    spent = _table("finance.Expenditure")
    fiscal = _table("finance.FiscalYear")
    period = quarter_of(program.start_date.replace(year=max(program.start_date.year, year)))
    tally = _table("reports.ReachTally")
    # What the dashboards read: the tally of people reached this year up to the quarter, by
    # attribute (all programs, and per program).
    reached = (
        f"SELECT ref, dimension, code, SUM(n) FROM {tally} WHERE scope = %s AND year = %s "
        "AND period <= %s AND dimension IN ('total', 'sex', 'disability', 'born', 'desa') "
        "{where} GROUP BY ref, dimension, code"
    )
    quarter = quarter_number(period.end)
    page_of_households = (
        f"SELECT COUNT(*) FROM {household} h WHERE {{where}}; "
        f"SELECT h.id, h.no_kk, h.region_id, (SELECT COUNT(*) FROM {person} m "
        f"WHERE m.household_id = h.id) FROM {household} h WHERE {{where}} "
        "ORDER BY h.region_id, h.id LIMIT 25"
    )
    return [
        Page(
            "portfolio",
            "/reports/",
            reached.format(where="") + "; " + reached.format(where=""),
            [ALL, period.end.year, quarter, PROGRAM, period.end.year, quarter],
        ),
        Page(
            "program",
            f"/reports/programs/{program.pk}/",
            reached.format(where="AND ref = %s"),
            [PROGRAM, period.end.year, quarter, program.pk],
        ),
        Page(
            "registry_nik",
            f"/registry/?q={nik}",
            page_of_households.format(
                where=f"h.id IN (SELECT household_id FROM {person} WHERE nik = %s)"
            ),
            [nik, nik],
        ),
        _name_page(name, person, page_of_households),
        Page(
            "registry_region",
            f"/registry/?region={desa}",
            page_of_households.format(where="h.region_id = %s"),
            [desa, desa],
        ),
        Page(
            "tracking",
            f"/monitoring/programs/{program.pk}/tracking/",
            f"SELECT r.indicator_id, COUNT(*), MAX(r.period_end), SUM(r.value) "
            f"FROM {result} r JOIN {indicator} i ON i.id = r.indicator_id "
            "WHERE i.program_id = %s GROUP BY r.indicator_id",
            [program.pk],
        ),
        Page(
            "budget_vs_actual",
            "/finance/absorption/",
            f"SELECT e.date, SUM(e.amount_idr) FROM {spent} e "
            f"JOIN {line} l ON l.id = e.line_id JOIN {fiscal} f ON f.id = l.fiscal_year_id "
            "WHERE f.year = %s GROUP BY e.date; "
            f"SELECT SUM(l.amount) FROM {line} l JOIN {fiscal} f ON f.id = l.fiscal_year_id "
            "WHERE f.year = %s",
            [year, year],
        ),
    ]


def _name_page(name: str, person: str, page_of_households: str) -> Page:
    """Search by name through the index the schema has for it (migration registry 0003): the
    full-text table on SQLite, the trigram index on ``UPPER(full_name)`` on PostgreSQL, one
    ``LIKE`` per word as the page asks it."""
    url = "/registry/?q=" + name.replace(" ", "+")
    words = name.split()
    if connection.vendor == "sqlite":
        fts = "registry_person_name"
        match = " ".join(f'"{word}"*' for word in words)
        where = (
            f"h.id IN (SELECT household_id FROM {person} WHERE id IN "
            f"(SELECT rowid FROM {fts} WHERE {fts} MATCH %s))"
        )
        return Page("registry_name", url, page_of_households.format(where=where), [match, match])
    likes = " AND ".join(["UPPER(full_name) LIKE %s"] * len(words))
    where = f"h.id IN (SELECT household_id FROM {person} WHERE {likes})"
    params = [f"%{word.upper()}%" for word in words]
    return Page("registry_name", url, page_of_households.format(where=where), params + params)


def _floor_once(page: Page) -> None:
    statements = [s.strip() for s in page.floor_sql.split(";") if s.strip()]
    params = list(page.floor_params)
    with connection.cursor() as cursor:
        for sql in statements:
            count = sql.count("%s")
            cursor.execute(sql, params[:count])
            params = params[count:]
            cursor.fetchall()


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the bench database on a loopback port."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.port = _free_port()
        self.log = log.open("w")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "bakti.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "300",
            ],
            env={**env, "BAKTI_INSECURE_HTTP": "1"},
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start within 2 minutes")

    def wait_until_serving(self, timeout: float = 120) -> None:
        """Until a worker answers: the socket opens before the workers have booted (and a
        worker boots with the PDF libraries loaded, see bakti.reports.warmup)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.get("/healthz", "")  # any answer: a worker is serving
                return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 2 minutes")

    def get(self, url: str, cookie: str) -> tuple[int, float, int]:
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, time.perf_counter() - start, len(body)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def logged_in(user: Any) -> tuple[Any, str]:
    """A test client logged in as ``user``, and the same session as a cookie header for HTTP."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return client, cookie


def measure_pages(
    pages: list[Page],
    user: Any,
    env: dict[str, str],
    log: Path,
    *,
    requests: int = 50,
    warmup: int = 3,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    client, cookie = logged_in(user)
    results: dict[str, Any] = {}
    # Query counts, in process.
    for page in pages:
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.url)
        except Exception as error:  # recorded; the other pages are still measured
            results[page.name] = {"url": page.url, "status": 500, "queries": None}
            results[page.name]["error"] = f"{type(error).__name__}: {error}"
            continue
        results[page.name] = {
            "url": page.url,
            "status": response.status_code,
            "queries": len(queries.captured_queries),
        }
        if response.status_code != 200:
            # Recorded, and the other pages still measured.
            results[page.name]["error"] = f"answered {response.status_code} to the manager"
    pages = [page for page in pages if results[page.name]["status"] == 200]
    # Floors, in process.
    for page in pages:
        samples = []
        for _n in range(warmup):
            _floor_once(page)
        for _n in range(requests):
            start = time.perf_counter()
            _floor_once(page)
            samples.append(time.perf_counter() - start)
        results[page.name]["floor_ms"] = _percentiles(samples)["p50_ms"]
    # Timing, through HTTP.
    server = Server(env, log)
    try:
        for page in pages:
            say(f"  {page.name}: {requests} requests")
            for _n in range(warmup):
                server.get(page.url, cookie)
            samples, sizes = [], []
            deadline = time.monotonic() + PAGE_BUDGET_SECONDS
            for n in range(requests):
                if n >= MIN_REQUESTS and time.monotonic() > deadline:
                    break  # a very slow page on a busy machine: fewer samples, recorded below
                status, seconds, size = server.get(page.url, cookie)
                if status != 200:
                    results[page.name]["error"] = f"answered {status} over HTTP"
                    break
                samples.append(seconds)
                sizes.append(size)
            if not samples:
                continue
            results[page.name].update(_percentiles(samples))
            results[page.name]["requests"] = len(samples)
            results[page.name]["bytes"] = sizes[-1]
    finally:
        server.stop()
    return results
