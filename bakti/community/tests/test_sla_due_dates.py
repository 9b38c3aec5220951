"""Due dates are computed at intake in working days: weekends and holidays do not count."""

import datetime as dt

import pytest

from bakti.community import services
from bakti.community.calendar import add_working_days
from bakti.community.models import Holiday, SLARule

from .factories import at, category, priority, ticket

pytestmark = pytest.mark.django_db


def test_friday_plus_two_working_days_is_tuesday() -> None:
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 2, set()) == dt.date(2026, 12, 1)


def test_weekend_receipt_counts_from_monday() -> None:
    saturday = dt.date(2026, 11, 28)
    assert add_working_days(saturday, 1, set()) == dt.date(2026, 11, 30)


def test_seeded_holidays_and_joint_leave_are_skipped() -> None:
    # Idul Fitri 2026: 20-24 March are holidays or cuti bersama; 21-22 is a weekend too.
    assert Holiday.objects.filter(date=dt.date(2026, 3, 23)).exists()
    thursday = dt.date(2026, 3, 19)  # Nyepi itself
    assert add_working_days(thursday, 1) == dt.date(2026, 3, 25)


def test_an_added_holiday_moves_the_due_date(cast) -> None:
    monday = dt.date(2026, 11, 30)
    assert add_working_days(monday, 2) == dt.date(2026, 12, 2)
    services.holiday_create(
        actor=cast.manager, date=dt.date(2026, 12, 1), name="Hari jadi kabupaten", kind="local"
    )
    assert add_working_days(monday, 2) == dt.date(2026, 12, 3)


def test_intake_sets_due_dates_from_the_sla_matrix_over_the_christmas_holidays(cast) -> None:
    # Received Wednesday 23 Dec 2026; 24 (cuti bersama) and 25 (Natal) are off, 26-27 weekend.
    t = ticket(actor=cast.officer, received_at=at(2026, 12, 23))
    rule = SLARule.objects.get(category=category("payment"), priority=priority("normal"))
    assert (rule.acknowledge_days, rule.resolve_days) == (2, 14)
    assert t.acknowledge_due == dt.date(2026, 12, 29)
    assert t.resolve_due == add_working_days(dt.date(2026, 12, 23), 14)
    # 28-31 Dec, 1 Jan 2027 (2027 holidays are not seeded), 4-8 Jan, 11-14 Jan.
    assert t.resolve_due == dt.date(2027, 1, 14)


def test_sensitive_and_urgent_tickets_are_acknowledged_within_one_working_day(cast) -> None:
    friday = at(2026, 11, 27)
    sensitive = ticket(actor=cast.officer, category_code="sea", received_at=friday)
    urgent = ticket(actor=cast.officer, priority_code="urgent", received_at=friday)
    assert sensitive.acknowledge_due == dt.date(2026, 11, 30)
    assert urgent.acknowledge_due == dt.date(2026, 11, 30)
    assert sensitive.resolve_due == add_working_days(dt.date(2026, 11, 27), 30)


def test_editing_the_matrix_changes_new_due_dates(cast) -> None:
    rule = SLARule.objects.get(category=category("payment"), priority=priority("normal"))
    services.sla_rule_set(actor=cast.manager, rule=rule, acknowledge_days=1, resolve_days=5)
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 30))
    assert t.acknowledge_due == dt.date(2026, 12, 1)
    assert t.resolve_due == dt.date(2026, 12, 7)


def test_resolution_cannot_be_due_before_acknowledgement(cast) -> None:
    from django.core.exceptions import ValidationError

    rule = SLARule.objects.first()
    with pytest.raises(ValidationError):
        services.sla_rule_set(actor=cast.manager, rule=rule, acknowledge_days=5, resolve_days=2)
