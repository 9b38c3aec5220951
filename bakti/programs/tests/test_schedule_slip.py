"""Schedule slip is computed: direct lateness, delays pushed through dependencies, chains,
done and cancelled activities."""

import datetime as dt

from bakti.programs.models import Activity
from bakti.programs.schedule import compute_slips, topological_order

TODAY = dt.date(2026, 6, 15)


def act(pk, start, end, status="not_started", actual_start=None, actual_end=None):
    return Activity(
        pk=pk,
        planned_start=start,
        planned_end=end,
        status=status,
        actual_start=actual_start,
        actual_end=actual_end,
    )


def d(month, day):
    return dt.date(2026, month, day)


def test_activity_whose_planned_end_passed_and_not_done_is_late():
    slips = compute_slips([act(1, d(5, 1), d(6, 10), "in_progress")], [], today=TODAY)
    assert slips[1].late and slips[1].overdue
    assert slips[1].forecast_end == TODAY
    assert slips[1].slip_days == 5


def test_activity_not_yet_due_is_not_late():
    slips = compute_slips([act(1, d(6, 1), d(6, 30), "in_progress")], [], today=TODAY)
    assert not slips[1].late and slips[1].slip_days == 0


def test_activity_ending_today_is_not_yet_late():
    slips = compute_slips([act(1, d(6, 1), TODAY)], [], today=TODAY)
    assert not slips[1].late


def test_done_activity_is_never_late_even_when_it_finished_after_its_plan():
    slips = compute_slips([act(1, d(5, 1), d(5, 31), "done", d(5, 3), d(6, 5))], [], today=TODAY)
    assert not slips[1].late
    assert slips[1].forecast_end == d(6, 5)


def test_cancelled_activity_is_not_late():
    slips = compute_slips([act(1, d(3, 1), d(3, 31), "cancelled")], [], today=TODAY)
    assert not slips[1].late


def test_dependency_delay_pushes_a_future_activity_past_its_planned_end():
    # A should have ended 10 June and is not done: it ends today (15 June) at the earliest.
    # B (finish -> start after A) was planned 11-20 June (10 days): now 16-25 June, 5 days late,
    # although B's own planned end has not passed yet.
    a = act(1, d(5, 1), d(6, 10), "in_progress")
    b = act(2, d(6, 11), d(6, 20))
    slips = compute_slips([a, b], [(2, 1)], today=TODAY)
    assert slips[2].late and not slips[2].overdue
    assert slips[2].pushed_by == (1,)
    assert slips[2].forecast_start == d(6, 16)
    assert slips[2].forecast_end == d(6, 25)
    assert slips[2].slip_days == 5


def test_slack_absorbs_a_small_dependency_delay():
    # B is planned for 20-31 July: A finishing on 15 June instead of 10 June does not touch it.
    a = act(1, d(5, 1), d(6, 10), "in_progress")
    b = act(2, d(7, 20), d(7, 31))
    slips = compute_slips([a, b], [(2, 1)], today=TODAY)
    assert not slips[2].late and slips[2].slip_days == 0


def test_delay_carries_through_a_chain():
    # A overdue by 5 days; B and C follow back to back; each is pushed 5 days.
    a = act(1, d(5, 1), d(6, 10), "in_progress")
    b = act(2, d(6, 11), d(6, 20))
    c = act(3, d(6, 21), d(6, 30))
    slips = compute_slips([c, b, a], [(3, 2), (2, 1)], today=TODAY)
    assert slips[3].late and slips[3].pushed_by == (2,)
    assert slips[3].forecast_end == d(7, 5)
    assert slips[3].slip_days == 5


def test_done_predecessor_that_finished_late_pushes_its_successor():
    a = act(1, d(5, 1), d(6, 1), "done", d(5, 1), d(6, 14))
    b = act(2, d(6, 2), d(6, 20))
    slips = compute_slips([a, b], [(2, 1)], today=TODAY)
    assert not slips[1].late
    assert slips[2].late and slips[2].forecast_end == d(7, 3)


def test_started_activity_is_no_longer_pushed_by_its_dependencies():
    a = act(1, d(5, 1), d(6, 10), "in_progress")
    b = act(2, d(6, 11), d(6, 20), "in_progress", actual_start=d(6, 12))
    slips = compute_slips([a, b], [(2, 1)], today=TODAY)
    assert not slips[2].late


def test_waiting_on_the_latest_of_several_dependencies():
    a = act(1, d(5, 1), d(6, 10), "in_progress")  # forecast 15 June
    b = act(2, d(5, 1), d(6, 12), "done", d(5, 1), d(6, 1))
    c = act(3, d(6, 13), d(6, 22))
    slips = compute_slips([a, b, c], [(3, 1), (3, 2)], today=TODAY)
    assert slips[3].pushed_by == (1,)
    assert slips[3].forecast_end == d(6, 25)


def test_topological_order_puts_prerequisites_first_and_survives_a_cycle():
    assert topological_order([3, 2, 1], [(3, 2), (2, 1)]) == [1, 2, 3]
    order = topological_order([1, 2, 3], [(1, 2), (2, 1)])
    assert sorted(order) == [1, 2, 3] and order[0] == 3
