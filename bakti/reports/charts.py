"""Charts drawn on the server (matplotlib, Agg), so the same chart appears in the page, the PDF
and an e-mail, with no JavaScript and nothing from a CDN.

A chart is a :class:`Chart`: its SVG markup (what a page shows inline) that can also give itself
as a PNG (what a PDF shows: WeasyPrint lays out and paints every element of an inline SVG, which
took about half of a program report's rendering; a picture is one box). Both are drawn from the
same data by the same function, and each is cached under a key made from its kind, its format
and its data: the same numbers give the same picture without drawing it again; new numbers give a
new key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
import threading
from collections.abc import Callable, Sequence
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
# Dots per inch of a chart's PNG. The print stylesheet gives the picture the same resolution
# (``image-resolution``), so it takes the same size on paper as the SVG (6.4 inches wide).
PNG_DPI = 150


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


def _png(figure: Figure) -> str:
    """The figure as a PNG ``data:`` URI, in RGB: matplotlib writes RGBA, and WeasyPrint would
    split the (opaque) alpha into a mask of its own and encode both again for every PDF."""
    from PIL import Image

    drawn = io.BytesIO()
    # Drawn with little compression: it is read back at once and written again in RGB.
    figure.savefig(
        drawn, format="png", dpi=PNG_DPI, bbox_inches="tight", pil_kwargs={"compress_level": 1}
    )
    _pyplot().close(figure)
    drawn.seek(0)
    buffer = io.BytesIO()
    # Pillow writes no timestamp: the same chart gives the same bytes.
    Image.open(drawn).convert("RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id (and every reference to one) so charts never share an id."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


class Chart:
    """One chart, drawn when it is first shown and in the form it is shown in: its SVG markup
    where a page puts it inline (``{{ chart|safe }}``, ``str(chart)``), a PNG where a PDF
    shows it (:meth:`png_uri`). A PDF therefore never draws the SVG, nor a page the PNG.
    :attr:`title` is the picture's text alternative."""

    def __init__(self, kind: str, payload: dict[str, Any]) -> None:
        self.kind = kind
        self.payload = payload

    @property
    def title(self) -> str:
        return str(self.payload.get("title", ""))

    @functools.cached_property
    def svg(self) -> str:
        key = _key(self.kind, self.payload)
        svg = cache.get(key)
        if svg is None:
            with _LOCK:
                # Text stays text (smaller, selectable) and element ids are unique per chart,
                # so several charts can sit in one page without clashing ids.
                rc = _pyplot().rcParams
                rc["svg.fonttype"] = "none"
                rc["svg.hashsalt"] = key
                svg = _unique_ids(_svg(_FIGURES[self.kind](self.payload)), "c" + key[-10:])
            cache.set(key, svg, CACHE_SECONDS)
        return svg

    def png_uri(self) -> str:
        """The chart as a PNG ``data:`` URI (a PDF carries its pictures: nothing is fetched)."""
        key = _key(self.kind + ".png", self.payload)
        uri = cache.get(key)
        if uri is None:
            with _LOCK:
                uri = _png(_FIGURES[self.kind](self.payload))
            cache.set(key, uri, CACHE_SECONDS)
        return uri

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chart):
            return NotImplemented
        return (self.kind, self.payload) == (other.kind, other.payload)

    def __hash__(self) -> int:
        return hash(_key(self.kind, self.payload))

    def __repr__(self) -> str:
        return f"<Chart {self.kind} {self.title!r}>"


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
) -> Chart:
    """Grouped bars: one group per label, one bar per series."""
    return Chart(
        "bar",
        {
            "title": str(title),
            "labels": [str(label) for label in labels],
            "series": {str(k): [str(v) for v in vs] for k, vs in series.items()},
            "horizontal": horizontal,
            "unit": str(unit),
            "colours": list(colours or []),
        },
    )


def _bar_figure(payload: dict[str, Any]) -> Figure:
    labels, series = payload["labels"], payload["series"]
    horizontal, unit = payload["horizontal"], payload["unit"]
    colours = payload["colours"] or COLOURS
    height = max(2.4, 0.35 * len(labels) + 1.2) if horizontal else 3.2
    figure, axes = _pyplot().subplots(figsize=(6.4, height), dpi=100)
    count = max(1, len(series))
    width = 0.8 / count
    positions = list(range(len(labels)))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        numbers = [_number(v) for v in values]
        colour = colours[index % len(colours)]
        if horizontal:
            axes.barh(offsets, numbers, height=width, label=name, color=colour)
        else:
            axes.bar(offsets, numbers, width=width, label=name, color=colour)
    if horizontal:
        axes.set_yticks(positions, labels=labels, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel(unit, fontsize=8)
    else:
        axes.set_xticks(positions, labels=labels, fontsize=8, rotation=0)
        axes.set_ylabel(unit, fontsize=8)
    axes.set_title(payload["title"], fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(fontsize=8, frameon=False)
    return figure


def target_actual_chart(
    title: str,
    labels: Sequence[str],
    targets: Sequence[Any],
    actuals: Sequence[Any],
    *,
    target_label: str,
    actual_label: str,
) -> Chart:
    return bar_chart(
        title,
        labels,
        {target_label: targets, actual_label: actuals},
        colours=["#bdbdbd", "#1f6f8b"],
    )


def light_chart(
    title: str, labels: Sequence[str], values: Sequence[Any], lights: Sequence[str], unit: str = "%"
) -> Chart:
    """Horizontal bars coloured by traffic light (e.g. % achieved or absorption per program)."""
    return Chart(
        "light",
        {
            "title": str(title),
            "labels": [str(label) for label in labels],
            "values": [str(v) for v in values],
            "lights": list(lights),
            "unit": str(unit),
        },
    )


def _light_figure(payload: dict[str, Any]) -> Figure:
    labels = payload["labels"]
    figure, axes = _pyplot().subplots(figsize=(6.4, max(2.0, 0.35 * len(labels) + 1)), dpi=100)
    positions = list(range(len(labels)))
    axes.barh(
        positions,
        [_number(v) for v in payload["values"]],
        color=[LIGHTS.get(code, LIGHTS["none"]) for code in payload["lights"]],
    )
    axes.set_yticks(positions, labels=labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(payload["unit"], fontsize=8)
    axes.set_title(payload["title"], fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


# Each kind of chart and the function that draws its figure from the cached payload.
_FIGURES: dict[str, Callable[[dict[str, Any]], Figure]] = {
    "bar": _bar_figure,
    "light": _light_figure,
}
