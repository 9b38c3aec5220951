import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bakti.finance import ledger, services
from bakti.finance.models import Commitment, EntryStatus, Expenditure
from bakti.privacy.models import AuditEvent

from . import factories


@pytest.fixture
def approved(cast):
    line = factories.line(cast.department, "5000000")
    return factories.spend(cast.finance, cast.manager, line, "1200000")


def test_an_approved_entry_cannot_be_decided_again(cast, approved):
    with pytest.raises(ValidationError, match="locked"):
        services.entry_approve(cast.head, approved)
    with pytest.raises(ValidationError, match="locked"):
        services.entry_reject(cast.head, approved, reason="oops")


def test_a_correction_is_a_negative_reversing_entry_that_needs_approval(cast, approved):
    reversal = services.entry_reverse(cast.finance, approved, reason="Salah input nominal")
    assert reversal.reverses == approved
    assert reversal.amount_idr == -approved.amount_idr
    assert reversal.status == EntryStatus.PENDING
    assert ledger.figures_of_line(approved.line).realised == Decimal("1200000")
    services.entry_approve(cast.manager, reversal)
    assert ledger.figures_of_line(approved.line).realised == 0
    approved.refresh_from_db()
    assert approved.status == EntryStatus.APPROVED  # the original is untouched
    assert approved.amount_idr == Decimal("1200000")
    assert AuditEvent.objects.for_object(reversal).filter(reason="Salah input nominal").exists()


def test_an_entry_is_reversed_once_and_a_reversal_is_never_reversed(cast, approved):
    reversal = services.entry_reverse(cast.finance, approved, reason="koreksi")
    with pytest.raises(ValidationError, match="already been reversed"):
        services.entry_reverse(cast.finance, approved, reason="lagi")
    services.entry_approve(cast.manager, reversal)
    with pytest.raises(ValidationError):
        services.entry_reverse(cast.finance, reversal, reason="balik")


def test_a_rejected_reversal_lets_a_new_one_be_recorded(cast, approved):
    reversal = services.entry_reverse(cast.finance, approved, reason="koreksi")
    services.entry_reject(cast.manager, reversal, reason="tidak perlu")
    again = services.entry_reverse(cast.finance, approved, reason="koreksi yang benar")
    assert again.pk != reversal.pk


def test_only_approved_entries_are_reversed_and_only_by_recorders(cast):
    line = factories.line(cast.department, "5000000")
    pending = services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 5, 5),
        amount=Decimal("1"),
        payee="X",
        description="Y",
    )
    with pytest.raises(ValidationError):
        services.entry_reverse(cast.finance, pending, reason="r")
    approved = services.entry_approve(cast.manager, pending)
    with pytest.raises(PermissionDenied):
        services.entry_reverse(cast.head, approved, reason="r")


def test_the_edit_pages_do_not_exist_for_entries_and_posts_change_nothing(client, cast, approved):
    client.force_login(cast.manager)
    assert client.get(f"/finance/expenditures/{approved.pk}/edit/").status_code == 404
    client.post(f"/finance/expenditures/{approved.pk}/reject/", {"reason": "x"})
    approved.refresh_from_db()
    assert approved.status == EntryStatus.APPROVED


def test_closing_a_commitment_releases_what_remains(cast):
    line = factories.line(cast.department, "1000000")
    commitment = services.commitment_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 1),
        amount=Decimal("800000"),
        payee="CV",
        description="SPK",
    )
    services.entry_approve(cast.manager, commitment)
    factories.spend(cast.finance, cast.manager, line, "500000", commitment=commitment)
    assert ledger.figures_of_line(line).committed == Decimal("300000")
    with pytest.raises(ValidationError):
        services.entry_reverse(cast.finance, commitment, reason="batal")
    services.commitment_close(cast.finance, commitment, reason="Pekerjaan selesai lebih murah")
    figures = ledger.figures_of_line(line)
    assert figures.committed == 0
    assert figures.available == Decimal("500000")


def test_a_reversed_commitment_no_longer_holds_money(cast):
    line = factories.line(cast.department, "1000000")
    commitment = services.commitment_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 1),
        amount=Decimal("800000"),
        payee="CV",
        description="SPK",
    )
    services.entry_approve(cast.manager, commitment)
    reversal = services.entry_reverse(cast.finance, commitment, reason="Kontrak batal")
    assert isinstance(reversal, Commitment)
    assert ledger.figures_of_line(line).committed == Decimal("800000")
    services.entry_approve(cast.manager, reversal)
    assert ledger.figures_of_line(line).committed == 0
    assert not Expenditure.objects.exists()
