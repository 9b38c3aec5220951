"""`bakti demo` loads demo data into an empty database and refuses a non-empty one."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from bakti.accounts import demo as accounts_demo
from bakti.accounts.models import User
from bakti.regions.models import Region
from conftest import make_regions


@pytest.fixture
def accounts_demo_only(monkeypatch):
    """Only the foundation's part of the demo: the other apps' parts have tests of their own."""
    monkeypatch.setattr("bakti.core.demo.demo_modules", lambda: [accounts_demo])


@pytest.mark.django_db
def test_demo_refuses_a_database_that_has_users(cast) -> None:
    before = User.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("demo")
    assert User.objects.count() == before
    assert User.objects.filter(username="manager").exists()


# --force flushes the database, which PostgreSQL refuses inside the test's own transaction.
@pytest.mark.django_db(transaction=True)
def test_demo_loads_into_an_empty_database_and_force_reloads(accounts_demo_only, capsys) -> None:
    make_regions()
    # Rows present now came from data migrations (reference data) and the regions.
    reference = {
        model: model._default_manager.count()
        for model in apps.get_models()
        if model._default_manager.exists()
    }
    call_command("demo")
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"kadis", "manajer", "staf", "petugas.a", "petugas.b", "admin"} <= usernames
    assert "users" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("demo")
    User.objects.create(username="extra")
    call_command("demo", "--force")
    assert not User.objects.filter(username="extra").exists()
    assert User.objects.filter(username="kadis").count() == 1
    assert User.objects.get(username="kadis").check_password("bakti-demo")
    for model, count in reference.items():
        assert model._default_manager.count() == count, f"{model._meta.label} was not restored"
    assert Region.objects.count() == reference[Region]
