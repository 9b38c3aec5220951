import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English in these tests (pages still follow the request's language,
    Indonesian by default)."""
    with translation.override("en"):
        yield
