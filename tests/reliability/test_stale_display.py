"""How the "changed by someone else" table shows values: as people read them."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from bakti.core.stale import display


def test_values_are_shown_as_people_read_them():
    with translation.override("en"):
        assert display(None) == "–"
        assert display("") == "–"
        assert display(True) == "Yes"
        assert display(False) == "No"
        assert display("on_hold", [("in_progress", "In progress"), ("on_hold", "On hold")]) == (
            "On hold"
        )
        assert display("x", [("Group", [("x", "Ex")])]) == "Ex"
        assert display([]) == "–"
        assert display(["b", "a"]) == "a, b"
        assert display(Decimal("1500000.50")) == "1,500,000.50"
        assert display(dt.date(2026, 11, 27)) == "27 Nov 2026"
    with translation.override("id"):
        assert display(True) == "Ya"
