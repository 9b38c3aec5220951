import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_in_services():
    """Service and unit tests read messages in English (the source language); pages and the
    API choose their language per request as in production."""
    with translation.override("en"):
        yield
