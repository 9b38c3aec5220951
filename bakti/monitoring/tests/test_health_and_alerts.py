"""Program health lists its reasons; the manager is alerted when it changes or a threshold is
crossed; thresholds are configurable."""

import datetime as dt

from bakti.monitoring import services
from bakti.monitoring.health import assess
from bakti.monitoring.models import Alert, HealthSettings, ProgramHealth
from bakti.programs.models import Activity, Result

from .factories import make_case


def _late_activity(program, name):
    output = Result.objects.filter(program=program, tier=3).first()
    return Activity.objects.create(
        program=program,
        output=output,
        name=name,
        planned_start=dt.date(2026, 1, 1),
        planned_end=dt.date(2026, 2, 1),
        status="in_progress",
    )


def test_health_is_green_then_red_with_reasons(cast, tracked):
    today = dt.date(2026, 6, 30)
    first = assess(tracked, today=today)
    assert first.status == "green"
    assert first.reasons == []

    for n in range(3):
        _late_activity(tracked, f"Late {n}")
    health = assess(tracked, today=today)
    assert health.status == "red"
    (reason,) = [r for r in health.reasons if r.code == "schedule"]
    assert reason.text == "3 work-plan activities are late."


def test_thresholds_are_configurable(cast, tracked):
    _late_activity(tracked, "Late")
    today = dt.date(2026, 6, 30)
    assert assess(tracked, today=today).status == "amber"
    services.health_settings_save(
        actor=cast.mne, program=tracked, data={"slipped_activities_amber": 2}
    )
    assert assess(tracked, today=today).status == "green"
    assert HealthSettings.objects.get(program=tracked).slipped_activities_amber == 2


def test_off_track_indicators_are_named(cast, tracked):
    thresholds = HealthSettings(on_track_from=100, behind_from=99)
    health = assess(tracked, today=dt.date(2026, 6, 30), thresholds=thresholds)
    reason = next(r for r in health.reasons if r.code == "indicators")
    # OUT-1: 175 of 200 = 87.5%: below 99% is red, so off track.
    assert "OUT-1" in reason.text


def test_manager_is_alerted_when_health_changes(cast, tracked):
    today = dt.date(2026, 6, 30)
    services.program_health_assess(actor=None, program=tracked, today=today)
    assert not Alert.objects.exists()  # the first assessment has nothing to compare with
    _late_activity(tracked, "Late")
    services.program_health_assess(actor=None, program=tracked, today=today)
    alerts = list(Alert.objects.filter(recipient=cast.manager))
    kinds = sorted(a.kind for a in alerts)
    assert kinds == ["health_changed", "threshold"]
    assert any("late" in a.message for a in alerts)
    # Nothing new: no new alert.
    services.program_health_assess(actor=None, program=tracked, today=today)
    assert Alert.objects.count() == 2
    assert ProgramHealth.objects.filter(program=tracked).count() == 3


def test_alerts_page_marks_read(client, cast, tracked):
    Alert.objects.create(
        recipient=cast.manager, program=tracked, kind="threshold", level="amber", message="X"
    )
    alert = Alert.objects.get()
    client.force_login(cast.mne)
    assert client.post(f"/monitoring/alerts/{alert.pk}/read/").status_code == 404
    client.force_login(cast.manager)
    client.post(f"/monitoring/alerts/{alert.pk}/read/")
    alert.refresh_from_db()
    assert alert.read_at is not None


def test_monitor_command_assesses_running_programs(cast, tracked):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("monitor", stdout=out)
    assert "PKH-1" in out.getvalue()
    assert ProgramHealth.objects.filter(program=tracked).count() == 1


def _households(count, start):
    from bakti.registry.models import Household

    return [
        Household.objects.create(no_kk=f"3404{start + i:012d}", region_id="34.04.01.2001")
        for i in range(count)
    ]


def test_overdue_cases_count_those_of_households_the_program_enrols(cast, tracked):
    from bakti.monitoring.health import overdue_cases
    from bakti.registry.models import Enrolment

    today = dt.date(2026, 6, 30)
    enrolled, exited, proposed, elsewhere = _households(4, 1)
    for household, status in ((enrolled, "enrolled"), (exited, "exited"), (proposed, "proposed")):
        Enrolment.objects.create(
            program=tracked,
            household=household,
            region_id=household.region_id,
            status=status,
            enrolled_on=dt.date(2026, 1, 1),
        )
    late = {"assessment_due": dt.date(2026, 6, 1), "plan_due": dt.date(2026, 7, 15)}
    plan_late = {
        "assessment_due": dt.date(2026, 6, 1),
        "assessed_on": dt.date(2026, 5, 30),
        "plan_due": dt.date(2026, 6, 20),
    }
    on_time = {"assessment_due": dt.date(2026, 7, 1), "plan_due": dt.date(2026, 7, 15)}
    cases = [
        (enrolled, "new", late),  # counted
        (enrolled, "case_plan", plan_late),  # counted: the plan is overdue
        (exited, "new", late),  # counted: the household was enrolled
        (enrolled, "closed", late),  # closed
        (enrolled, "new", on_time),  # not yet due
        (proposed, "new", late),  # never enrolled
        (elsewhere, "new", late),  # another program's household
    ]
    for number, (household, status, dates) in enumerate(cases):
        make_case(cast, household, number, status=status, opened_on=dt.date(2026, 5, 1), **dates)
    assert overdue_cases(tracked, today) == 3
    assert assess(tracked, today=today).measures["overdue_cases"] == 3
