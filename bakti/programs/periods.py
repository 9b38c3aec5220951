"""Reporting periods and date shifting.

Periods follow the calendar (quarters January-March, …; semesters January-June, July-December;
years January-December) and are clipped to the program's dates, so the targets of every
program line up with the periods the monitoring module reports on.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import FREQUENCY_MONTHS, Frequency


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_label(frequency: str, day: dt.date) -> str:
    """The label of the calendar period of ``frequency`` that holds ``day``: "Q2 2026", …"""
    months = FREQUENCY_MONTHS[Frequency(frequency)]
    first_month = ((day.month - 1) // months) * months + 1
    return _label(frequency, dt.date(day.year, first_month, 1))


def _label(frequency: str, start: dt.date) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{start.year}-{start.month:02d}"
    if frequency == Frequency.QUARTERLY:
        return _("Q%(number)s %(year)s") % {
            "number": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    if frequency == Frequency.SEMESTER:
        return _("S%(number)s %(year)s") % {
            "number": (start.month - 1) // 6 + 1,
            "year": start.year,
        }
    return str(start.year)


def reporting_periods(frequency: str, start: dt.date, end: dt.date) -> list[Period]:
    """The calendar periods of ``frequency`` that overlap ``start``..``end``, clipped to it."""
    months = FREQUENCY_MONTHS[Frequency(frequency)]
    first_month = ((start.month - 1) // months) * months + 1
    cursor = dt.date(start.year, first_month, 1)
    periods = []
    while cursor <= end:
        following = add_months(cursor, months)
        period_end = following - dt.timedelta(days=1)
        periods.append(
            Period(
                start=max(cursor, start),
                end=min(period_end, end),
                label=_label(frequency, cursor),
            )
        )
        cursor = following
    return periods


@dataclass(frozen=True)
class Shift:
    """How to move the dates of a copied program: by whole months when the new start falls on
    the same day of the month as the old one (so quarters stay quarters), otherwise by days."""

    months: int = 0
    days: int = 0

    @classmethod
    def between(cls, old_start: dt.date, new_start: dt.date) -> Shift:
        if old_start.day == new_start.day:
            return cls(
                months=(new_start.year - old_start.year) * 12 + new_start.month - old_start.month
            )
        return cls(days=(new_start - old_start).days)

    def apply(self, day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        if self.months:
            last_of_month = calendar.monthrange(day.year, day.month)[1]
            moved = add_months(day, self.months)
            if day.day == last_of_month:
                # A period or plan ending on the last of a month keeps doing so.
                moved = moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
            return moved
        return day + dt.timedelta(days=self.days)
