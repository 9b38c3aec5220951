"""Putting approved actuals in place through the real services."""

from __future__ import annotations

from typing import Any

from bakti.monitoring import services
from bakti.monitoring.tests.factories import QUARTERS_2026


def approved_actuals(cast: Any, indicator: Any, values: list[Any], breakdowns: list | None = None):
    """Enter, submit (officer) and approve (M&E officer) one value per quarter of 2026."""
    results = []
    for index, value in enumerate(values):
        if value is None:
            continue
        start, end, _label = QUARTERS_2026[index]
        result = services.indicator_result_save(
            actor=cast.manager,
            indicator=indicator,
            period_start=start,
            period_end=end,
            value=value,
            breakdown=(breakdowns or [{}] * len(values))[index],
        )
        services.indicator_result_submit(actor=cast.manager, result=result)
        results.append(services.indicator_result_approve(actor=cast.mne, result=result))
    return results
