"""Charts drawn on the server as SVG (matplotlib, Agg), so the same chart appears in the page,
the PDF and an e-mail, with no JavaScript and nothing from a CDN.

A chart is cached under a key made from its kind and its data: the same numbers give the same
SVG without drawing it again; new numbers give a new key.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib's global state is not thread-safe; drawing is quick, so one lock suffices.
_LOCK = threading.Lock()
CACHE_SECONDS = 24 * 3600
COLOURS = ["#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#9c6644"]
LIGHTS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}


def _key(kind: str, payload: Any) -> str:
    digest = hashlib.sha256(
        json.dumps([kind, payload], sort_keys=True, default=str).encode()
    ).hexdigest()
    return f"bakti-chart:{digest}"


def _pyplot() -> Any:
    """matplotlib's pyplot, imported on the first chart drawn: importing it takes seconds, which
    every process start (a worker, a management command) would otherwise pay."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    _pyplot().close(figure)
    svg = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG can sit inline in HTML.
    svg = svg[svg.index("<svg") :]
    # Stable output (matplotlib otherwise writes a timestamp and random clip ids).
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return svg


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) so charts never share an id."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


def _cached(kind: str, payload: Any, draw: Any) -> str:
    key = _key(kind, payload)
    svg = cache.get(key)
    if svg is None:
        with _LOCK:
            # Text stays text (smaller, selectable) and element ids are unique per chart, so
            # several charts can sit in one page or PDF without clashing ids.
            rc = _pyplot().rcParams
            rc["svg.fonttype"] = "none"
            rc["svg.hashsalt"] = key
            svg = _unique_ids(draw(), "c" + key[-10:])
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _number(value: Any) -> float:
    # Charts are pictures: float is fine here (money and counts stay Decimal elsewhere).
    if value is None:
        return 0.0
    return float(value) if isinstance(value, Decimal | int | float) else float(str(value))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[Any]],
    *,
    horizontal: bool = False,
    unit: str = "",
    colours: Sequence[str] | None = None,
) -> str:
    """Grouped bars: one group per label, one bar per series."""
    payload = {
        "title": title,
        "labels": list(labels),
        "series": {k: [str(v) for v in vs] for k, vs in series.items()},
        "horizontal": horizontal,
        "unit": unit,
        "colours": list(colours or []),
    }

    def draw() -> str:
        height = max(2.4, 0.35 * len(labels) + 1.2) if horizontal else 3.2
        figure, axes = _pyplot().subplots(figsize=(6.4, height), dpi=100)
        count = max(1, len(series))
        width = 0.8 / count
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series.items()):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            numbers = [_number(v) for v in values]
            colour = (colours or COLOURS)[index % len(colours or COLOURS)]
            if horizontal:
                axes.barh(offsets, numbers, height=width, label=name, color=colour)
            else:
                axes.bar(offsets, numbers, width=width, label=name, color=colour)
        if horizontal:
            axes.set_yticks(positions, labels=list(labels), fontsize=8)
            axes.invert_yaxis()
            axes.set_xlabel(unit, fontsize=8)
        else:
            axes.set_xticks(positions, labels=list(labels), fontsize=8, rotation=0)
            axes.set_ylabel(unit, fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(fontsize=8, frameon=False)
        return _svg(figure)

    return _cached("bar", payload, draw)


def target_actual_chart(
    title: str,
    labels: Sequence[str],
    targets: Sequence[Any],
    actuals: Sequence[Any],
    *,
    target_label: str,
    actual_label: str,
) -> str:
    return bar_chart(
        title,
        labels,
        {target_label: targets, actual_label: actuals},
        colours=["#bdbdbd", "#1f6f8b"],
    )


def light_chart(
    title: str, labels: Sequence[str], values: Sequence[Any], lights: Sequence[str], unit: str = "%"
) -> str:
    """Horizontal bars coloured by traffic light (e.g. % achieved or absorption per program)."""
    payload = {
        "title": title,
        "labels": list(labels),
        "values": [str(v) for v in values],
        "lights": list(lights),
        "unit": unit,
    }

    def draw() -> str:
        figure, axes = _pyplot().subplots(figsize=(6.4, max(2.0, 0.35 * len(labels) + 1)), dpi=100)
        positions = list(range(len(labels)))
        axes.barh(
            positions,
            [_number(v) for v in values],
            color=[LIGHTS.get(code, LIGHTS["none"]) for code in lights],
        )
        axes.set_yticks(positions, labels=list(labels), fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(unit, fontsize=8)
        axes.set_title(title, fontsize=10)
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)

    return _cached("light", payload, draw)
