from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from .world import World, build


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The scope-matrix data, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        yield built
        transaction.set_rollback(True)
