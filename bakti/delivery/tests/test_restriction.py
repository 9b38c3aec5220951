"""UU PDP restriction of processing: a person under an active restriction (or a household with
such a member) gets no new delivery, round receipt or event attendance; the officer is told why
(since when, and the reason); existing records stay; lifting the restriction allows them again."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bakti.delivery import services
from bakti.delivery.models import Attendance, ServiceDelivery
from bakti.privacy.pdp.models import LimitKind, ProcessingLimit
from conftest import KABUPATEN

REASON = "Keberatan atas data yang tidak akurat (DSR-7)"


def restrict(person, kind=LimitKind.RESTRICTION):
    return ProcessingLimit.objects.create(
        kind=kind, person=person, household_id=person.household_id, reason=REASON
    )


def _deliver(world, enrolment, **extra):
    return services.delivery_record(
        actor=world.cast.field_worker_a,
        enrolment=enrolment,
        service_type=world.food,
        quantity=Decimal("1"),
        delivered_on=date(2026, 3, 1),
        **extra,
    )


def _message_of(caught) -> str:
    return " ".join(caught.value.messages)


def test_a_household_with_a_restricted_member_gets_no_new_delivery(world):
    earlier = _deliver(world, world.enrolments_a[0])
    limit = restrict(world.people_a[0])
    with pytest.raises(ValidationError) as caught:
        _deliver(world, world.enrolments_a[0])
    message = _message_of(caught)
    since = date_format(timezone.localtime(limit.created_at).date())
    assert message.startswith(
        f"Siti Aminah: processing restricted under UU PDP since {since}: {REASON}."
    )
    # The existing delivery stays; the other households are not affected.
    assert list(ServiceDelivery.objects.filter(enrolment=world.enrolments_a[0])) == [earlier]
    assert _deliver(world, world.enrolments_a[1]).pk


def test_a_delivery_to_a_restricted_person_is_refused(world):
    restrict(world.people_a[1])
    with pytest.raises(ValidationError, match="processing restricted under UU PDP"):
        _deliver(world, world.enrolments_a[1], person=world.people_a[1])


def test_an_objection_to_scoring_or_a_lifted_restriction_does_not_refuse(world):
    restrict(world.people_a[0], kind=LimitKind.SCORING_OBJECTION)
    lifted = restrict(world.people_a[0])
    lifted.lifted_at = timezone.now()
    lifted.save()
    assert _deliver(world, world.enrolments_a[0]).pk


def test_a_round_line_of_a_restricted_household_is_reported_and_the_others_recorded(world):
    distribution = services.round_create(
        actor=world.cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako Maret",
        region=KABUPATEN,
        planned_date=date(2026, 3, 10),
    )
    restrict(world.people_a[0])
    lines = list(distribution.recipients.filter(enrolment__in=world.enrolments_a[:2]))
    result = services.round_receive(
        actor=world.cast.field_worker_a,
        distribution=distribution,
        recipients=lines,
        delivered_on=date(2026, 3, 10),
    )
    assert result.recorded == 1
    assert len(result.errors) == 1 and "processing restricted under UU PDP" in result.errors[0]
    assert not ServiceDelivery.objects.filter(enrolment=world.enrolments_a[0]).exists()


def test_a_new_round_list_leaves_out_a_restricted_household(world):
    restrict(world.people_a[0])
    distribution = services.round_create(
        actor=world.cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako April",
        region=KABUPATEN,
        planned_date=date(2026, 4, 10),
    )
    listed = set(distribution.recipients.values_list("enrolment_id", flat=True))
    assert world.enrolments_a[0].pk not in listed
    assert {e.pk for e in world.enrolments_a[1:] + world.enrolments_b} <= listed


def test_the_bulk_load_refuses_a_restricted_household(world):
    restrict(world.people_a[0])
    rows = [
        ServiceDelivery(
            enrolment=enrolment,
            household_id=enrolment.household_id,
            service_type=world.food,
            region_id=enrolment.region_id,
            quantity=Decimal("1"),
            value=Decimal("250000"),
            delivered_on=date(2026, 3, 1),
        )
        for enrolment in world.enrolments_a[:2]
    ]
    with pytest.raises(ValidationError, match="Row 1: processing of this person's data"):
        services.deliveries_bulk_record(actor=None, deliveries=rows)
    assert not ServiceDelivery.objects.exists()


def test_no_new_attendance_for_a_restricted_person_but_the_existing_one_stays(world, event):
    kept = services.attendance_record(
        actor=world.cast.manager, event=event, person=world.people_a[1]
    )
    restrict(world.people_a[0])
    restrict(world.people_a[1])
    with pytest.raises(ValidationError, match="Siti Aminah: processing restricted"):
        services.attendance_record(actor=world.cast.manager, event=event, person=world.people_a[0])
    with pytest.raises(ValidationError, match="Siti Aminah: processing restricted"):
        services.attendance_bulk_record(
            actor=None,
            event=event,
            rows=[(world.people_a[2], "present"), (world.people_a[0], "present")],
        )
    assert list(Attendance.objects.all()) == [kept]


def test_the_officer_sees_why_on_the_delivery_form(client, world):
    restrict(world.people_a[0])
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:delivery_create") + f"?program={world.program.pk}"
    data = {
        "enrolment": world.enrolments_a[0].pk,
        "service_type": world.food.pk,
        "quantity": "1",
        "delivered_on": "2026-03-01",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Siti Aminah: processing restricted under UU PDP since" in page and REASON in page
    assert not ServiceDelivery.objects.exists()
