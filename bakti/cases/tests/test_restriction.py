"""UU PDP restriction of processing: no new referral to a partner for a restricted person (or a
household case with a restricted member), consent or override notwithstanding; the officer sees
why on the case page and in the refusal; existing referrals stay."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bakti.cases import services
from bakti.cases.models import Referral
from bakti.privacy.pdp.models import LimitKind, ProcessingLimit

from .helpers import give_referral_consent, open_case, organisation

REASON = "Permintaan pembatasan pemrosesan (DSR-12)"


def restrict(person):
    return ProcessingLimit.objects.create(
        kind=LimitKind.RESTRICTION, person=person, household_id=person.household_id, reason=REASON
    )


def _refer(world, case, service, **extra):
    return services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=service, need="Konseling", **extra
    )


def test_a_restricted_person_gets_no_new_referral_though_consent_is_recorded(world):
    case = open_case(world)
    give_referral_consent(world.people_a[0])
    _org, service = organisation()
    earlier = _refer(world, case, service)
    limit = restrict(world.people_a[0])
    with pytest.raises(ValidationError) as caught:
        _refer(world, case, service)
    since = date_format(timezone.localtime(limit.created_at).date())
    assert caught.value.messages[0].startswith(
        f"Siti Aminah: processing restricted under UU PDP since {since}: {REASON}."
    )
    assert list(Referral.objects.all()) == [earlier]


def test_the_consent_override_does_not_pass_a_restriction(world):
    case = open_case(world)
    _org, service = organisation()
    restrict(world.people_a[0])
    with pytest.raises(ValidationError, match="processing restricted under UU PDP"):
        services.referral_create(
            actor=world.cast.manager,
            case=case,
            service=service,
            need="Konseling",
            override_reason="Darurat: lansia sendirian",
        )
    assert not Referral.objects.exists()


def test_a_lifted_restriction_allows_the_referral_again(world):
    case = open_case(world)
    give_referral_consent(world.people_a[0])
    _org, service = organisation()
    limit = restrict(world.people_a[0])
    limit.lifted_at = timezone.now()
    limit.save()
    assert _refer(world, case, service).pk


def test_the_case_page_says_why_and_the_refusal_is_shown(client, world):
    case = open_case(world)
    give_referral_consent(world.people_a[0])
    _org, service = organisation()
    restrict(world.people_a[0])
    client.force_login(world.cast.field_worker_a)
    client.cookies["bakti_language"] = "en"
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'id="referral-restriction"' in page and REASON in page
    response = client.post(
        reverse("cases:case_action", args=[case.pk, "refer"]),
        {"refer-service": service.pk, "refer-need": "Konseling"},
        follow=True,
    )
    assert "Siti Aminah: processing restricted under UU PDP since" in response.content.decode()
    assert not Referral.objects.exists()
