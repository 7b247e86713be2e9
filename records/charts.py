"""The geometry of an indicator's chart, computed here so the template only draws it.

An indicator's observations become an SVG chart that needs no script: figures over time, with
actuals filled and joined by a solid line, targets hollow and joined by a dashed line, each
source with its own marker shape and colour, a qualifier ("more than", "about") marked beside
its point and spelled out in the point's tooltip, and a figure for part of a year
(January–September) drawn over the months it covers. Changes (growth rates) are in another
unit and stay in the table under the chart.

Everything here is pure: ``Datum`` is what the chart needs of one observation, so the geometry
is tested without a database.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from records.dates import describe_edtf

WIDTH = 720
HEIGHT = 360
MARGIN_LEFT = 96
MARGIN_RIGHT = 20
MARGIN_TOP = 24
MARGIN_BOTTOM = 44
MARKER_RADIUS = 6
# Marker shapes and colour classes (records/static/records/site.css) given to sources in turn.
SHAPES = ("circle", "square", "triangle", "diamond")
SERIES_CLASSES = 4
QUALIFIER_MARKS = {"more_than": ">", "less_than": "<", "approximately": "≈"}
QUALIFIER_WORDS = {"more_than": "more than", "less_than": "less than", "approximately": "about"}
CHARTED_KINDS = ("actual", "target")


@dataclass(frozen=True)
class Datum:
    """One figure as the chart needs it."""

    period: str
    lower: datetime.date | None
    upper: datetime.date | None
    value: float
    kind: str
    qualifier: str = "exact"
    value_text: str = ""
    source_key: str = ""
    source_label: str = "No source"
    preferred: bool = False

    @classmethod
    def from_observation(cls, observation: Any) -> Datum:
        """Reads ``public_citations`` (prefetched by ``Indicator.objects.for_chart()``) for the source."""
        citations = getattr(observation, "public_citations", None) or []
        source = citations[0].source if citations else None
        return cls(
            period=observation.period,
            lower=observation.period_lower,
            upper=observation.period_upper,
            value=float(observation.value),
            kind=observation.kind,
            qualifier=observation.qualifier,
            value_text=observation.value_display,
            source_key=source.slug if source else "",
            source_label=source.title if source else "No source",
            preferred=observation.is_preferred,
        )


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    kind: str
    filled: bool
    marker_path: str
    series_class: str
    qualifier_mark: str
    label: str
    partial: bool
    span_start: float
    span_end: float


@dataclass(frozen=True)
class LegendEntry:
    label: str
    swatch_path: str
    css_class: str
    line: str = ""  # "solid", "dashed" or "" (no line)
    bar: bool = False


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    year_lines: list[float]
    y_ticks: list[Tick]
    points: list[Point]
    actual_path: str
    target_path: str
    legend: list[LegendEntry]
    description: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def has_partial(self) -> bool:
        return any(point.partial for point in self.points)


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """An SVG path for a marker of ``shape`` centred on (x, y)."""
    if shape == "square":
        s = r * 0.9
        return f"M{_n(x - s)},{_n(y - s)}h{_n(2 * s)}v{_n(2 * s)}h{_n(-2 * s)}Z"
    if shape == "triangle":
        h = r * 1.15
        return f"M{_n(x)},{_n(y - h)}L{_n(x + h)},{_n(y + h * 0.8)}L{_n(x - h)},{_n(y + h * 0.8)}Z"
    if shape == "diamond":
        d = r * 1.25
        return f"M{_n(x)},{_n(y - d)}L{_n(x + d)},{_n(y)}L{_n(x)},{_n(y + d)}L{_n(x - d)},{_n(y)}Z"
    return f"M{_n(x - r)},{_n(y)}a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0Z"


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for an axis at or above ``value`` and its step (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0, 0.25
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        top = math.ceil(value / step - 1e-9) * step
        if top / step <= 6:
            return top, step
    return value, value  # pragma: no cover - a step of 10 × magnitude always fits


def compact_number(value: float, unit: str) -> str:
    """An axis label: "USD 2.5 bn", "40 %", "1,500"."""
    if abs(value) >= 1e9:
        number = f"{_trim(value / 1e9)} bn"
    elif abs(value) >= 1e6:
        number = f"{_trim(value / 1e6)} m"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "usd":
        return f"USD {number}"
    if unit == "percent":
        return f"{number} %"
    return number


def is_partial(lower: datetime.date | None, upper: datetime.date | None) -> bool:
    """A period that spans days but less than a whole year, such as January–September 2018."""
    if lower is None or upper is None or lower == upper:
        return False
    whole_years = lower.month == 1 and lower.day == 1 and upper.month == 12 and upper.day == 31
    return not whole_years and (upper - lower).days < 365


def build_chart(data: Iterable[Datum], *, unit: str, name: str) -> Chart | None:
    """The chart of ``data``'s actuals and targets; ``None`` when none of them has a date."""
    charted = [d for d in data if d.kind in CHARTED_KINDS and (d.lower or d.upper)]
    if not charted:
        return None
    starts = [_start(d) for d in charted]
    ends = [_end(d) for d in charted]
    first_year, last_year = min(starts).year, max(ends).year
    domain_start = datetime.date(first_year, 1, 1)
    domain_end = datetime.date(last_year + 1, 1, 1)
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    total_days = (domain_end - domain_start).days

    def x_of(day: datetime.date) -> float:
        return left + (day - domain_start).days / total_days * (right - left)

    y_top, y_step = nice_ceiling(max(d.value for d in charted))

    def y_of(value: float) -> float:
        return bottom - value / y_top * (bottom - top)

    sources = _ordered_sources(charted)
    positions = _spread(
        [(x_of(start + (end - start) / 2), y_of(d.value)) for d, start, end in zip(charted, starts, ends, strict=True)]
    )
    points: list[Point] = []
    for datum, start, end, (x, y) in zip(charted, starts, ends, positions, strict=True):
        index = sources.index(datum.source_key)
        shape = SHAPES[index % len(SHAPES)]
        partial = is_partial(datum.lower, datum.upper)
        points.append(
            Point(
                x=_n(x),
                y=_n(y),
                kind=datum.kind,
                filled=datum.kind == "actual",
                marker_path=marker_path(shape, x, y),
                series_class=f"series-{index % SERIES_CLASSES}",
                qualifier_mark=QUALIFIER_MARKS.get(datum.qualifier, ""),
                label=_point_label(datum, partial),
                partial=partial,
                span_start=_n(x_of(start)),
                span_end=_n(x_of(end + datetime.timedelta(days=1))),
            )
        )

    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=_year_ticks(first_year, last_year, x_of),
        year_lines=[_n(x_of(datetime.date(year, 1, 1))) for year in range(first_year, last_year + 2)],
        y_ticks=[
            Tick(_n(y_of(step * y_step)), compact_number(step * y_step, unit))
            for step in range(round(y_top / y_step) + 1)
        ],
        points=points,
        actual_path=_line(charted, points, "actual"),
        target_path=_line(charted, points, "target"),
        legend=_legend(charted, sources, points),
        description=_description(charted, sources, name, first_year, last_year),
    )


