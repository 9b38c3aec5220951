"""A program report counts the complaints linked to the program: received and resolved in the
period, open and past their SLA today, and received per category."""

import datetime as dt

import pytest
from django.apps import apps

from bakti.reports.data import complaints

pytestmark = pytest.mark.skipif(
    not apps.is_installed("bakti.community"), reason="complaints come from the community module"
)

QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
TODAY = dt.date(2026, 10, 15)


def _file_tickets(program):
    from bakti.community.models import Ticket
    from bakti.community.tests.factories import at, ticket

    def filed(
        when, *, status="new", resolved=None, acknowledged=None, category="payment", program=program
    ):
        made = ticket(received_at=when, category_code=category)
        Ticket.objects.filter(pk=made.pk).update(
            program=program, status=status, resolved_at=resolved, acknowledged_at=acknowledged
        )
        return made

    filed(at(2026, 7, 2), status="resolved", resolved=at(2026, 7, 20))
    filed(at(2026, 8, 5), category="service_quality")
    filed(at(2026, 9, 29), status="in_progress")
    filed(at(2026, 6, 30), status="resolved", resolved=at(2026, 7, 3))  # received before
    filed(at(2026, 10, 2), acknowledged=at(2026, 10, 5))  # after the quarter; open, in time
    filed(at(2026, 8, 1), program=None)  # another program's or none: not counted


def test_received_resolved_open_and_late_tickets_are_counted_apart(cast, tracked):
    from bakti.community.models import Category

    _file_tickets(tracked)
    counts = complaints([tracked.pk], *QUARTER, TODAY)

    assert (counts.received, counts.resolved) == (3, 2)
    assert counts.open == 3
    # Late: the August ticket (resolve by late August) and the September one (not
    # acknowledged within five working days); the October one was acknowledged in time.
    assert counts.past_sla == 2
    names = dict(Category.objects.values_list("code", "name"))
    assert sorted(counts.by_category) == sorted(
        [(names["payment"], 2), (names["service_quality"], 1)]
    )


def test_program_health_counts_the_same_late_tickets(cast, tracked) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bakti.monitoring.health import assess, thresholds_for
    from bakti.monitoring.tracking import tracking_table

    _file_tickets(tracked)
    thresholds = thresholds_for(tracked)
    table = tracking_table(tracked, as_of=TODAY, thresholds=thresholds)
    with CaptureQueriesContext(connection) as counting:
        counted = assess(tracked, today=TODAY, table=table, thresholds=thresholds)
    assert counted.measures["complaints_past_sla"] == 2
    # The program report passes the count it has already made: health does not count again.
    with CaptureQueriesContext(connection) as given_count:
        given = assess(tracked, today=TODAY, table=table, thresholds=thresholds, past_sla=2)
    assert given.measures == counted.measures
    assert len(given_count.captured_queries) == len(counting.captured_queries) - 1
