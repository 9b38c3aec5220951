"""The working-day calendar: weekends and the editable public holidays are not working days."""

import datetime as dt
from collections.abc import Iterable

from .models import Holiday


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: dt.date, holidays: Iterable[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: set[dt.date] | None = None) -> dt.date:
    """The ``days``-th working day after ``start`` (the day of receipt does not count, so a
    complaint received on Friday with 2 working days is due on Tuesday). Holidays are read from
    the calendar unless given."""
    if holidays is None:
        # Generous window: every 5 working days span at most 7 days, plus long holiday runs.
        holidays = holidays_between(start, start + dt.timedelta(days=days * 2 + 30))
    day = start
    remaining = max(days, 0)
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    if days <= 0:
        while not is_working_day(day, holidays):
            day += dt.timedelta(days=1)
    return day
