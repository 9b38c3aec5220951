"""Referrals: the consent gate, its override, and the partner's answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.cases import services
from bakti.cases.models import Referral, ReferralStatus
from bakti.privacy.models import AuditEvent

from .helpers import give_referral_consent, link_partner, open_case, organisation


def test_a_referral_without_consent_is_refused_with_a_clear_message(world):
    case = open_case(world)
    _org, service = organisation()
    with pytest.raises(ValidationError, match="no recorded consent"):
        services.referral_create(
            actor=world.cast.field_worker_a, case=case, service=service, need="Konseling"
        )
    assert not Referral.objects.exists()


def test_a_referral_with_consent_goes(world):
    case = open_case(world)
    consent = give_referral_consent(world.people_a[0])
    _org, service = organisation()
    referral = services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=service, need="Konseling"
    )
    assert referral.consent == consent and referral.status == ReferralStatus.SENT


def test_withdrawn_consent_does_not_count(world):
    case = open_case(world)
    consent = give_referral_consent(world.people_a[0])
    consent.withdrawn_on = consent.given_on
    consent.save()
    _org, service = organisation()
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=world.cast.field_worker_a, case=case, service=service, need="Konseling"
        )


def test_override_needs_the_permission_and_a_written_reason(world):
    case = open_case(world)
    _org, service = organisation()
    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=world.cast.field_worker_a,
            case=case,
            service=service,
            need="Rumah aman",
            override_reason="Bahaya",
        )
    referral = services.referral_create(
        actor=world.cast.manager,
        case=case,
        service=service,
        need="Rumah aman",
        override_reason="Anak dalam bahaya langsung; orang tua pelaku",
    )
    assert referral.consent is None
    assert referral.consent_override_reason.startswith("Anak dalam bahaya")
    event = AuditEvent.objects.for_object(referral).get()
    assert "bahaya" in event.reason


def test_only_the_partner_of_the_organisation_answers(world):
    case = open_case(world)
    give_referral_consent(world.people_a[0])
    org, service = organisation()
    other_org, _other_service = organisation("Yayasan Lain")
    referral = services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=service, need="Konseling"
    )
    partner = world.cast.partner
    link_partner(partner, other_org)
    with pytest.raises(PermissionDenied):
        services.referral_respond(actor=partner, referral=referral, accept=True)
    partner.partner_link.organisation = org
    partner.partner_link.save()
    with pytest.raises(ValidationError):
        services.referral_respond(actor=partner, referral=referral, accept=False)
    services.referral_respond(actor=partner, referral=referral, accept=True)
    services.referral_complete(actor=partner, referral=referral, outcome="Lima sesi")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.responded_by == partner


def test_the_api_refuses_a_referral_without_consent_with_the_reason(client, world):
    import json

    case = open_case(world)
    _org, service = organisation()
    client.force_login(world.cast.field_worker_a)
    response = client.post(
        f"/api/v1/cases/{case.pk}/referrals",
        data=json.dumps({"service_id": service.pk, "need": "Konseling"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "no recorded consent" in response.json()["errors"][0]["message"]
    give_referral_consent(world.people_a[0])
    response = client.post(
        f"/api/v1/cases/{case.pk}/referrals",
        data=json.dumps({"service_id": service.pk, "need": "Konseling"}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "sent"
