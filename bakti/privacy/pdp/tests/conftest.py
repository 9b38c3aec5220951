import datetime as dt

import pytest
from django.utils import timezone, translation

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.delivery.tests.world import world  # noqa: F401 - fixture
from bakti.privacy.pdp import services
from conftest import KECAMATAN_A, PASSWORD


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in the source language."""
    with translation.override("en"):
        yield


def _user(username: str, cast, region: str | None = None):
    user = account_services.user_create(
        actor=None, username=username, password=PASSWORD, full_name=username.title()
    )
    account_services.membership_grant(
        actor=None, user=user, role=Role.DPO, org_unit=cast.department, region_code=region
    )
    return user


@pytest.fixture
def client():
    """Pages in English, the source language, for tests that read them."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def dpo(cast):
    """The department's data protection officer (the whole kabupaten)."""
    return _user("dpo", cast)


@pytest.fixture
def dpo_a(cast):
    """A data protection officer for kecamatan A only."""
    return _user("dpo_a", cast, KECAMATAN_A)


def receive(actor, person=None, *, kind="access", hours_ago=0, region=None):
    return services.dsr_receive(
        actor=actor,
        kind=kind,
        person=person,
        region=region,
        requester_name="Ibu Siti",
        requester_relation="self",
        channel="in_person",
        received_at=timezone.now() - dt.timedelta(hours=hours_ago),
        details="Saya ingin melihat data saya.",
    )
