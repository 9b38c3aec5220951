from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.finance import services
from bakti.finance.models import EntryStatus

from . import factories


@pytest.fixture
def pending(cast):
    line = factories.line(cast.department, "10000000")
    return services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=factories.dt.date(2026, 2, 1),
        amount=Decimal("1000000"),
        payee="Toko Sumber Rejeki",
        description="ATK",
    )


def test_the_recorder_can_never_approve_even_with_the_approve_capability(cast):
    line = factories.line(cast.department, "10000000")
    # The manager holds finance.approve; when the manager recorded it, approving is refused.
    entry = services.commitment_record(
        actor=cast.manager,
        line=line,
        date=factories.dt.date(2026, 2, 1),
        amount=Decimal("1000000"),
        payee="CV A",
        description="Contract",
    )
    with pytest.raises(PermissionDenied, match="someone else"):
        services.entry_approve(cast.manager, entry)
    with pytest.raises(PermissionDenied):
        services.entry_reject(cast.manager, entry, reason="no")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_a_second_person_with_the_capability_approves(cast, pending):
    services.entry_approve(cast.manager, pending)
    pending.refresh_from_db()
    assert pending.status == EntryStatus.APPROVED
    assert pending.decided_by == cast.manager
    assert pending.decided_at is not None


def test_a_finance_officer_cannot_approve(cast, pending):
    other = factories.line(cast.department, "5000000")
    assert other  # a second line, to be sure nothing leaks between lines
    with pytest.raises(PermissionDenied):
        services.entry_approve(cast.auditor, pending)
    with pytest.raises(PermissionDenied):
        services.entry_approve(cast.field_worker_a, pending)


def test_rejection_needs_a_reason_and_keeps_it(cast, pending):
    with pytest.raises(ValidationError):
        services.entry_reject(cast.head, pending, reason="  ")
    services.entry_reject(cast.head, pending, reason="Kuitansi tidak lengkap")
    pending.refresh_from_db()
    assert pending.status == EntryStatus.REJECTED
    assert pending.decision_reason == "Kuitansi tidak lengkap"


def test_the_approval_page_refuses_the_recorder(client, cast, pending):
    client.force_login(cast.finance)
    response = client.post(f"/finance/expenditures/{pending.pk}/approve/")
    assert response.status_code == 403  # finance officers do not hold finance.approve
    client.force_login(cast.manager)
    response = client.post(f"/finance/expenditures/{pending.pk}/approve/", follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == EntryStatus.APPROVED
