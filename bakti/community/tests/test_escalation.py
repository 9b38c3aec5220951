"""An overdue ticket escalates by itself, one level up the ladder per breach, recorded, once."""

import datetime as dt

import pytest

from bakti.community import services
from bakti.community.models import Escalation, EscalationStep, Ticket
from bakti.community.tasks import escalate_overdue_tickets
from bakti.privacy.models import AuditEvent

from .factories import at, ticket

pytestmark = pytest.mark.django_db


def test_escalates_when_acknowledgement_is_overdue_and_only_once(cast) -> None:
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 23))  # Monday
    assert t.acknowledge_due == dt.date(2026, 11, 25)
    assert t.escalation_step.order == 1
    assert services.tickets_escalate_overdue(today=dt.date(2026, 11, 25)) == []
    done = services.tickets_escalate_overdue(today=dt.date(2026, 11, 26))
    assert len(done) == 1
    t.refresh_from_db()
    assert t.escalation_step == EscalationStep.objects.get(order=2)
    assert services.tickets_escalate_overdue(today=dt.date(2026, 11, 27)) == []
    t.refresh_from_db()
    assert t.escalation_step.order == 2
    assert (
        AuditEvent.objects.filter(
            object_type="community.ticket",
            object_id=str(t.pk),
            action="update",
            changes__has_key="escalation_step",
        ).count()
        == 1
    )


def test_a_resolution_breach_escalates_one_more_level(cast) -> None:
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 23))
    services.ticket_transition(actor=cast.officer, ticket=t, action="acknowledge")
    late = t.resolve_due + dt.timedelta(days=1)
    escalate_overdue_tickets.enqueue(late.isoformat())  # the job, run at once in tests
    t.refresh_from_db()
    assert t.escalation_step.order == 2
    assert list(Escalation.objects.values_list("breach", flat=True)) == ["resolve"]


def test_resolved_tickets_do_not_escalate(cast) -> None:
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 23))
    services.ticket_transition(actor=cast.officer, ticket=t, action="start")
    services.ticket_transition(
        actor=cast.officer, ticket=t, action="resolve", resolution="Sudah dibayarkan."
    )
    assert services.tickets_escalate_overdue(today=dt.date(2027, 6, 1)) == []


def test_the_top_of_the_ladder_is_the_limit(cast) -> None:
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 23))
    t.escalation_step = EscalationStep.objects.order_by("-order").first()
    t.save(update_fields=["escalation_step"])
    assert services.tickets_escalate_overdue(today=dt.date(2027, 6, 1)) == []


def test_a_closed_ticket_never_acknowledged_does_not_escalate(cast) -> None:
    t = ticket(actor=cast.officer, received_at=at(2026, 11, 23))
    Ticket.objects.filter(pk=t.pk).update(status="closed")  # closed where it came from
    assert services.tickets_escalate_overdue(today=dt.date(2026, 12, 1)) == []
