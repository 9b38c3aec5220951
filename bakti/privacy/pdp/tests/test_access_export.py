"""An access request exports everything held about the person: every table that refers to the
person or their household, the audit events and the access log about those rows."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from bakti.cases.tests.helpers import open_case
from bakti.privacy.models import AccessLog
from bakti.privacy.pdp import services
from bakti.registry.models import Consent, ConsentPurpose, Household, Person

from .conftest import receive


def _tables_referring_to_people() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            link = getattr(field, "many_to_one", False) and field.concrete
            if link and field.related_model in (Person, Household):
                found.add(model._meta.label_lower)
    return found - {"registry.person", "registry.household"}


def test_the_export_covers_every_table_that_refers_to_a_person(world, dpo):
    person = world.people_a[0]
    Consent.objects.create(
        person=person, purpose=ConsentPurpose.DATA_SHARING, given_on=dt.date(2026, 1, 2)
    )
    case = open_case(world, person=person)
    request = receive(dpo, person)
    data = services.dsr_access_export(actor=dpo, request=request)
    expected = _tables_referring_to_people() | {"cases.referral", "pdp.datasubjectrequest"}
    assert expected <= set(data["records"])
    assert {"registry.enrolment", "registry.consent", "cases.case", "delivery.attendance"} <= (
        expected
    )
    assert data["person"]["full_name"] == "Siti Aminah"
    assert data["person"]["nik"] == person.nik
    assert data["household"]["no_kk"] == person.household.no_kk
    assert len(data["records"]["registry.enrolment"]) == 1
    assert len(data["records"]["registry.consent"]) == 1
    # Case records are a summary: free text that may hold others' data is withheld.
    [case_row] = data["records"]["cases.case"]
    assert case_row["reference"] == case.reference
    assert "summary" not in case_row
    objects = {e["object"] for e in data["audit_events"]}
    assert f"cases.case#{case.pk}" in objects
    assert f"pdp.datasubjectrequest#{request.pk}" in objects
    assert any(a["what"] == "full record export (access request)" for a in data["access_log"])
    json.dumps(data)  # JSON-ready throughout


def test_the_export_is_logged_as_an_access(world, dpo):
    person = world.people_a[0]
    services.dsr_access_export(actor=dpo, request=receive(dpo, person))
    entry = AccessLog.objects.get(object_type="registry.person", object_id=str(person.pk))
    assert entry.actor == dpo


def test_only_an_access_request_gives_an_export(world, dpo):
    with pytest.raises(ValidationError):
        services.dsr_access_export(
            actor=dpo, request=receive(dpo, world.people_a[0], kind="correction")
        )


def test_the_export_downloads_as_json_and_pdf(client, world, dpo):
    request = receive(dpo, world.people_a[0])
    client.force_login(dpo)
    response = client.get(reverse("privacy:dsr_export", args=[request.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["person"]["full_name"] == "Siti Aminah"
    response = client.get(reverse("privacy:dsr_export", args=[request.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
