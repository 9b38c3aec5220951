"""Public aggregate statistics of complaints, with small counts suppressed so that nobody can
be recognised from them (a cell under ``MIN_CELL`` is shown as "fewer than 5")."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Satisfaction, Ticket

MIN_CELL = 5


def suppress(count: int) -> int | None:
    """The count, or None when it is too small to publish."""
    return count if count >= MIN_CELL else None


@dataclass
class PublicStatistics:
    since: dt.date
    total: int | None
    by_category: list[tuple[str, int | None]]
    by_month: list[tuple[dt.date, int | None]]
    resolved: int | None
    median_days_to_resolve: Decimal | None
    share_within_sla: Decimal | None
    rated: int | None
    share_satisfied: Decimal | None


def public_statistics(*, today: dt.date | None = None, months: int = 12) -> PublicStatistics:
    today = today or timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    tickets = Ticket.objects.filter(received_at__date__gte=since)
    by_category = [
        (row["category__name"], suppress(row["n"]))
        for row in tickets.values("category__name", "category__order")
        .annotate(n=Count("pk"))
        .order_by("category__order", "category__name")
    ]
    by_month = [
        (
            timezone.localtime(row["month"]).date()
            if isinstance(row["month"], dt.datetime)
            else row["month"],
            suppress(row["n"]),
        )
        for row in tickets.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
    resolved_rows = list(
        tickets.filter(resolved_at__isnull=False).values_list(
            "received_at", "resolved_at", "resolve_due"
        )
    )
    resolved = len(resolved_rows)
    median = within = None
    if resolved >= MIN_CELL:
        durations = [(r - g).total_seconds() / 86400 for g, r, _due in resolved_rows]
        median = Decimal(str(round(stats.median(durations), 1)))
        on_time = sum(1 for _g, r, due in resolved_rows if timezone.localtime(r).date() <= due)
        within = Decimal(on_time) / Decimal(resolved)
    ratings = list(
        tickets.filter(satisfaction__isnull=False).values_list("satisfaction", flat=True)
    )
    satisfied = None
    if len(ratings) >= MIN_CELL:
        happy = sum(1 for r in ratings if r == Satisfaction.SATISFIED)
        satisfied = Decimal(happy) / Decimal(len(ratings))
    return PublicStatistics(
        since=since,
        total=suppress(tickets.count()),
        by_category=by_category,
        by_month=by_month,
        resolved=suppress(resolved),
        median_days_to_resolve=median,
        share_within_sla=within,
        rated=suppress(len(ratings)),
        share_satisfied=satisfied,
    )
