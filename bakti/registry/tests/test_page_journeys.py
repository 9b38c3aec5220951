"""Journeys through the registry pages: register, add members, consent, propose, approve,
score and target; and the access-denied answers of the scoring and targeting pages."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from bakti.registry.models import Enrolment, Household, Person, ScoringScheme, TargetingScheme
from bakti.registry.tests import factories
from conftest import DESA_A, DESA_B, KABUPATEN


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_household_member_consent_propose_and_approve(
    cast, django_capture_on_commit_callbacks
) -> None:
    program = factories.program(cast)
    # The field worker is offered only programs covering their kecamatan.
    program.regions.set([KABUPATEN])
    worker = _client(cast.field_worker_a)
    response = worker.post(
        reverse("registry:household_create"), {"no_kk": "3404 0101 0101 0042", "region": DESA_A}
    )
    household = Household.objects.get(no_kk="3404010101010042")
    assert response.status_code == 302
    response = worker.post(
        reverse("registry:member_add", args=[household.pk]),
        {
            "nik": "3404015708780005",
            "full_name": "Sri Wahyuni",
            "sex": "M",  # the NIK says female: saved, and flagged
            "birth_date": "1978-08-17",
            "relationship": "head",
        },
        follow=True,
    )
    person = Person.objects.get(nik="3404015708780005")
    assert person.sex == "M" and person.nik_flags[0]["check"] == "sex"
    assert (
        "The NIK says" in response.content.decode() or "NIK menyebut" in response.content.decode()
    )
    household.refresh_from_db()
    assert household.head == person
    # A duplicate NIK is refused on the form, naming the record.
    response = worker.post(
        reverse("registry:member_add", args=[household.pk]),
        {"nik": "3404015708780005", "full_name": "Sri W", "sex": "F"},
    )
    assert response.status_code == 200 and "Sri Wahyuni" in response.content.decode()
    worker.post(
        reverse("registry:consent_create", args=[person.pk]),
        {
            "purpose": "enrolment",
            "legal_basis": "consent",
            "given_by": "self",
            "given_on": "2026-01-05",
            "channel": "paper",
        },
    )
    worker.post(reverse("registry:enrolment_propose", args=[household.pk]), {"program": program.pk})
    enrolment = Enrolment.objects.get()
    assert (
        worker.get(reverse("registry:enrolment_action", args=[enrolment.pk, "approve"])).status_code
        == 403
    )
    manager = _client(cast.manager)
    response = manager.post(
        reverse("registry:enrolment_action", args=[enrolment.pk, "approve"]),
        {"on": "2026-02-01", "version": enrolment.version},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_bad_kk_is_explained_on_the_form(cast) -> None:
    response = _client(cast.field_worker_a).post(
        reverse("registry:household_create"), {"no_kk": "12345", "region": DESA_A}
    )
    assert response.status_code == 200
    assert "16" in response.content.decode()
    assert not Household.objects.exists()


def test_worker_cannot_register_in_another_kecamatan(cast) -> None:
    response = _client(cast.field_worker_a).post(
        reverse("registry:household_create"), {"no_kk": "3404020101010042", "region": DESA_B}
    )
    assert response.status_code == 200
    assert not Household.objects.exists()


def test_scoring_and_targeting_pages(cast, django_capture_on_commit_callbacks) -> None:
    factories.family(DESA_A, child_born=dt.date(2023, 1, 1))
    program = factories.program(cast)
    manager = _client(cast.manager)
    response = manager.post(
        reverse("registry:scoring_create"),
        {
            "name": "Demo points",
            "formula": "points",
            "intercept": "0",
            "variables": json.dumps(
                [{"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]}]
            ),
            "higher_is_poorer": "on",
            "status": "active",
        },
    )
    scheme = ScoringScheme.objects.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("registry:scoring_run", args=[scheme.pk]))
    page = manager.get(reverse("registry:scoring_detail", args=[scheme.pk])).content.decode()
    assert "100%" in page
    response = manager.post(
        reverse("registry:targeting_create"),
        {
            "program": program.pk,
            "name": "Balita",
            "combine": "all",
            "desil_at_most": "4",
            "member_under_age": "6",
            "benefit_unit": "household",
            "benefit_amount": "750000",
            "periods_per_year": "4",
            "budget_amount": "10000000",
            "status": "draft",
            "currency": "IDR",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target = TargetingScheme.objects.get()
    assert target.rules == {
        "all": [
            {"rule": "desil_at_most", "value": 4},
            {"rule": "member_under_age", "value": 6},
        ]
    }
    page = manager.get(reverse("registry:targeting_detail", args=[target.pk])).content.decode()
    assert "Rp" in page
    manager.post(reverse("registry:targeting_apply", args=[target.pk]))
    assert Enrolment.objects.filter(status="proposed").count() == 1


def test_bad_scoring_json_is_explained(cast) -> None:
    response = _client(cast.manager).post(
        reverse("registry:scoring_create"),
        {"name": "X", "formula": "points", "intercept": "0", "variables": "[{", "status": "draft"},
    )
    assert response.status_code == 200
    assert "JSON" in response.content.decode()


@pytest.mark.parametrize("who", ["field_worker_a", "auditor", "partner", "outsider"])
def test_targeting_and_scheme_editing_need_the_targeting_role(cast, who) -> None:
    client = _client(getattr(cast, who))
    for name in ["targeting_list", "targeting_create", "scoring_create"]:
        assert client.get(reverse(f"registry:{name}")).status_code == 403, name


def test_field_worker_reads_scoring_schemes(cast) -> None:
    assert _client(cast.field_worker_a).get(reverse("registry:scoring_list")).status_code == 200
