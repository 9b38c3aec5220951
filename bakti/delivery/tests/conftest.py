from datetime import date

import pytest
from django.utils import translation

from bakti.delivery import services
from conftest import DESA_A, KABUPATEN

from .world import world  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def event(world):  # noqa: F811 - the imported fixture
    return services.event_create(
        actor=world.cast.manager,
        program=world.program,
        activity=world.activity,
        topic="Pertemuan",
        date=date(2026, 2, 3),
        region_id=DESA_A,
    )


@pytest.fixture
def distribution(world):  # noqa: F811 - the imported fixture
    return services.round_create(
        actor=world.cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako",
        region=KABUPATEN,
        planned_date=date(2026, 2, 10),
    )
