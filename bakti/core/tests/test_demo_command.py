"""`bakti demo` loads demo data into an empty database and refuses a non-empty one."""

import pytest
from django.core.management import CommandError, call_command

from bakti.accounts.models import User
from conftest import make_regions


@pytest.mark.django_db
def test_demo_refuses_a_database_that_has_users(cast) -> None:
    before = User.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("demo")
    assert User.objects.count() == before
    assert User.objects.filter(username="manager").exists()


@pytest.mark.django_db(transaction=True)
def test_demo_loads_into_an_empty_database_and_force_reloads(capsys) -> None:
    make_regions()
    call_command("demo")
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"kadis", "manajer", "staf", "petugas.a", "petugas.b", "admin"} <= usernames
    assert "users" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("demo")
    call_command("demo", "--force")
    assert User.objects.filter(username="kadis").count() == 1
    assert User.objects.get(username="kadis").check_password("bakti-demo")
