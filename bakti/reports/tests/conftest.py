import datetime as dt
from decimal import Decimal as D

import pytest
from django.apps import apps

from bakti.monitoring.tests.conftest import english, tracked  # noqa: F401 - shared fixtures


@pytest.fixture
def funded(cast, tracked):  # noqa: F811
    """``tracked`` with a 2026 budget and two approved expenditures (and one pending)."""
    if not apps.is_installed("bakti.finance"):
        return tracked
    from bakti.finance.models import (
        AccountClass,
        BudgetLine,
        Expenditure,
        FiscalYear,
        FundingSource,
    )
    from bakti.regions.models import Region

    tracked.regions.add(Region.objects.get(code="34.04.01"))
    year, _ = FiscalYear.objects.get_or_create(
        year=2026, defaults={"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 12, 31)}
    )
    source = FundingSource.objects.create(
        code="APBD-K", name="APBD Kabupaten Sleman", kind="apbd_district"
    )
    line = BudgetLine.objects.create(
        program=tracked,
        fiscal_year=year,
        org_unit=tracked.org_unit,
        account_class=AccountClass.objects.order_by("pk").first()
        or AccountClass.objects.create(code="5.2", name="Belanja barang dan jasa"),
        funding_source=source,
        code="5.2.1",
        description="Food packages",
        original_amount=D("100000000"),
        amount=D("120000000"),
    )
    for day, amount, status in [
        (dt.date(2026, 2, 15), D("25000000"), "approved"),
        (dt.date(2026, 5, 20), D("35000000"), "approved"),
        (dt.date(2026, 6, 1), D("9000000"), "pending"),
    ]:
        Expenditure.objects.create(
            line=line,
            date=day,
            payee="Toko Sembako",
            description="Paket sembako",
            amount=amount,
            amount_idr=amount,
            status=status,
            recorded_by=cast.finance,
        )
    return tracked
