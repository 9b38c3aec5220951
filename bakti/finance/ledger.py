"""The figures of budget lines: ceiling, spending, open commitments, available balance.

Only approved expenditures are spending (realisasi). An approved commitment holds what remains
of it after the approved expenditures against it, until it is closed or reversed. Every figure
is computed in a fixed number of queries, whatever the number of lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import BudgetLine, Commitment, EntryStatus, Expenditure

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def _zero() -> Any:
    return Value(ZERO, output_field=_MONEY)


@dataclass
class Figures:
    """Budget versus actual for one line or any group of lines."""

    budget: Decimal = ZERO
    original: Decimal = ZERO
    realised: Decimal = ZERO
    committed: Decimal = ZERO
    pending: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.budget - self.realised - self.committed

    @property
    def absorption(self) -> Decimal | None:
        """Serapan: realised / budget (None when there is no budget)."""
        if not self.budget:
            return None
        return self.realised / self.budget

    @property
    def over_committed(self) -> bool:
        return self.available < 0

    def add(self, other: Figures) -> None:
        self.budget += other.budget
        self.original += other.original
        self.realised += other.realised
        self.committed += other.committed
        self.pending += other.pending


def _in_lines(lines: QuerySet[BudgetLine] | Iterable[int] | None, field: str = "line") -> Q:
    if lines is None:
        return Q()
    if isinstance(lines, QuerySet):
        return Q(**{f"{field}__in": lines.values("pk")})
    return Q(**{f"{field}__in": list(lines)})


def realised_by_line(lines: QuerySet[BudgetLine] | Iterable[int] | None) -> dict[int, Decimal]:
    rows = (
        Expenditure.objects.filter(_in_lines(lines), status=EntryStatus.APPROVED)
        .values("line_id")
        .annotate(total=Sum("amount_idr"))
        .order_by()
    )
    return {row["line_id"]: row["total"] or ZERO for row in rows}


def open_commitments_qs(lines: QuerySet[BudgetLine] | Iterable[int] | None = None) -> QuerySet:
    """Approved commitments still holding money, each annotated with ``spent`` (approved
    expenditures against it) and ``remaining``-ready values."""
    return (
        Commitment.objects.filter(
            _in_lines(lines), status=EntryStatus.APPROVED, is_closed=False, reverses__isnull=True
        )
        .exclude(reversals__status=EntryStatus.APPROVED)
        .annotate(
            spent=Coalesce(
                Sum(
                    "expenditures__amount_idr",
                    filter=Q(expenditures__status=EntryStatus.APPROVED),
                ),
                _zero(),
            )
        )
    )


def remaining_of(amount: Decimal, spent: Decimal) -> Decimal:
    return max(ZERO, amount - spent)


def committed_by_line(lines: QuerySet[BudgetLine] | Iterable[int] | None) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line_id, amount, spent in open_commitments_qs(lines).values_list(
        "line_id", "amount_idr", "spent"
    ):
        totals[line_id] += remaining_of(amount, spent)
    return dict(totals)


def commitment_remaining(commitment: Commitment) -> Decimal:
    """What an approved, open commitment still holds (zero for anything else)."""
    row = (
        open_commitments_qs([commitment.line_id])
        .filter(pk=commitment.pk)
        .values_list("amount_idr", "spent")
    )
    found = list(row)
    if not found:
        return ZERO
    return remaining_of(*found[0])


def figures_by_line(lines: QuerySet[BudgetLine]) -> dict[int, Figures]:
    """Figures for every line of ``lines`` in three queries."""
    realised: dict[int, Decimal] = {}
    pending: dict[int, Decimal] = {}
    # Approved and pending spending in one pass over the lines' expenditures.
    for row in (
        Expenditure.objects.filter(
            _in_lines(lines), status__in=[EntryStatus.APPROVED, EntryStatus.PENDING]
        )
        .values("line_id")
        .annotate(
            realised=Sum("amount_idr", filter=Q(status=EntryStatus.APPROVED)),
            pending=Sum("amount_idr", filter=Q(status=EntryStatus.PENDING)),
        )
        .order_by()
    ):
        realised[row["line_id"]] = row["realised"] or ZERO
        pending[row["line_id"]] = row["pending"] or ZERO
    committed = committed_by_line(lines)
    out = {}
    for pk, amount, original in lines.values_list("pk", "amount", "original_amount"):
        out[pk] = Figures(
            budget=amount,
            original=original,
            realised=realised.get(pk, ZERO),
            committed=committed.get(pk, ZERO),
            pending=pending.get(pk, ZERO),
        )
    return out


def figures_of_line(line: BudgetLine) -> Figures:
    return figures_by_line(BudgetLine.objects.filter(pk=line.pk))[line.pk]
