"""Distribution rounds: list from enrolment, nobody receives twice, non-enrolled refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bakti.delivery import services
from bakti.delivery.models import Recipient, ServiceDelivery
from bakti.registry.models import EnrolmentStatus
from conftest import KABUPATEN, KECAMATAN_A

from .world import enrol


def _round(world, region=KABUPATEN):
    return services.round_create(
        actor=world.cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako Januari",
        region=region,
        planned_date=date(2026, 1, 15),
    )


def test_recipient_list_is_made_from_current_enrolments_in_the_region(world):
    suspended = world.enrolments_a[2]
    suspended.status = EnrolmentStatus.SUSPENDED
    suspended.save()
    distribution = _round(world, region=KECAMATAN_A)
    lines = list(Recipient.objects.filter(round=distribution).order_by("line"))
    assert [r.enrolment_id for r in lines] == [e.pk for e in world.enrolments_a[:2]]
    assert [r.line for r in lines] == [1, 2]


def test_receiving_records_a_delivery_with_the_value_of_the_units(world):
    distribution = _round(world)
    recipient = distribution.recipients.get(enrolment=world.enrolments_a[0])
    result = services.round_receive(
        actor=world.cast.field_worker_a,
        distribution=distribution,
        recipients=[recipient],
        delivered_on=date(2026, 1, 15),
    )
    assert result.recorded == 1 and not result.errors
    delivery = ServiceDelivery.objects.get(round=distribution)
    assert delivery.value == Decimal("250000.00")
    assert delivery.region_id == world.households_a[0].region_id


def test_nobody_receives_the_same_round_twice(world):
    distribution = _round(world)
    recipient = distribution.recipients.get(enrolment=world.enrolments_a[0])
    services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=[recipient],
        delivered_on=date(2026, 1, 15),
    )
    result = services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=[recipient],
        delivered_on=date(2026, 1, 16),
    )
    assert result.recorded == 0
    assert "already received" in result.errors[0]
    assert ServiceDelivery.objects.filter(round=distribution).count() == 1


def test_the_database_refuses_a_second_receipt_even_past_the_check(world):
    distribution = _round(world)
    enrolment = world.enrolments_a[0]
    services.delivery_record(
        actor=world.cast.manager,
        enrolment=enrolment,
        service_type=world.food,
        quantity=Decimal("1"),
        delivered_on=date(2026, 1, 15),
        round=distribution,
    )
    first = ServiceDelivery.objects.get(round=distribution)
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save(force_insert=True)


def test_a_race_past_the_check_gets_the_clear_message(world, monkeypatch):
    """Two phones record the same line at once: both pass the existence check, the database
    constraint stops the second, and the service turns it into the same message."""
    distribution = _round(world)
    enrolment = world.enrolments_a[0]
    kwargs = dict(
        actor=world.cast.manager,
        enrolment=enrolment,
        service_type=world.food,
        quantity=Decimal("1"),
        delivered_on=date(2026, 1, 15),
        round=distribution,
    )
    services.delivery_record(**kwargs)

    real_filter = ServiceDelivery.objects.filter

    class Blind:
        def exists(self):
            return False

    def blind_filter(*args, **kw):
        if kw.get("round") == distribution:
            return Blind()
        return real_filter(*args, **kw)

    monkeypatch.setattr(ServiceDelivery.objects, "filter", blind_filter)
    with pytest.raises(ValidationError, match="same round twice"):
        services.delivery_record(**kwargs)
    monkeypatch.undo()
    assert ServiceDelivery.objects.filter(round=distribution).count() == 1


def test_people_not_enrolled_cannot_receive(world):
    enrolment = world.enrolments_a[0]
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.save()
    with pytest.raises(ValidationError, match="not enrolled"):
        services.delivery_record(
            actor=world.cast.manager,
            enrolment=enrolment,
            service_type=world.food,
            quantity=Decimal("1"),
            delivered_on=date(2026, 1, 15),
        )


def test_a_line_whose_enrolment_ended_after_the_list_was_made_is_refused(world):
    distribution = _round(world)
    enrolment = world.enrolments_a[1]
    enrolment.status = EnrolmentStatus.SUSPENDED
    enrolment.save()
    recipient = distribution.recipients.get(enrolment=enrolment)
    result = services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=[recipient],
        delivered_on=date(2026, 1, 15),
    )
    assert result.recorded == 0 and "not enrolled" in result.errors[0]


def test_a_service_of_another_program_is_refused(world):
    from .world import make_program

    other, _activity = make_program(world.cast, code="OTHER")
    other_enrolment = enrol(other, world.households_a[0])
    with pytest.raises(ValidationError):
        services.delivery_record(
            actor=world.cast.manager,
            enrolment=other_enrolment,
            service_type=world.food,
            quantity=Decimal("1"),
            delivered_on=date(2026, 1, 15),
        )


def test_when_only_the_database_constraint_is_left_the_message_is_still_clear(world, monkeypatch):
    """The last line of defence: the existence check and model validation both miss the
    concurrent receipt (as when two requests pass them at the same moment); the unique
    constraint refuses the insert and the service reports it in words."""
    distribution = _round(world)
    kwargs = dict(
        actor=world.cast.manager,
        enrolment=world.enrolments_a[0],
        service_type=world.food,
        quantity=Decimal("1"),
        delivered_on=date(2026, 1, 15),
        round=distribution,
    )
    services.delivery_record(**kwargs)
    real_filter = ServiceDelivery.objects.filter

    class Blind:
        def exists(self):
            return False

    monkeypatch.setattr(
        ServiceDelivery.objects,
        "filter",
        lambda *a, **kw: Blind() if kw.get("round") == distribution else real_filter(*a, **kw),
    )
    monkeypatch.setattr(ServiceDelivery, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="already received"):
        services.delivery_record(**kwargs)
    monkeypatch.undo()
    assert ServiceDelivery.objects.filter(round=distribution).count() == 1
