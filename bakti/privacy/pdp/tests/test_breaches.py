"""The breach register: the 3x24-hour notification deadline, the notices kept as sent, and
closing only after both the people affected and the authority were told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bakti.partners.models import Notification
from bakti.privacy.pdp import services
from bakti.privacy.pdp.models import BreachStatus


def _breach(dpo, hours_ago=2, persons=()):
    discovered = timezone.now() - dt.timedelta(hours=hours_ago)
    return services.breach_record(
        actor=dpo,
        title="Laptop petugas hilang",
        description="Laptop berisi salinan data penerima hilang di angkutan umum.",
        discovered_at=discovered,
        occurred_at=discovered - dt.timedelta(hours=5),
        data_categories=["identity", "health"],
        people_affected=40,
        persons=persons,
    )


def test_notices_are_due_72_hours_after_discovery(world, dpo):
    breach = _breach(dpo, persons=world.people_a)
    assert breach.notify_due_at - breach.discovered_at == dt.timedelta(hours=72)
    assert breach.people_affected == 40
    assert set(breach.persons.all()) == set(world.people_a)


def test_a_breach_cannot_occur_after_its_discovery(dpo):
    with pytest.raises(ValidationError) as error:
        services.breach_record(
            actor=dpo,
            title="x",
            description="x",
            discovered_at=timezone.now() - dt.timedelta(hours=3),
            occurred_at=timezone.now(),
            data_categories=["identity"],
            people_affected=1,
        )
    assert "occurred_at" in error.value.message_dict


def test_notified_once_both_audiences_were_told_then_closed(world, dpo):
    breach = _breach(dpo)
    with pytest.raises(ValidationError):
        services.breach_close(actor=dpo, breach=breach, actions_taken="Kata sandi diganti.")
    notice = {"channel": "letter", "sent_at": timezone.now(), "text": "Data Anda mungkin bocor."}
    services.breach_notice_add(
        actor=dpo, breach=breach, audience="people", recipient="40 penerima", **notice
    )
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN
    services.breach_notice_add(
        actor=dpo, breach=breach, audience="authority", recipient="Lembaga PDP", **notice
    )
    breach.refresh_from_db()
    assert breach.status == BreachStatus.NOTIFIED
    assert [n.text for n in breach.notices.all()] == ["Data Anda mungkin bocor."] * 2
    services.breach_close(actor=dpo, breach=breach, actions_taken="Kata sandi diganti.")
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED


def test_overdue_notices_alert_the_officer_and_show_on_the_dashboard(client, world, dpo):
    breach = _breach(dpo, hours_ago=80)
    services.deadline_alerts_send()
    services.deadline_alerts_send()
    assert Notification.objects.filter(user=dpo, title__contains=breach.title).count() == 1
    client.force_login(dpo)
    assert breach.title in client.get(reverse("privacy:pdp_dashboard")).content.decode()
    page = client.get(reverse("privacy:breach_list"), {"overdue": "on"}).content.decode()
    assert breach.title in page


def test_the_form_refuses_people_outside_the_officers_area(client, world, dpo_a):
    client.force_login(dpo_a)
    response = client.post(
        reverse("privacy:breach_create"),
        {
            "title": "Salah kirim",
            "description": "Daftar penerima terkirim ke grup yang salah.",
            "discovered_at": "2026-11-20T10:00",
            "data_categories": ["identity"],
            "people_affected": "2",
            "person_ids": f"{world.people_a[0].pk}, {world.people_b[0].pk}",
        },
    )
    assert response.status_code == 200
    assert f"No person with the number {world.people_b[0].pk} is in your area." in (
        response.content.decode()
    )


def test_the_form_records_a_breach(client, world, dpo):
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:breach_create"),
        {
            "title": "Salah kirim",
            "description": "Daftar penerima terkirim ke grup yang salah.",
            "discovered_at": "2026-11-20T10:00",
            "data_categories": ["identity", "contact"],
            "people_affected": "2",
            "person_ids": f"#{world.people_a[0].pk}; {world.people_a[1].pk}",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Siti Aminah" in detail and "Salah kirim" in detail
