"""Two people save different changes to the same record at the same moment, each from the
version they both opened: exactly one save wins, the other is refused with ``StaleEdit``, and
no update is lost (the saved value is the winner's, the version went up by one).

Each save runs in its own thread with its own database connection. To make the race real, the
service's version check (``select_for_update`` in ``audited_update``) is reached by both threads
together (a barrier), and reading the current row is slowed down, so without the row lock
(PostgreSQL) or the write lock taken at the start of the transaction (SQLite ``IMMEDIATE``)
both would pass the check and the later save would silently overwrite the earlier one.

Used by ``test_races.py`` in the test process (PostgreSQL, or a file-backed SQLite) and,
through ``python -m tests.reliability.race``, in a child process on a temporary file-backed
SQLite database when the test database is SQLite in memory.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from typing import Any
from unittest import mock

PAUSE_SECONDS = 0.3


def race(kind: str, cast: Any, *, lock: bool = True) -> dict[str, Any]:
    """Race two saves of a ``kind`` record. ``lock=False`` takes the row lock away (a control:
    the test must see the lost update then)."""
    from django.db import connection, models

    from bakti.privacy.audit import StaleEdit

    from .subjects import BUILDERS

    subject = BUILDERS[kind](cast)
    start_version = subject.version()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}
    real_get = models.QuerySet.get

    def slow_get(self: Any, *args: Any, **kwargs: Any) -> Any:
        found = real_get(self, *args, **kwargs)
        if getattr(self.query, "select_for_update", False) or getattr(self, "_unlocked", False):
            time.sleep(PAUSE_SECONDS)  # both threads now hold what they read
        return found

    def no_lock(self: Any, *args: Any, **kwargs: Any) -> Any:
        unlocked = self._chain()
        unlocked._unlocked = True
        return unlocked

    values = {"a": "Change typed by A", "b": "Change typed by B"}
    actors = {"a": subject.editor, "b": subject.other}

    def save(name: str) -> None:
        try:
            fresh = subject.fresh()  # each loads version N
            barrier.wait(timeout=30)
            subject.save(actors[name], fresh, start_version, values[name])
            outcomes[name] = "saved"
        except StaleEdit:
            outcomes[name] = "stale"
        except Exception as error:  # reported to the test, which fails on it
            outcomes[name] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    with contextlib.ExitStack() as patches:
        patches.enter_context(mock.patch.object(models.QuerySet, "get", slow_get))
        if not lock:
            patches.enter_context(mock.patch.object(models.QuerySet, "select_for_update", no_lock))
        threads = [threading.Thread(target=save, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    return {
        "kind": kind,
        "outcomes": sorted(outcomes.values()),
        "saved": subject.read(),
        "expected": values[winners[0]] if len(winners) == 1 else None,
        "version_before": start_version,
        "version_after": subject.version(),
    }


def main() -> None:
    """Child-process entry: build the schema on the file-backed database in the environment
    (migrations run, so reference data is there), make the cast, race each kind given on the
    command line, print one JSON line per race."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import conftest

    cast = conftest.make_cast()
    for kind in sys.argv[1:]:
        print(json.dumps(race(kind, cast)), flush=True)


if __name__ == "__main__":
    main()
