import pytest
from django.utils import translation

from .world import world  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in the source language."""
    with translation.override("en"):
        yield
