#!/usr/bin/env python3
"""A bounded load test: many logged-in demo users reading and writing at once, loopback only.

Either targets a running Bakti (``--target http://127.0.0.1:8000``, which must hold the demo
data) or starts its own: a throwaway PostgreSQL cluster (``initdb``/``pg_ctl``, as ``.ci/run``
does; or ``--database-url`` for an existing empty database), ``migrate``, ``bakti demo`` and
gunicorn with ``--workers`` workers, all on 127.0.0.1, all stopped at the end.

Each virtual user logs in through the real login form as one of the demo users (several
sessions per demo user), then loops until ``--duration`` is over over a weighted mix of pages:
dashboards, lists, detail pages, API calls, and writes (a case note, a ticket reply, an event
attendance, and a few public complaints, which the public form limits per address). Every
response is checked (reads: 200; form writes: a redirect, which the app gives only when the
write succeeded; API writes: 2xx). At the end it prints, per page, the count, the errors and the
p50/p95/p99 latency, and exits 1 on any error.

    .venv/bin/python scripts/loadtest.py --users 50 --duration 180 --workers 4

Only the standard library is used on the client side (urllib, threads).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Demo users whose role opens every page of the mix (the manager), and who write.
# (Narrower roles get a 403 on some pages, rightly; the scope matrix tests those.)
READERS = ["manajer"]
WRITERS = ["manajer"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLIC_REPORTS_PER_HOUR = 5  # the public form's limit per address (community.services)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            if error:
                self.errors[page].append(error)


class Session:
    """One logged-in browser: a cookie jar, no automatic redirects."""

    def __init__(self, base: str, stats: Stats, timeout: float) -> None:
        self.base = base
        self.stats = stats
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(  # noqa: S310 - the base URL is checked to be loopback
            self.base + path, data=body, method=method, headers=headers or {}
        )
        req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def csrf_token(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def timed(self, page: str, method: str, path: str, expect: tuple[int, ...], **kw) -> str:
        start = time.perf_counter()
        error = None
        text = ""
        try:
            status, text, headers = self.request(method, path, **kw)
            if status not in expect:
                where = headers.get("Location", "") if status in (301, 302, 303) else ""
                error = f"{method} {path}: HTTP {status} {where}".strip()
        except Exception as exc:  # a refused connection, a timeout: count it, go on
            error = f"{method} {path}: {type(exc).__name__}: {exc}"
        self.stats.add(page, time.perf_counter() - start, error)
        return text

    def login(self, username: str, password: str) -> bool:
        status, text, _ = self.request("GET", "/accounts/login/")
        match = CSRF.search(text)
        if status != 200 or not match:
            self.stats.add("login", 0.0, f"login page: HTTP {status}")
            return False
        start = time.perf_counter()
        status, _, headers = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password},
        )
        ok = status == 302 and "/login" not in headers.get("Location", "")
        self.stats.add(
            "login", time.perf_counter() - start, None if ok else f"login {username}: {status}"
        )
        return ok

    def form_post(self, page: str, form_path: str, post_path: str, data: dict) -> None:
        """Open the form page (for its CSRF token), post, expect the redirect of a success."""
        text = self.timed(page + " (form)", "GET", form_path, (200,))
        match = CSRF.search(text)
        token = match.group(1) if match else self.csrf_token()
        self.timed(page, "POST", post_path, (302, 303), data={"csrfmiddlewaretoken": token, **data})

    def api_ids(self, path: str) -> list[int]:
        status, text, _ = self.request("GET", path)
        if status != 200:
            return []
        body = json.loads(text)
        items = body.get("items", body) if isinstance(body, dict) else body
        return [item["id"] for item in items if isinstance(item, dict) and "id" in item]


@dataclass
class Plan:
    """The ids each kind of detail page and write uses, found through the API as each user."""

    cases: list[int]
    tickets: list[int]
    households: list[int]
    events: list[int]
    people: list[int]
    categories: list[int]


def discover(session: Session) -> Plan:
    people: list[int] = []
    households: list[int] = []
    status, text, _ = session.request("GET", "/api/v1/registry/households?limit=30")
    if status == 200:
        for item in json.loads(text).get("items", []):
            households.append(item["id"])
            if item.get("head_id"):
                people.append(item["head_id"])
    # The public form's categories, as its <select> offers them (the API shows codes only).
    status, text, _ = Session(session.base, session.stats, session.timeout).request(
        "GET", "/lapor/"
    )
    pattern = r'<select name="category".*?</select>'
    select = re.search(pattern, text, re.S) if status == 200 else None
    categories = [int(v) for v in re.findall(r'value="(\d+)"', select.group(0))] if select else []
    return Plan(
        cases=session.api_ids("/api/v1/cases/?limit=30"),
        tickets=session.api_ids("/api/v1/feedback/tickets?limit=30"),
        households=households,
        events=session.api_ids("/api/v1/delivery/events?limit=30"),
        people=people,
        categories=categories,
    )


READ_PAGES = [
    # (label, path, weight)
    ("dashboard", "/", 6),
    ("registry search", "/registry/", 3),
    ("people list", "/registry/people/", 4),
    ("enrolment list", "/registry/enrolments/", 2),
    ("program list", "/programs/", 3),
    ("case list", "/cases/", 4),
    ("ticket list", "/community/", 4),
    ("event list", "/delivery/events/", 2),
    ("delivery list", "/delivery/deliveries/", 2),
    ("monitoring", "/monitoring/", 2),
    ("finance overview", "/finance/", 2),
    ("reports", "/reports/", 1),
    ("api me", "/api/v1/me", 2),
    ("api households", "/api/v1/registry/households?limit=20", 3),
    ("api cases", "/api/v1/cases/?limit=20", 2),
    ("api programs", "/api/v1/programs/?limit=20", 2),
]
DETAIL_PAGES = [
    ("case detail", "/cases/{}/", "cases", 3),
    ("ticket detail", "/community/tickets/{}/", "tickets", 3),
    ("household detail", "/registry/households/{}/", "households", 3),
    ("event detail", "/delivery/events/{}/", "events", 1),
]


class PublicBudget:
    def __init__(self, count: int) -> None:
        self.left = count
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


def write(session: Session, plan: Plan, rng: random.Random, budget: PublicBudget) -> None:
    choice = rng.choices(["note", "reply", "attendance", "public"], weights=[4, 4, 3, 1])[0]
    stamp = f"load test {time.time():.3f}"
    if choice == "note" and plan.cases:
        pk = rng.choice(plan.cases)
        session.form_post(
            "write: case note", f"/cases/{pk}/", f"/cases/{pk}/do/note/", {"note-text": stamp}
        )
    elif choice == "reply" and plan.tickets:
        pk = rng.choice(plan.tickets)
        path = f"/community/tickets/{pk}/"
        session.form_post("write: ticket reply", path, path, {"form": "reply", "body": stamp})
    elif choice == "attendance" and plan.events and plan.people:
        pk = rng.choice(plan.events)
        session.form_post(
            "write: event attendance",
            f"/delivery/events/{pk}/",
            f"/delivery/events/{pk}/check-in/",
            {"person": rng.choice(plan.people), "status": "present"},
        )
    elif choice == "public" and plan.categories and budget.take():
        # The public form is anonymous: a separate cookie jar, no login.
        public = Session(session.base, session.stats, session.timeout)
        public.form_post(
            "write: public complaint",
            "/lapor/",
            "/lapor/",
            {
                "category": rng.choice(plan.categories),
                "description": f"Jalan rusak di depan balai desa ({stamp}).",
                "anonymous": "1",
            },
        )


def virtual_user(
    index: int, args: argparse.Namespace, base: str, stats: Stats, deadline: float, budget
) -> None:
    rng = random.Random(args.seed + index)
    writer = index % 3 == 0  # a third of the sessions also write
    username = WRITERS[index % len(WRITERS)] if writer else READERS[index % len(READERS)]
    session = Session(base, stats, args.timeout)
    try:
        if not session.login(username, args.password):
            return
        plan = discover(session)
    except Exception as exc:  # a timeout or a refused connection while logging in
        stats.add("login", 0.0, f"login {username}: {type(exc).__name__}: {exc}")
        return
    reads = [(label, path) for label, path, _ in READ_PAGES]
    read_weights = [w for *_, w in READ_PAGES]
    details = [(label, path, kind) for label, path, kind, _ in DETAIL_PAGES]
    detail_weights = [w for *_, w in DETAIL_PAGES]
    while time.monotonic() < deadline:
        roll = rng.random()
        if writer and roll < 0.3:
            write(session, plan, rng, budget)
        elif roll < 0.65:
            label, path = rng.choices(reads, weights=read_weights)[0]
            session.timed(label, "GET", path, (200,))
        else:
            label, path, kind = rng.choices(details, weights=detail_weights)[0]
            ids = getattr(plan, kind)
            if ids:
                session.timed(label, "GET", path.format(rng.choice(ids)), (200,))
        time.sleep(rng.uniform(0, args.think))


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(stats: Stats, elapsed: float) -> int:
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s), {errors} errors\n")
    print(f"{'page':32} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for page in sorted(stats.latencies):
        values = stats.latencies[page]
        p50, p95, p99 = (percentile(values, q) * 1000 for q in (50, 95, 99))
        print(
            f"{page:32} {len(values):>6} {len(stats.errors.get(page, [])):>6}"
            f" {p50:>8.0f} {p95:>8.0f} {p99:>8.0f}"
        )
    if errors:
        print("\nFirst errors:")
        shown = [e for page in sorted(stats.errors) for e in stats.errors[page][:3]]
        for error in shown[:20]:
            print("  " + error)
    return 1 if errors else 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """A throwaway PostgreSQL cluster and gunicorn, both on loopback; stopped on exit."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="bakti-load-"))
        self.pg_bin: Path | None = None
        self.gunicorn: subprocess.Popen | None = None
        self.env = dict(os.environ)

    def _as_postgres(self, command: list[str]) -> None:
        if os.geteuid() == 0:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(map(_quote, command))]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start_database(self) -> str:
        if self.args.database_url:
            return self.args.database_url
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not found:
            sys.exit("PostgreSQL not found: install postgresql-15 or pass --database-url")
        self.pg_bin = found[-1].parent
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
        port = free_port()
        data = self.tmp / "data"
        self._as_postgres(
            [
                str(self.pg_bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        options = (
            f"-p {port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
            " -c fsync=off -c synchronous_commit=off"
        )
        self._as_postgres(
            [
                str(self.pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.tmp / "pg.log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        )
        subprocess.run(
            [
                str(self.pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "bakti",
            ],
            check=True,
        )
        return f"postgres://postgres@127.0.0.1:{port}/bakti"

    def start(self) -> str:
        url = self.start_database()
        var = Path(self.args.var_dir) if self.args.var_dir else self.tmp / "var"
        var.mkdir(parents=True, exist_ok=True)
        self.env.update(
            BAKTI_DATABASE_URL=url,
            BAKTI_VAR_DIR=str(var),
            BAKTI_INSECURE_HTTP="1",
            BAKTI_DEBUG="0",
            BAKTI_DEMO_PASSWORD=self.args.password,
            BAKTI_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        )
        self.env.pop("BAKTI_TESTING", None)
        python = sys.executable
        print(f"migrate + demo data into {url} …", flush=True)
        commands = [["migrate", "--no-input", "-v0"]]
        if not (var / "static" / "staticfiles.json").exists():
            # Compressing every static file takes minutes on a small machine: keep --var-dir.
            commands.append(["collectstatic", "--no-input", "-v0"])
        for command in commands:
            subprocess.run([python, "manage.py", *command], cwd=PROJECT, env=self.env, check=True)
        if not self.args.database_url or self.args.load_demo:
            subprocess.run([python, "manage.py", "demo"], cwd=PROJECT, env=self.env, check=True)
        port = free_port()
        gunicorn = Path(python).with_name("gunicorn")
        # Load the app and its URLs once in the master (--preload with a hook), so the first
        # request of each worker does not import every module while the clock runs.
        config = self.tmp / "gunicorn.conf.py"
        config.write_text(
            "def when_ready(server):\n"
            "    from django.urls import get_resolver\n"
            "    get_resolver().url_patterns\n"
        )
        self.gunicorn = subprocess.Popen(
            [
                str(gunicorn),
                "bakti.wsgi:application",
                "--config",
                str(config),
                "--preload",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.args.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env=self.env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(base + "/healthz", timeout=2),  # noqa: S310
            ):
                return base
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer on /healthz")

    def stop(self) -> None:
        if self.gunicorn is not None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
        if self.pg_bin is not None:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._as_postgres(
                    [
                        str(self.pg_bin / "pg_ctl"),
                        "-D",
                        str(self.tmp / "data"),
                        "-m",
                        "fast",
                        "stop",
                    ]
                )
        shutil.rmtree(self.tmp, ignore_errors=True)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="a running Bakti with the demo data (loopback only)")
    parser.add_argument("--database-url", help="an existing PostgreSQL database to use")
    parser.add_argument(
        "--load-demo", action="store_true", help="with --database-url: load the demo data first"
    )
    parser.add_argument(
        "--var-dir", help="BAKTI_VAR_DIR for the server (keeps collected static files)"
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent sessions (50)")
    parser.add_argument("--duration", type=float, default=180, help="seconds of load (180)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--think", type=float, default=1.0, help="max pause between requests")
    parser.add_argument("--timeout", type=float, default=60, help="per-request timeout")
    parser.add_argument("--public-reports", type=int, default=PUBLIC_REPORTS_PER_HOUR - 1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", default=os.environ.get("BAKTI_DEMO_PASSWORD", "bakti-demo"))
    args = parser.parse_args(argv)
    # Stopped from outside (timeout, CI): still stop the server and the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    stack = None
    if args.target:
        host = urllib.parse.urlsplit(args.target).hostname or ""
        if host not in LOOPBACK:
            parser.error("the load test runs against this machine only (127.0.0.1/localhost)")
        base = args.target.rstrip("/")
    else:
        stack = Stack(args)
    try:
        if stack is not None:
            base = stack.start()
        print(
            f"{args.users} users for {args.duration:.0f} s against {base}"
            f" ({platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()})",
            flush=True,
        )
        stats = Stats()
        budget = PublicBudget(args.public_reports)
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=virtual_user, args=(i, args, base, stats, deadline, budget), daemon=True
            )
            for i in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return report(stats, time.monotonic() - started)
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
