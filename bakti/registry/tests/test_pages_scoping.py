"""Every registry page: who may open it, and what out-of-scope users get (404, never the data)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bakti.privacy.models import AccessLog
from bakti.registry import services
from bakti.registry.tests import factories
from conftest import DESA_A, DESA_B


@pytest.fixture
def world(cast):
    home_a = factories.family(DESA_A, head_name="Agus A", child_born=dt.date(2016, 1, 1))
    home_b = factories.family(DESA_B, head_name="Bambang B")
    program = factories.program(cast)
    services.consent_give(
        actor=None, person=home_a.head, purpose="enrolment", given_on=dt.date(2026, 1, 1)
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home_a)
    consent = home_a.head.consents.get()
    return {
        "a": home_a,
        "b": home_b,
        "program": program,
        "enrolment": enrolment,
        "consent": consent,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(world):
    a = world["a"]
    return [
        reverse("registry:household_detail", args=[a.pk]),
        reverse("registry:household_edit", args=[a.pk]),
        reverse("registry:member_add", args=[a.pk]),
        reverse("registry:birth_record", args=[a.pk]),
        reverse("registry:enrolment_propose", args=[a.pk]),
        reverse("registry:assessment_create", args=[a.pk]),
        reverse("registry:person_detail", args=[a.head_id]),
        reverse("registry:person_edit", args=[a.head_id]),
        reverse("registry:person_move", args=[a.head_id]),
        reverse("registry:person_death", args=[a.head_id]),
        reverse("registry:consent_create", args=[a.head_id]),
        reverse("registry:consent_withdraw", args=[world["consent"].pk]),
    ]


def test_field_worker_a_opens_every_page_of_their_household(cast, world) -> None:
    client = _client(cast.field_worker_a)
    for url in _pages(world):
        assert client.get(url).status_code == 200, url


def test_field_worker_b_gets_404_for_another_areas_household(cast, world) -> None:
    client = _client(cast.field_worker_b)
    for url in _pages(world):
        assert client.get(url).status_code == 404, url
    url = reverse("registry:enrolment_action", args=[world["enrolment"].pk, "suspend"])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("registry:person_reveal", args=[world["a"].head_id])).status_code == 404
    )


@pytest.mark.parametrize("who", ["partner", "outsider", "finance", "mne", "admin"])
def test_users_without_registry_access_are_refused(cast, world, who) -> None:
    client = _client(getattr(cast, who))
    lists = [
        reverse("registry:search"),
        reverse("registry:person_list"),
        reverse("registry:enrolment_list"),
        reverse("registry:scoring_list"),
    ]
    for url in lists:
        assert client.get(url).status_code == 403, url
    for url in _pages(world):
        assert client.get(url).status_code in (403, 404), url


def test_anonymous_users_are_sent_to_log_in(world) -> None:
    response = Client().get(reverse("registry:search"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_auditor_reads_but_cannot_change_or_reveal(cast, world) -> None:
    client = _client(cast.auditor)
    a = world["a"]
    assert client.get(reverse("registry:household_detail", args=[a.pk])).status_code == 200
    assert client.get(reverse("registry:person_detail", args=[a.head_id])).status_code == 200
    assert client.get(reverse("registry:household_edit", args=[a.pk])).status_code == 403
    assert client.post(reverse("registry:person_reveal", args=[a.head_id])).status_code == 403
    assert client.get(reverse("registry:targeting_list")).status_code == 403
    page = client.get(reverse("registry:household_detail", args=[a.pk])).content.decode()
    assert a.head.nik not in page and a.no_kk not in page


def test_lists_and_pages_mask_nik_and_kk(cast, world) -> None:
    client = _client(cast.manager)
    a = world["a"]
    head = a.head
    for url in [
        reverse("registry:search"),
        reverse("registry:person_list"),
        reverse("registry:enrolment_list"),
        reverse("registry:household_detail", args=[a.pk]),
        reverse("registry:person_detail", args=[head.pk]),
    ]:
        html = client.get(url).content.decode()
        assert head.nik not in html, url
        assert a.no_kk not in html, url
    assert (
        head.nik[:4] + "********" + head.nik[-4:]
        in client.get(reverse("registry:person_list")).content.decode()
    )


def test_show_full_nik_is_a_logged_post(cast, world) -> None:
    client = _client(cast.field_worker_a)
    head = world["a"].head
    url = reverse("registry:person_reveal", args=[head.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert head.nik in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.actor, log.what, log.object_id) == (cast.field_worker_a, "NIK", str(head.pk))
    response = client.post(reverse("registry:household_reveal", args=[world["a"].pk]))
    assert response.status_code == 302
    assert AccessLog.objects.filter(what="No. KK").count() == 1


@pytest.mark.parametrize("name", ["search", "person_list", "enrolment_list"])
def test_exports_are_scoped_and_masked(cast, world, name) -> None:
    head_a, head_b = world["a"].head, world["b"].head
    response = _client(cast.field_worker_a).get(reverse(f"registry:{name}"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert head_a.nik not in body and world["a"].no_kk not in body
    assert world["a"].no_kk[:4] + "********" + world["a"].no_kk[-4:] in body
    assert "Bambang" not in body and head_b.nik[-4:] + "\r" not in body
    xlsx = _client(cast.field_worker_a).get(reverse(f"registry:{name}"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_children_hidden_from_roles_without_sensitive_access(cast, world, monkeypatch) -> None:
    from bakti.accounts import roles

    monkeypatch.setitem(
        roles.CAPABILITIES,
        roles.Role.FIELD_WORKER,
        roles.CAPABILITIES[roles.Role.FIELD_WORKER] - {"registry.sensitive"},
    )
    client = _client(cast.field_worker_a)
    html = client.get(reverse("registry:household_detail", args=[world["a"].pk])).content.decode()
    assert "Adi Saputra" not in html
    assert "1 child is not shown" in html or "1 anak" in html
    child = world["a"].members.get(relationship="child")
    assert client.get(reverse("registry:person_detail", args=[child.pk])).status_code == 404
    body = b"".join(
        client.get(reverse("registry:person_list"), {"export": "csv"}).streaming_content
    ).decode()
    assert "Adi Saputra" not in body
