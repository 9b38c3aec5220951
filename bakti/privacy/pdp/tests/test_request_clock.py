"""The 3x24-hour clock of a data-subject request, its alerts on the dashboard, and the hourly
job that notifies the data protection officer."""

import datetime as dt

from django.urls import reverse

from bakti.partners.models import Notification
from bakti.privacy.pdp import services

from .conftest import receive


def test_the_answer_is_due_72_hours_after_the_request_was_received(world, dpo):
    request = receive(dpo, world.people_a[0], hours_ago=5)
    assert request.due_at - request.received_at == dt.timedelta(hours=72)
    assert request.status == "received"
    assert request.region_id == world.people_a[0].region_id


def test_a_request_cannot_be_received_in_the_future(world, dpo):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        receive(dpo, world.people_a[0], hours_ago=-3)
    assert "received_at" in error.value.message_dict


def test_dashboard_lists_overdue_and_soon_due_requests(client, world, dpo):
    overdue = receive(dpo, world.people_a[0], hours_ago=80)
    soon = receive(dpo, world.people_a[1], hours_ago=60)
    later = receive(dpo, world.people_a[2], hours_ago=1)
    client.force_login(dpo)
    page = client.get(reverse("privacy:pdp_dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    overdue_part, rest = html.split("Due within 24 hours</h2>", 1)
    assert f"DSR-{overdue.pk}<" in overdue_part
    assert f"DSR-{soon.pk}<" in rest.split("Breaches with overdue notices")[0]
    assert f"DSR-{later.pk}<" not in html


def test_answered_requests_raise_no_alert(world, dpo):
    request = receive(dpo, world.people_a[0], hours_ago=80)
    services.dsr_answer(
        actor=dpo, request=request, answer="Data diberikan.", answer_channel="email"
    )
    assert services.deadline_alerts_send() == 0


def test_the_hourly_job_notifies_the_officer_once_per_stage(world, dpo, dpo_a, cast):
    soon = receive(dpo, world.people_a[0], hours_ago=60)
    late_b = receive(dpo, world.people_b[0], hours_ago=80)
    services.deadline_alerts_send()
    mine = Notification.objects.filter(user=dpo)
    assert {n.title for n in mine} == {
        f"Data-subject request DSR-{soon.pk} is due within 24 hours",
        f"Data-subject request DSR-{late_b.pk} is overdue",
    }
    # The officer of kecamatan A hears only of requests in kecamatan A.
    assert [n.title for n in Notification.objects.filter(user=dpo_a)] == [
        f"Data-subject request DSR-{soon.pk} is due within 24 hours"
    ]
    assert not Notification.objects.filter(user=cast.manager).exists()
    # Running again sends nothing new; once the deadline passes, the overdue alert follows.
    assert services.deadline_alerts_send() == 0
    later = soon.due_at + dt.timedelta(minutes=1)
    services.deadline_alerts_send(now=later)
    assert Notification.objects.filter(
        user=dpo, title=f"Data-subject request DSR-{soon.pk} is overdue"
    ).exists()


def test_the_alert_job_is_scheduled_hourly():
    from django.apps import apps

    schedule = {job["name"]: job for job in apps.get_app_config("pdp").schedule}
    assert schedule["pdp.send_deadline_alerts"]["every"] == dt.timedelta(hours=1)
    assert schedule["pdp.apply_retention"]["task"] == "bakti.privacy.pdp.tasks.apply_retention"
