"""Handling a ticket from intake to closure; closing the loop with the complainant."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bakti.community import services
from bakti.community.models import Channel, IdentityMode, OutboundMessage, Status, Ticket
from bakti.privacy.models import AccessLog

from .factories import category, ticket

pytestmark = pytest.mark.django_db


def test_the_full_status_flow_and_reopen_by_staff(cast) -> None:
    t = ticket(actor=cast.officer)
    flow = [
        ("acknowledge", {}),
        ("assign", {"assignee": cast.officer}),
        ("start", {}),
        ("hold", {"note": "Menunggu data dari bank"}),
        ("resume", {}),
        ("resolve", {"resolution": "Dana sudah ditransfer ulang."}),
        ("close", {}),
        ("reopen", {"note": "Ternyata belum masuk."}),
    ]
    for action, extra in flow:
        services.ticket_transition(actor=cast.officer, ticket=t, action=action, **extra)
    t.refresh_from_db()
    assert t.status == Status.IN_PROGRESS
    assert t.reopened_count == 1 and t.resolved_at is None
    assert t.acknowledged_at is not None


def test_illegal_moves_and_missing_outcome_are_refused(cast) -> None:
    t = ticket(actor=cast.officer)
    with pytest.raises(ValidationError):
        services.ticket_transition(actor=cast.officer, ticket=t, action="close")
    services.ticket_transition(actor=cast.officer, ticket=t, action="start")
    with pytest.raises(ValidationError) as error:
        services.ticket_transition(actor=cast.officer, ticket=t, action="resolve")
    assert "resolution" in error.value.message_dict


def test_resolving_sends_the_outcome_through_the_pluggable_sender(cast) -> None:
    t = ticket(actor=cast.officer, channel=Channel.WHATSAPP, complainant_phone="081299998888")
    services.ticket_transition(actor=cast.officer, ticket=t, action="start")
    services.ticket_transition(
        actor=cast.officer, ticket=t, action="resolve", resolution="Data Anda sudah diperbaiki."
    )
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.sender) == (
        "whatsapp",
        "081299998888",
        "database-log",
    )
    assert "Data Anda sudah diperbaiki." in message.body


def test_complainant_reads_the_outcome_rates_it_and_can_reopen(client, cast) -> None:
    t = ticket(actor=cast.officer, identity_mode=IdentityMode.ANONYMOUS)
    services.ticket_transition(actor=cast.officer, ticket=t, action="start")
    services.ticket_transition(
        actor=cast.officer, ticket=t, action="resolve", resolution="Bantuan sudah disalurkan."
    )
    url = reverse("lapor:status", args=[t.code])
    assert "Bantuan sudah disalurkan." in client.get(url).content.decode()
    assert client.post(url, {"form": "rating", "satisfaction": "3"}).status_code == 302
    t.refresh_from_db()
    assert t.satisfaction == 3
    assert client.post(url, {"form": "reopen", "reason": "Belum saya terima."}).status_code == 302
    t.refresh_from_db()
    assert t.status == Status.IN_PROGRESS
    assert t.replies.filter(from_complainant=True, is_public=True).exists()


def test_confidential_identity_is_shown_only_to_the_handling_officer(client, cast) -> None:
    t = ticket(
        actor=cast.manager,
        identity_mode=IdentityMode.CONFIDENTIAL,
        complainant_name="Siti Aminah Rahasia",
    )
    client.force_login(cast.head)
    assert (
        "Siti Aminah Rahasia"
        not in client.get(reverse("community:ticket_detail", args=[t.pk])).content.decode()
    )
    services.ticket_transition(actor=cast.manager, ticket=t, action="assign", assignee=cast.officer)
    client.force_login(cast.officer)
    page = client.get(reverse("community:ticket_detail", args=[t.pk])).content.decode()
    assert "Siti Aminah Rahasia" in page
    assert AccessLog.objects.filter(actor=cast.officer, object_id=str(t.pk)).exists()


def test_staff_intake_from_lapor_needs_the_external_reference(client, cast) -> None:
    client.force_login(cast.officer)
    data = {
        "channel": Channel.LAPOR,
        "category": category("payment").pk,
        "priority": services.Priority.objects.get(code="normal").pk,
        "description": "Diteruskan dari SP4N-LAPOR!",
        "identity_mode": IdentityMode.ANONYMOUS,
    }
    response = client.post(reverse("community:ticket_create"), data)
    assert response.status_code == 200
    assert "LAPOR!" in response.content.decode()
    assert not Ticket.objects.exists()
    response = client.post(
        reverse("community:ticket_create"), {**data, "external_reference": "LPR-2026-1234"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().external_reference == "LPR-2026-1234"


def test_handling_from_the_page(client, cast) -> None:
    t = ticket(actor=cast.officer)
    client.force_login(cast.officer)
    url = reverse("community:ticket_detail", args=[t.pk])
    response = client.post(
        url, {"form": "transition", "action": "acknowledge", "version": t.version}
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Status.ACKNOWLEDGED
    stale = client.post(url, {"form": "transition", "action": "start", "version": 1})
    assert stale.status_code == 200  # the page shows what changed (tests/reliability)
    t.refresh_from_db()
    assert t.status == Status.ACKNOWLEDGED  # the stale edit was refused
    client.force_login(cast.field_worker_a)  # may view, may not handle
    assert client.post(
        url, {"form": "transition", "action": "start", "version": t.version}
    ).status_code in {403, 404}


def test_linking_a_ticket_to_a_household_in_scope(client, cast) -> None:
    from bakti.registry import services as registry

    household = registry.household_create(
        actor=cast.manager, no_kk="3404011203150001", region="34.04.01.2001"
    )
    t = ticket(actor=cast.officer, region="34.04.01.2001")
    client.force_login(cast.officer)
    url = reverse("community:ticket_detail", args=[t.pk])
    bad = client.post(url, {"form": "link", "no_kk": "3404011203159999"})
    assert bad.status_code == 200
    assert "no_kk" in bad.context["link_form"].errors
    assert client.post(url, {"form": "link", "no_kk": household.no_kk}).status_code == 302
    t.refresh_from_db()
    assert t.household_id == household.pk
    # a worker of another kecamatan who may see the ticket would not see the household
    client.force_login(cast.field_worker_b)
    assert client.get(url).status_code == 404
