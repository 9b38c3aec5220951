import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from bakti.finance import ledger, services
from bakti.finance.models import EntryStatus
from bakti.finance.services import BalanceExceeded

from . import factories

DAY = dt.date(2026, 4, 1)


def _record(cast, line, amount, **extra):
    return services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=DAY,
        amount=Decimal(amount),
        payee="CV B",
        description="Belanja",
        **extra,
    )


def _commit(cast, line, amount):
    entry = services.commitment_record(
        actor=cast.finance,
        line=line,
        date=DAY,
        amount=Decimal(amount),
        payee="CV Kontraktor",
        description="SPK",
    )
    return services.entry_approve(cast.manager, entry)


def test_approval_beyond_the_available_balance_is_refused_with_the_figures(cast):
    line = factories.line(cast.department, "1000000")
    factories.spend(cast.finance, cast.manager, line, "700000")
    entry = _record(cast, line, "400000")
    with pytest.raises(BalanceExceeded) as caught:
        services.entry_approve(cast.head, entry)
    message = str(caught.value)
    assert "300.000" in message or "300,000" in message
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_approving_exactly_the_balance_is_allowed(cast):
    line = factories.line(cast.department, "1000000")
    factories.spend(cast.finance, cast.manager, line, "700000")
    services.entry_approve(cast.head, _record(cast, line, "300000"))
    assert ledger.figures_of_line(line).available == 0


def test_open_commitments_reduce_the_available_balance(cast):
    line = factories.line(cast.department, "1000000")
    _commit(cast, line, "600000")
    figures = ledger.figures_of_line(line)
    assert figures.committed == Decimal("600000")
    assert figures.available == Decimal("400000")
    with pytest.raises(BalanceExceeded):
        services.entry_approve(cast.head, _record(cast, line, "500000"))


def test_paying_a_commitment_uses_the_commitment_not_the_balance_twice(cast):
    line = factories.line(cast.department, "1000000")
    commitment = _commit(cast, line, "600000")
    entry = _record(cast, line, "600000", commitment=commitment)
    services.entry_approve(cast.head, entry)
    figures = ledger.figures_of_line(line)
    assert figures.realised == Decimal("600000")
    assert figures.committed == 0
    assert figures.available == Decimal("400000")


def test_a_payment_above_its_commitment_only_needs_the_excess(cast):
    line = factories.line(cast.department, "1000000")
    commitment = _commit(cast, line, "600000")
    factories.spend(cast.finance, cast.manager, line, "350000")  # available now 50.000
    entry = _record(cast, line, "650000", commitment=commitment)  # 50.000 above commitment
    services.entry_approve(cast.head, entry)
    assert ledger.figures_of_line(line).available == 0


def test_pending_and_rejected_entries_do_not_count(cast):
    line = factories.line(cast.department, "1000000")
    _record(cast, line, "900000")
    services.entry_reject(cast.head, _record(cast, line, "900000"), reason="duplikat")
    figures = ledger.figures_of_line(line)
    assert figures.realised == 0
    assert figures.pending == Decimal("900000")
    assert figures.available == Decimal("1000000")


def test_override_needs_a_reason_and_the_override_permission(cast):
    line = factories.line(cast.department, "1000000")
    entry = _record(cast, line, "1200000")
    # The head may approve but not override.
    with pytest.raises(PermissionDenied):
        services.entry_approve(cast.head, entry, override_reason="Bencana alam, mendesak")
    with pytest.raises(BalanceExceeded):
        services.entry_approve(cast.manager, entry)
    services.entry_approve(cast.manager, entry, override_reason="Bencana alam, mendesak")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert entry.override_reason == "Bencana alam, mendesak"
    assert ledger.figures_of_line(line).over_committed


def test_an_override_reason_is_not_kept_when_nothing_was_overridden(cast):
    line = factories.line(cast.department, "1000000")
    entry = services.entry_approve(cast.manager, _record(cast, line, "100"), override_reason="x")
    entry.refresh_from_db()
    assert entry.override_reason == ""


def test_commitment_approval_follows_the_balance_rule(cast):
    line = factories.line(cast.department, "1000000")
    _commit(cast, line, "800000")
    second = services.commitment_record(
        actor=cast.finance,
        line=line,
        date=DAY,
        amount=Decimal("300000"),
        payee="X",
        description="SPK 2",
    )
    with pytest.raises(BalanceExceeded):
        services.entry_approve(cast.head, second)


def test_a_foreign_currency_entry_counts_in_rupiah(cast):
    line = factories.line(cast.department, "20000000")
    entry = services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=DAY,
        amount=Decimal("1000.50"),
        currency="usd",
        exchange_rate=Decimal("16250.5"),
        payee="Donor shop",
        description="Equipment",
    )
    assert entry.currency == "USD"
    assert entry.amount_idr == Decimal("16258625.25")  # 1000.50 x 16250.5, to the cent
    services.entry_approve(cast.manager, entry)
    assert ledger.figures_of_line(line).realised == Decimal("16258625.25")
