"""The shared test cast: one org unit tree, a few regions, and one user per role and scope.

Use the ``cast`` fixture and log a user in with ``client.force_login(cast.manager)``. Field
worker A works in kecamatan A (Gamping), field worker B in kecamatan B (Godean); the outsider
has an account and no role at all.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from bakti.accounts import services as account_services
from bakti.accounts.models import OrgUnit, OrgUnitKind, User
from bakti.accounts.roles import Role
from bakti.regions.models import Region

PASSWORD = "a-Test-password-123"  # noqa: S105 - test accounts only

PROVINCE = "34"
KABUPATEN = "34.04"
KECAMATAN_A = "34.04.01"
KECAMATAN_B = "34.04.02"
DESA_A = "34.04.01.2001"
DESA_A2 = "34.04.01.2002"
DESA_B = "34.04.02.2001"
OTHER_KABUPATEN = "34.71"
OTHER_KECAMATAN = "34.71.01"
OTHER_DESA = "34.71.01.1001"

TEST_REGIONS = [
    (PROVINCE, "Daerah Istimewa Yogyakarta"),
    (KABUPATEN, "Kabupaten Sleman"),
    (KECAMATAN_A, "Gamping"),
    (DESA_A, "Balecatur"),
    (DESA_A2, "Ambarketawang"),
    (KECAMATAN_B, "Godean"),
    (DESA_B, "Sidorejo"),
    ("34.04.02.2002", "Sidoluhur"),
    (OTHER_KABUPATEN, "Kota Yogyakarta"),
    (OTHER_KECAMATAN, "Mantrijeron"),
    (OTHER_DESA, "Gedongkiwo"),
]


@dataclass
class Cast:
    department: OrgUnit
    division_rehsos: OrgUnit
    division_linjamsos: OrgUnit
    head: User
    manager: User
    officer: User
    field_worker_a: User
    field_worker_b: User
    finance: User
    mne: User
    partner: User
    auditor: User
    admin: User
    outsider: User

    def all_users(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def make_regions() -> None:
    Region.objects.bulk_create(
        [
            Region(
                code=code,
                name=name,
                level=code.count(".") + 1,
                parent_id=code.rsplit(".", 1)[0] if "." in code else None,
            )
            for code, name in TEST_REGIONS
        ],
        ignore_conflicts=True,
    )


def _user(username: str, role: str | None, unit: OrgUnit, region: str | None = None) -> User:
    user = account_services.user_create(
        actor=None, username=username, password=PASSWORD, full_name=username.title()
    )
    if role:
        account_services.membership_grant(
            actor=None, user=user, role=role, org_unit=unit, region_code=region
        )
    return user


def make_cast() -> Cast:
    make_regions()
    department = account_services.org_unit_create(
        actor=None,
        name="Dinas Sosial Test",
        code="T-DINSOS",
        kind=OrgUnitKind.DEPARTMENT,
        region_code=KABUPATEN,
    )
    rehsos = account_services.org_unit_create(
        actor=None,
        name="Bidang Rehsos",
        code="T-REHSOS",
        kind=OrgUnitKind.DIVISION,
        parent=department,
    )
    linjamsos = account_services.org_unit_create(
        actor=None,
        name="Bidang Linjamsos",
        code="T-LINJAMSOS",
        kind=OrgUnitKind.DIVISION,
        parent=department,
    )
    return Cast(
        department=department,
        division_rehsos=rehsos,
        division_linjamsos=linjamsos,
        head=_user("head", Role.HEAD, department),
        manager=_user("manager", Role.MANAGER, department),
        officer=_user("officer", Role.OFFICER, rehsos),
        field_worker_a=_user("worker_a", Role.FIELD_WORKER, linjamsos, KECAMATAN_A),
        field_worker_b=_user("worker_b", Role.FIELD_WORKER, linjamsos, KECAMATAN_B),
        finance=_user("finance", Role.FINANCE, department),
        mne=_user("mne", Role.MNE, department),
        partner=_user("partner", Role.PARTNER, department),
        auditor=_user("auditor", Role.AUDITOR, department),
        admin=_user("admin", Role.ADMIN, department),
        outsider=_user("outsider", None, department),
    )


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(scope="session", autouse=True)
def _static_root() -> None:
    """whitenoise warns about a missing STATIC_ROOT on every request; tests serve static files
    from the apps (finders), so an empty folder is all it needs."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (and browser tests on a live server) empty every table when they
    end, which also removes the reference data that data migrations load (PPKS categories,
    program types, SLA matrix, …). Give each of them a serialized rollback, so the database
    as migrated is restored before it runs, whatever ran before it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        fixtures = getattr(item, "fixturenames", ())
        transactional = kwargs.get("transaction") or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
