"""Two approvals racing for the last of a line's balance, each in its own thread and database
connection. Used by ``test_concurrency.py`` in the test process (PostgreSQL, or any database
that is not SQLite in memory) and, through ``python -m bakti.finance.tests.race``, in a child
process on a file-backed SQLite database.

To make the race real, reading the line's figures is slowed down (the real function, then a
pause) so that without the row lock both approvals would read the same balance and both pass.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from typing import Any
from unittest import mock

PAUSE_SECONDS = 0.4


def run_race(cast: Any) -> dict[str, Any]:
    from django.db import connection

    from bakti.finance import ledger, services
    from bakti.finance.models import EntryStatus, Expenditure

    from . import factories

    line = factories.line(cast.department, "1000000")
    first, second = (
        services.expenditure_record(
            actor=cast.finance,
            line=line,
            date=dt.date(2026, 6, 1),
            amount=Decimal("600000"),
            payee=f"Payee {n}",
            description="Racing for the last of the balance",
        )
        for n in (1, 2)
    )
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}
    real_figures = ledger.figures_of_line

    def slow_figures(line_arg: Any) -> Any:
        result = real_figures(line_arg)
        time.sleep(PAUSE_SECONDS)
        return result

    def approve(name: str, approver: Any, entry: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.entry_approve(approver, entry)
            outcomes[name] = "approved"
        except services.BalanceExceeded:
            outcomes[name] = "refused"
        except Exception as error:  # reported to the test, which fails on it
            outcomes[name] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    with mock.patch.object(ledger, "figures_of_line", slow_figures):
        threads = [
            threading.Thread(target=approve, args=("a", cast.manager, first)),
            threading.Thread(target=approve, args=("b", cast.head, second)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    approved = Expenditure.objects.filter(line=line, status=EntryStatus.APPROVED).count()
    return {
        "outcomes": sorted(outcomes.values()),
        "approved": approved,
        "realised": str(ledger.figures_of_line(line).realised),
    }


def main() -> None:
    """Child-process entry: build the schema on the (file-backed) database in the environment
    without running migrations, make the cast, race, print the result as JSON."""
    import django
    from django.conf import settings

    class NoMigrations(dict):
        def __contains__(self, item: object) -> bool:
            return True

        def __getitem__(self, item: object) -> None:
            return None

    django.setup()
    settings.MIGRATION_MODULES = NoMigrations()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    import conftest

    cast = conftest.make_cast()
    print(json.dumps(run_race(cast)))


if __name__ == "__main__":
    main()
