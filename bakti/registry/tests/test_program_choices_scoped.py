"""The program filters and choices on registry pages list only the programs the user may see:
a field worker of kecamatan A is not shown the names of programs that run only in kecamatan B
(found by the scope matrix, tests/security)."""

import datetime as dt

import pytest
from django.urls import reverse

from bakti.programs.models import Program, ProgramType
from conftest import KECAMATAN_A, KECAMATAN_B

from .factories import family


def _program(cast, code: str, name: str, region: str) -> Program:
    program = Program.objects.create(
        code=code,
        name=name,
        program_type=ProgramType.objects.order_by("pk").first(),
        org_unit=cast.division_linjamsos,
        status="active",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    program.regions.set([region])
    return program


@pytest.fixture
def programs(cast):
    return (
        _program(cast, "PA-1", "Bantuan Gamping", KECAMATAN_A),
        _program(cast, "PB-1", "Bantuan Khusus Godean", KECAMATAN_B),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    ["registry:search", "registry:person_list", "registry:enrolment_list"],
)
def test_filters_offer_only_programs_in_scope(client, cast, programs, page):
    client.force_login(cast.field_worker_a)
    body = client.get(reverse(page)).content.decode()
    assert "Bantuan Gamping" in body
    assert "Bantuan Khusus Godean" not in body


@pytest.mark.django_db
def test_consent_and_proposal_forms_offer_only_programs_in_scope(client, cast, programs):
    home = family("34.04.01.2001")
    client.force_login(cast.field_worker_a)
    for url in (
        reverse("registry:consent_create", args=[home.head_id]),
        reverse("registry:enrolment_propose", args=[home.pk]),
    ):
        body = client.get(url).content.decode()
        assert "Bantuan Gamping" in body, url
        assert "Bantuan Khusus Godean" not in body, url


@pytest.mark.django_db
def test_a_department_wide_user_is_offered_every_program(client, cast, programs):
    client.force_login(cast.manager)
    body = client.get(reverse("registry:search")).content.decode()
    assert "Bantuan Gamping" in body
    assert "Bantuan Khusus Godean" in body
