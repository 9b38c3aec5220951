"""The work plan as a timeline (Gantt-style), laid out on the server for an SVG in the page.

Each activity is a row: the planned bar, the part done (percent complete), and, when the
computed slip pushes the forecast end past the plan, the slipped stretch in red. Milestones are
diamonds, today a vertical line, months are ticks. Coordinates are in a fixed view box; the
SVG scales to the screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats

from .models import Activity, ActivityStatus, Milestone
from .periods import add_months
from .schedule import Slip

LABEL_WIDTH = 280
CHART_WIDTH = 720
ROW_HEIGHT = 26
HEADER_HEIGHT = 30
MAX_OVERRUN_DAYS = 92


@dataclass
class Row:
    activity: Activity
    y: float
    label: str
    planned_x: float
    planned_width: float
    done_width: float
    slip_x: float
    slip_width: float
    late: bool
    done: bool
    cancelled: bool
    title: str
    milestones: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Timeline:
    width: int
    height: int
    rows: list[Row]
    months: list[dict[str, Any]]
    today_x: float | None
    today_label: str
    label_width: int = LABEL_WIDTH


def build_timeline(
    *,
    start: dt.date,
    end: dt.date,
    activities: list[Activity],
    slips: dict[int, Slip],
    milestones: list[Milestone],
    today: dt.date,
) -> Timeline:
    # The axis runs past the program's end for forecasts that slip beyond it, but at most a
    # quarter; longer slips are drawn to the edge.
    last = max([end, *(s.forecast_end for s in slips.values())]) if slips else end
    last = min(last, end + dt.timedelta(days=MAX_OVERRUN_DAYS))
    span = max((last - start).days + 1, 1)

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + (day - start).days / span * CHART_WIDTH, 1)

    def width(first: dt.date, final: dt.date) -> float:
        return round(max(((final - first).days + 1) / span * CHART_WIDTH, 2.0), 1)

    by_activity: dict[int | None, list[Milestone]] = {}
    for milestone in milestones:
        by_activity.setdefault(milestone.activity_id, []).append(milestone)

    rows: list[Row] = []
    for index, activity in enumerate(activities):
        slip = slips.get(activity.pk)
        y = HEADER_HEIGHT + index * ROW_HEIGHT
        planned_w = width(activity.planned_start, activity.planned_end)
        slip_x = slip_w = 0.0
        if slip and slip.slip_days > 0 and activity.status != ActivityStatus.DONE:
            slip_x = x(activity.planned_end + dt.timedelta(days=1))
            slip_w = width(
                activity.planned_end + dt.timedelta(days=1), min(slip.forecast_end, last)
            )
        label = f"{activity.code} {activity.name}".strip()
        rows.append(
            Row(
                activity=activity,
                y=y,
                label=label if len(label) <= 40 else label[:39] + "…",
                planned_x=x(activity.planned_start),
                planned_width=planned_w,
                done_width=round(planned_w * (activity.percent_complete or 0) / 100, 1),
                slip_x=slip_x,
                slip_width=slip_w,
                late=bool(slip and slip.late),
                done=activity.status == ActivityStatus.DONE,
                cancelled=activity.status == ActivityStatus.CANCELLED,
                title=(
                    f"{label}: {formats.date_format(activity.planned_start, 'SHORT_DATE_FORMAT')}"
                    f" – {formats.date_format(activity.planned_end, 'SHORT_DATE_FORMAT')}"
                ),
                milestones=[
                    {
                        "x": x(m.due_date),
                        "achieved": m.achieved,
                        "name": m.name,
                        "date": m.due_date,
                    }
                    for m in by_activity.get(activity.pk, [])
                    if start <= m.due_date <= last
                ],
            )
        )
    loose = [m for m in by_activity.get(None, []) if start <= m.due_date <= last]
    if loose:
        y = HEADER_HEIGHT + len(rows) * ROW_HEIGHT
        rows.append(
            Row(
                activity=None,  # type: ignore[arg-type]
                y=y,
                label="◆",
                planned_x=0,
                planned_width=0,
                done_width=0,
                slip_x=0,
                slip_width=0,
                late=False,
                done=False,
                cancelled=False,
                title="",
                milestones=[
                    {"x": x(m.due_date), "achieved": m.achieved, "name": m.name, "date": m.due_date}
                    for m in loose
                ],
            )
        )
    months = []
    cursor = dt.date(start.year, start.month, 1)
    while cursor <= last:
        if cursor >= start:
            months.append(
                {
                    "x": x(cursor),
                    "label": formats.date_format(cursor, "M"),
                    "year": cursor.year if cursor.month == 1 or not months else None,
                }
            )
        cursor = add_months(cursor, 1)
    height = HEADER_HEIGHT + max(len(rows), 1) * ROW_HEIGHT + 10
    today_x = x(today) if start <= today <= last else None
    return Timeline(
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=height,
        rows=rows,
        months=months,
        today_x=today_x,
        today_label=formats.date_format(today, "SHORT_DATE_FORMAT"),
    )
