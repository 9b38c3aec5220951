"""Helpers for the community tests: tickets made through the real services."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bakti.community import services
from bakti.community.models import Category, Channel, IdentityMode, Priority

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=JAKARTA)


def category(code: str = "payment") -> Category:
    return Category.objects.get(code=code)


def priority(code: str = "normal") -> Priority:
    return Priority.objects.get(code=code)


def ticket(*, actor: Any = None, region: str | None = None, **kwargs: Any):
    data: dict[str, Any] = {
        "channel": Channel.WALK_IN,
        "category": category(kwargs.pop("category_code", "payment")),
        "priority": priority(kwargs.pop("priority_code", "normal")),
        "description": "Bantuan bulan ini belum diterima.",
        "identity_mode": IdentityMode.NAMED,
        "complainant_name": "Sri Wahyuni",
        "complainant_phone": "081234567890",
        "region_code": region,
    }
    data.update(kwargs)
    return services.ticket_create(actor=actor, **data)
