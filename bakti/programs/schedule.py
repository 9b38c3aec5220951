"""Schedule slip, computed from the plan, the progress and the dependencies (never typed).

An activity is late when its planned end has passed and it is not done, or when the delay of
something it depends on (finish → start) pushes its own finish past its planned end. One
topological pass over the activities and their dependency pairs (two queries for a whole
program) gives each activity its forecast finish, so a chain of delays carries through.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from .models import Activity, ActivityStatus

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Slip:
    """The computed schedule of one activity."""

    forecast_start: dt.date
    forecast_end: dt.date
    slip_days: int  # days the forecast end lies past the planned end (0 when on time)
    late: bool
    overdue: bool  # planned end passed and not done
    pushed_by: tuple[int, ...]  # dependencies whose delay pushes this one past its planned end

    @property
    def reason(self) -> str:
        if self.overdue:
            return "overdue"
        if self.pushed_by:
            return "dependency"
        return ""


def topological_order(ids: Sequence[int], edges: Iterable[tuple[int, int]]) -> list[int]:
    """``ids`` ordered so that every activity comes after what it depends on. ``edges`` are
    (activity, depends on) pairs. Activities in a cycle (which services refuse to create)
    come last, in their given order, so a bad row never breaks the page."""
    known = set(ids)
    waiting_on: dict[int, int] = dict.fromkeys(ids, 0)
    dependents: dict[int, list[int]] = {i: [] for i in ids}
    for activity, prerequisite in edges:
        if activity in known and prerequisite in known:
            waiting_on[activity] += 1
            dependents[prerequisite].append(activity)
    ready = deque(i for i in ids if waiting_on[i] == 0)
    order: list[int] = []
    while ready:
        current = ready.popleft()
        order.append(current)
        for follower in dependents[current]:
            waiting_on[follower] -= 1
            if waiting_on[follower] == 0:
                ready.append(follower)
    placed = set(order)
    order.extend(i for i in ids if i not in placed)
    return order


def compute_slips(
    activities: Sequence[Activity],
    dependencies: Iterable[tuple[int, int]],
    *,
    today: dt.date | None = None,
) -> dict[int, Slip]:
    """The slip of each activity, by id. ``dependencies`` are (activity id, depends-on id)."""
    today = today or timezone.localdate()
    by_id = {a.pk: a for a in activities}
    edges = [(a, b) for a, b in dependencies if a in by_id and b in by_id]
    prerequisites: dict[int, list[int]] = {pk: [] for pk in by_id}
    for activity, prerequisite in edges:
        prerequisites[activity].append(prerequisite)
    slips: dict[int, Slip] = {}
    for pk in topological_order(list(by_id), edges):
        slips[pk] = _slip_of(by_id[pk], prerequisites[pk], slips, today)
    return slips


def _slip_of(
    activity: Activity, prerequisites: list[int], known: Mapping[int, Slip], today: dt.date
) -> Slip:
    planned_start, planned_end = activity.planned_start, activity.planned_end
    if activity.status == ActivityStatus.DONE:
        end = activity.actual_end or planned_end
        start = activity.actual_start or planned_start
        return Slip(start, end, max(0, (end - planned_end).days), False, False, ())
    if activity.status == ActivityStatus.CANCELLED:
        return Slip(planned_start, planned_end, 0, False, False, ())

    duration = planned_end - planned_start
    # Finish → start: it cannot start before everything it depends on has finished.
    earliest = planned_start
    for prerequisite in prerequisites:
        if prerequisite in known:
            earliest = max(earliest, known[prerequisite].forecast_end + ONE_DAY)
    start = activity.actual_start or earliest
    by_dependencies = earliest + duration if activity.actual_start is None else planned_end
    end = max(planned_end, by_dependencies)
    pushed_by = tuple(
        sorted(
            p
            for p in prerequisites
            if p in known and known[p].forecast_end + ONE_DAY + duration > planned_end
        )
    )
    if activity.actual_start is not None:
        pushed_by = ()
    overdue = planned_end < today
    if overdue:
        # Not done and its planned end has passed: it finishes today at the earliest.
        end = max(end, today)
    slip_days = (end - planned_end).days
    return Slip(start, end, slip_days, overdue or bool(pushed_by), overdue, pushed_by)
