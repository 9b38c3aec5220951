"""Owners are reminded 90, 30 and 7 days before an agreement ends: in the app and by e-mail,
with a fixed clock, once per offset however often the job runs."""

import datetime as dt

import pytest
from django.core import mail

from bakti.partners import services
from bakti.partners.models import AgreementStatus, Notification
from bakti.partners.tasks import send_agreement_reminders

from .factories import agreement, organisation

pytestmark = pytest.mark.django_db

END = dt.date(2027, 3, 31)


@pytest.fixture
def setup(cast):
    cast.manager.email = "manager@dinsos.example.id"
    cast.manager.save()
    org = organisation(cast.manager)
    return agreement(cast.manager, org, cast.manager, END)


def _run(day: dt.date) -> int:
    return len(services.agreements_send_reminders(today=day))


def test_reminders_fire_at_90_30_and_7_days_and_not_twice(cast, setup) -> None:
    assert _run(END - dt.timedelta(days=91)) == 0
    assert _run(END - dt.timedelta(days=90)) == 1
    assert _run(END - dt.timedelta(days=90)) == 0  # same day again
    assert _run(END - dt.timedelta(days=60)) == 0  # between offsets
    assert _run(END - dt.timedelta(days=30)) == 1
    assert _run(END - dt.timedelta(days=29)) == 0
    assert _run(END - dt.timedelta(days=7)) == 1
    assert _run(END - dt.timedelta(days=1)) == 0
    offsets = sorted(setup.reminders.values_list("days_before", flat=True))
    assert offsets == [7, 30, 90]
    notes = Notification.objects.filter(user=cast.manager)
    assert notes.count() == 3
    assert len(mail.outbox) == 3
    assert "PKS pendampingan lansia" in mail.outbox[0].subject


def test_a_missed_run_sends_only_the_nearest_offset(cast, setup) -> None:
    assert _run(END - dt.timedelta(days=20)) == 1
    assert list(setup.reminders.values_list("days_before", flat=True)) == [30]
    assert _run(END - dt.timedelta(days=19)) == 0


def test_renewal_starts_the_reminders_again(cast, setup) -> None:
    assert _run(END - dt.timedelta(days=7)) == 1
    services.agreement_update(
        actor=cast.manager, agreement=setup, data={"end_date": END + dt.timedelta(days=365)}
    )
    assert _run(END + dt.timedelta(days=365 - 90)) == 1


def test_ended_or_terminated_agreements_get_no_reminders(cast) -> None:
    org = organisation(cast.manager)
    agreement(cast.manager, org, cast.manager, END, status=AgreementStatus.TERMINATED)
    assert _run(END - dt.timedelta(days=7)) == 0


def test_the_job_runs_the_service_and_expires_past_agreements(cast, setup) -> None:
    send_agreement_reminders.enqueue((END - dt.timedelta(days=30)).isoformat())
    assert setup.reminders.count() == 1
    send_agreement_reminders.enqueue((END + dt.timedelta(days=1)).isoformat())
    setup.refresh_from_db()
    assert setup.status == AgreementStatus.EXPIRED


def test_reminders_are_in_the_owners_language(cast, setup) -> None:
    cast.manager.preferred_language = "id"
    cast.manager.save()
    _run(END - dt.timedelta(days=7))
    assert Notification.objects.get().title.startswith("Perjanjian")
