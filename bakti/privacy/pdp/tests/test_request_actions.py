"""Each right is carried out on the person's record, or refused with the reason kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bakti.cases.tests.helpers import open_case
from bakti.privacy.models import AuditEvent
from bakti.privacy.pdp import selectors, services
from bakti.privacy.pdp.models import Anonymisation
from bakti.registry.models import Consent, ConsentPurpose, Enrolment, Person

from .conftest import receive

ANSWER = {"answer": "Permintaan Anda telah kami proses.", "answer_channel": "letter"}


def _exit_all(person):
    Enrolment.objects.filter(household=person.household).update(
        status="exited", exited_on=dt.date(2020, 1, 1)
    )


def test_deletion_is_refused_with_the_reason_while_the_person_is_enrolled(client, world, dpo):
    person = world.people_a[0]
    request = receive(dpo, person, kind="deletion")
    request = services.dsr_erase(actor=dpo, request=request, **ANSWER)
    assert request.status == "refused"
    assert "Program PKH-T (Enrolled): the record is kept while enrolled." in request.refusal_reason
    assert not Anonymisation.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"
    client.force_login(dpo)
    page = client.get(reverse("privacy:dsr_detail", args=[request.pk])).content.decode()
    assert "Reason for refusal" in page
    assert "the record is kept while enrolled" in page


def test_deletion_is_refused_while_a_case_is_open(world, dpo):
    person = world.people_a[1]
    _exit_all(person)
    case = open_case(world, person=person)
    request = services.dsr_erase(actor=dpo, request=receive(dpo, person, kind="deletion"), **ANSWER)
    assert request.status == "refused"
    assert case.reference in request.refusal_reason


def test_deletion_anonymises_the_person_once_nothing_holds_the_record(client, world, dpo):
    person = world.people_a[0]
    _exit_all(person)
    request = receive(dpo, person, kind="deletion")
    client.force_login(dpo)
    page = client.get(reverse("privacy:dsr_detail", args=[request.pk])).content.decode()
    assert "Anonymise the person and answer" in page
    response = client.post(
        reverse("privacy:dsr_action", args=[request.pk, "erase"]),
        {"erase-answer": ANSWER["answer"], "erase-answer_channel": "letter"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered"
    assert request.handled_by == dpo
    person.refresh_from_db()
    assert person.full_name == f"ANONIM-{person.pk}"
    assert Anonymisation.objects.get(person=person).request == request
    # The request stays as the record of the answer, without the requester's own name.
    assert request.requester_name == f"ANONIM-{person.pk}"
    assert "Ibu Siti" not in str(AuditEvent.objects.values_list("changes", flat=True))


def test_refusal_needs_a_reason_and_an_answer(world, dpo):
    request = receive(dpo, world.people_a[0], kind="correction")
    with pytest.raises(ValidationError) as error:
        services.dsr_refuse(
            actor=dpo, request=request, refusal_reason=" ", answer="", answer_channel=""
        )
    assert set(error.value.message_dict) == {"refusal_reason", "answer", "answer_channel"}


def test_refusal_from_the_page_keeps_the_reason(client, world, dpo):
    request = receive(dpo, world.people_a[0], kind="objection")
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:dsr_action", args=[request.pk, "refuse"]),
        {
            "refuse-answer": "Ditolak.",
            "refuse-answer_channel": "letter",
            "refuse-refusal_reason": "",
        },
    )
    assert response.status_code == 200
    assert "Write why the request is refused." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "received"


def test_correction_changes_the_record_through_the_registry(world, dpo):
    person = world.people_a[0]
    request = receive(dpo, person, kind="correction")
    services.dsr_correct(
        actor=dpo, request=request, data={"phone": "081234567890", "nik": "x"}, **ANSWER
    )
    person.refresh_from_db()
    assert person.phone == "081234567890"
    assert person.nik != "x"  # only the correctable fields are passed on
    request.refresh_from_db()
    assert request.status == "answered"


def test_correction_form_says_when_nothing_was_corrected(client, world, dpo):
    request = receive(dpo, world.people_a[0], kind="correction")
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:dsr_action", args=[request.pk, "correct"]),
        {"correct-answer": "Sudah.", "correct-answer_channel": "letter"},
    )
    assert "Enter at least one corrected value." in response.content.decode()


def test_restriction_and_objection_are_listed_for_other_modules(world, dpo):
    person = world.people_a[0]
    services.dsr_restrict(actor=dpo, request=receive(dpo, person, kind="restriction"), **ANSWER)
    assert list(selectors.restricted_person_ids()) == [person.pk]
    other = world.people_a[1]
    services.dsr_object_to_scoring(
        actor=dpo, request=receive(dpo, other, kind="objection"), **ANSWER
    )
    assert list(selectors.objected_household_ids()) == [other.household_id]
    limit = selectors.limits_of(person).get()
    services.processing_limit_lift(actor=dpo, limit=limit, reason="Sengketa selesai.")
    assert list(selectors.restricted_person_ids()) == []


def test_withdrawal_withdraws_consent_through_the_registry(world, dpo):
    person = world.people_a[0]
    consent = Consent.objects.create(
        person=person, purpose=ConsentPurpose.DATA_SHARING, given_on=dt.date(2026, 1, 2)
    )
    request = receive(dpo, person, kind="withdrawal")
    services.dsr_withdraw_consent(actor=dpo, request=request, consents=[consent], **ANSWER)
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_a_closed_request_cannot_be_acted_on_again(world, dpo):
    request = receive(dpo, world.people_a[0])
    services.dsr_answer(actor=dpo, request=request, **ANSWER)
    with pytest.raises(ValidationError):
        services.dsr_refuse(actor=dpo, request=request, refusal_reason="x", **ANSWER)


def test_an_unidentified_request_is_linked_to_the_person_later(client, world, dpo):
    request = receive(dpo, None, region=world.people_a[0].region_id)
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:dsr_action", args=[request.pk, "link"]), {"link-person_id": 999999}
    )
    assert "No person with this number is in your area." in response.content.decode()
    client.post(
        reverse("privacy:dsr_action", args=[request.pk, "link"]),
        {"link-person_id": world.people_a[0].pk},
    )
    request.refresh_from_db()
    assert request.person == world.people_a[0]
    assert Person.objects.filter(pk=world.people_a[0].pk).exists()