def _spread(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Moves markers that would cover each other (same period, values within a marker's size)
    apart sideways, so that every figure stays visible."""
    spread = list(positions)
    groups: list[list[int]] = []
    for index, (x, y) in enumerate(positions):
        for group in groups:
            gx, gy = positions[group[0]]
            if abs(gx - x) < MARKER_RADIUS and abs(gy - y) < 2 * MARKER_RADIUS:
                group.append(index)
                break
        else:
            groups.append([index])
    for group in groups:
        for rank, index in enumerate(group):
            x, y = positions[index]
            spread[index] = (x + (rank - (len(group) - 1) / 2) * 2.4 * MARKER_RADIUS, y)
    return spread


def _start(datum: Datum) -> datetime.date:
    return datum.lower or datum.upper  # type: ignore[return-value]


def _end(datum: Datum) -> datetime.date:
    return datum.upper or datum.lower  # type: ignore[return-value]


def _ordered_sources(data: Sequence[Datum]) -> list[str]:
    keys: list[str] = []
    for datum in data:
        if datum.source_key not in keys:
            keys.append(datum.source_key)
    return keys


def _point_label(datum: Datum, partial: bool) -> str:
    value = datum.value_text or f"{QUALIFIER_WORDS.get(datum.qualifier, '')} {datum.value:,}".strip()
    period = describe_edtf(datum.period) or datum.period
    parts = [f"{period}: {value}", datum.kind]
    if partial:
        parts.append("part of the year only")
    parts.append(datum.source_label)
    return " — ".join(parts)


def _year_ticks(first_year: int, last_year: int, x_of: Any) -> list[Tick]:
    years = last_year - first_year + 1
    every = 1 if years <= 12 else 2 if years <= 24 else 5 if years <= 60 else 10
    return [
        Tick(_n(x_of(datetime.date(year, 7, 1))), str(year))
        for year in range(first_year, last_year + 1)
        if (year - first_year) % every == 0
    ]


def _line(data: Sequence[Datum], points: Sequence[Point], kind: str) -> str:
    """A line through one figure per whole period of ``kind``, the preferred one where sources differ."""
    chosen: dict[str, tuple[Datum, Point]] = {}
    for datum, point in zip(data, points, strict=True):
        if datum.kind != kind or point.partial:
            continue
        if datum.period not in chosen or (datum.preferred and not chosen[datum.period][0].preferred):
            chosen[datum.period] = (datum, point)
    ordered = sorted((point.x, point.y) for _, point in chosen.values())
    if len(ordered) < 2:
        return ""
    return "M" + "L".join(f"{x},{y}" for x, y in ordered)


def _legend(data: Sequence[Datum], sources: Sequence[str], points: Sequence[Point]) -> list[LegendEntry]:
    kinds = {datum.kind for datum in data}
    entries = []
    if "actual" in kinds:
        entries.append(LegendEntry("Actual (filled, solid line)", marker_path("circle", 20, 10), "actual", "solid"))
    if "target" in kinds:
        entries.append(LegendEntry("Target (hollow, dashed line)", marker_path("circle", 20, 10), "target", "dashed"))
    labels = {datum.source_key: datum.source_label for datum in data}
    for index, key in enumerate(sources):
        shape = SHAPES[index % len(SHAPES)]
        entries.append(
            LegendEntry(f"Source: {labels[key]}", marker_path(shape, 20, 10), f"actual series-{index % SERIES_CLASSES}")
        )
    if any(point.partial for point in points):
        entries.append(LegendEntry("Bar: the months a part-year figure covers", "", "partial", bar=True))
    if any(point.qualifier_mark for point in points):
        entries.append(LegendEntry("> more than · < less than · ≈ about", "", "qualifier"))
    return entries


def _description(data: Sequence[Datum], sources: Sequence[str], name: str, first: int, last: int) -> str:
    actuals = sum(1 for datum in data if datum.kind == "actual")
    targets = len(data) - actuals
    span = str(first) if first == last else f"{first}–{last}"
    text = (
        f"{name}, {span}: {actuals} actual figure{'s' * (actuals != 1)} and {targets} "
        f"target{'s' * (targets != 1)} from {len(sources)} source{'s' * (len(sources) != 1)}."
    )
    if any(is_partial(datum.lower, datum.upper) for datum in data):
        text += " Some figures cover only part of a year."
    return text + " The table below gives every figure with its citation."


def _n(value: float | Decimal) -> float:
    """A coordinate rounded to a tenth of a unit: enough for the eye, short in the markup."""
    return round(float(value), 1)


def _trim(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
