"""The planner's statistics are refreshed after a large import, and with them SQLite looks up
a case's household among a program's enrolments instead of walking them all."""

import datetime as dt

import pytest
from django.db import connection

from bakti.core.statistics import refresh_statistics

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its own statistics"
)


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_with_statistics_a_program_case_count_uses_the_household_index(cast):
    from bakti.cases.models import Case
    from bakti.monitoring.rules import of_program_households
    from bakti.monitoring.tests.factories import make_program
    from bakti.registry.models import Enrolment, Household

    program = make_program(cast.division_rehsos, code="BIG", manager=cast.manager)
    households = Household.objects.bulk_create(
        Household(no_kk=f"3404{n:012d}", region_id="34.04.01.2001") for n in range(1500)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            program=program,
            household=household,
            region_id=household.region_id,
            status="enrolled",
            enrolled_on=dt.date(2026, 1, 1),
        )
        for household in households
    )
    query = Case.objects.filter(of_program_households(program)).values("pk")
    sql, params = query.query.sql_with_params()
    sql = sql % tuple(f"'{p}'" if isinstance(p, str) else p for p in params)

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert "enrolment_program_status_idx" in _plan(sql)  # the guess without statistics

    refresh_statistics()
    plan = _plan(sql)
    assert "household_id" in plan and "enrolment_program_status_idx" not in plan, plan


def _registry_statistics() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return 0
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'registry_person'")
        return cursor.fetchone()[0]


@pytest.mark.parametrize("households, refreshed", [(2, False), (12, True)])
def test_a_large_import_refreshes_the_statistics(
    cast, settings, tmp_path, monkeypatch, households, refreshed
):
    from bakti.core import statistics
    from bakti.registry.models import JobStatus
    from bakti.registry.tests.test_import_engine import run_file, sample_file

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(statistics, "AFTER_ROWS", 20)  # rows, not the real 5,000
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    data, count = sample_file(households)
    assert (count >= 20) is refreshed
    job = run_file(cast.manager, data)
    assert job.status == JobStatus.DONE, job.message
    assert (_registry_statistics() > 0) is refreshed


def test_migrate_writes_statistics_where_there_are_none(db):
    from bakti.core.apps import _statistics_after_migrate
    from bakti.core.statistics import ensure_statistics

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    _statistics_after_migrate(using="default")
    assert "sqlite_stat1" in connection.introspection.table_names()
    assert ensure_statistics() is False  # once there, left to the import and the nightly job
