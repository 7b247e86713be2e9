"""The indicator chart's geometry (records/charts.py), without a database."""

from __future__ import annotations

import datetime

import pytest

from records.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    Datum,
    build_chart,
    compact_number,
    is_partial,
    marker_path,
    nice_ceiling,
)


def year(value: int, kind: str = "actual", amount: float = 1e9, **kwargs: object) -> Datum:
    return Datum(
        period=str(value),
        lower=datetime.date(value, 1, 1),
        upper=datetime.date(value, 12, 31),
        value=amount,
        kind=kind,
        **kwargs,  # type: ignore[arg-type]
    )


def test_no_chart_is_drawn_without_an_actual_or_target() -> None:
    change = Datum("2018", datetime.date(2018, 1, 1), datetime.date(2018, 12, 31), 47, "change")
    assert build_chart([change], unit="usd", name="Trade") is None


def test_years_run_left_to_right_and_larger_values_sit_higher() -> None:
    chart = build_chart([year(2012, amount=2.5e9), year(2015, amount=3.2e9)], unit="usd", name="Trade")
    assert chart is not None
    first, second = chart.points
    assert first.x < second.x
    assert second.y < first.y
    assert [tick.label for tick in chart.x_ticks] == ["2012", "2013", "2014", "2015"]


def test_the_value_axis_starts_at_zero_and_ends_on_a_round_value_above_the_largest() -> None:
    chart = build_chart([year(2018, amount=3.2e9)], unit="usd", name="Trade")
    assert chart is not None
    assert chart.y_ticks[0].label == "USD 0"
    assert chart.y_ticks[0].position == HEIGHT - MARGIN_BOTTOM
    assert chart.y_ticks[-1].position == MARGIN_TOP
    assert chart.y_ticks[-1].label == "USD 4 bn"


def test_actuals_are_filled_and_targets_hollow_on_lines_of_their_own() -> None:
    data = [year(2017), year(2018, amount=2e9), year(2018, "target", 3e9), year(2020, "target", 5e9)]
    chart = build_chart(data, unit="usd", name="Trade")
    assert chart is not None
    assert [point.filled for point in chart.points] == [True, True, False, False]
    assert chart.actual_path.startswith("M")
    assert chart.actual_path.count("L") == 1
    assert chart.target_path.count("L") == 1
    assert {entry.line for entry in chart.legend} >= {"solid", "dashed"}


def test_a_single_figure_of_a_kind_has_no_line() -> None:
    chart = build_chart([year(2018), year(2020, "target")], unit="usd", name="Trade")
    assert chart is not None
    assert chart.actual_path == ""
    assert chart.target_path == ""


def test_each_source_gets_its_own_marker_shape_colour_and_legend_entry() -> None:
    data = [year(2017, source_key="a", source_label="Source A"), year(2018, source_key="b", source_label="Source B")]
    chart = build_chart(data, unit="usd", name="Trade")
    assert chart is not None
    first, second = chart.points
    assert first.series_class != second.series_class
    assert first.marker_path.count("a") == 2  # the circle's two arcs
    assert "h" in second.marker_path  # a square
    labels = [entry.label for entry in chart.legend]
    assert "Source: Source A" in labels
    assert "Source: Source B" in labels


def test_a_qualifier_is_marked_and_spelled_out_in_the_tooltip() -> None:
    datum = year(2015, amount=3.2e9, qualifier="more_than", value_text="more than USD 3,200,000,000")
    chart = build_chart([datum], unit="usd", name="Trade")
    assert chart is not None
    point = chart.points[0]
    assert point.qualifier_mark == ">"
    assert "more than USD 3,200,000,000" in point.label
    assert point.label.startswith("2015:")


def test_a_part_year_figure_is_marked_and_spans_its_months() -> None:
    partial = Datum(
        "2018-01/2018-09", datetime.date(2018, 1, 1), datetime.date(2018, 9, 30), 2e9, "actual", "more_than"
    )
    chart = build_chart([year(2017), partial, year(2018)], unit="usd", name="Trade")
    assert chart is not None
    point = chart.points[1]
    assert point.partial
    assert point.span_start < point.x < point.span_end
    assert "January–September 2018" in point.label
    assert "part of the year" in point.label
    assert chart.has_partial
    # The part-year figure is not joined to the whole years' line.
    assert chart.actual_path.count("L") == 1
    assert "Some figures cover only part of a year" in chart.description


def test_figures_that_would_cover_each_other_are_moved_apart() -> None:
    data = [year(2018, source_key="a"), year(2018, "target", source_key="b")]
    chart = build_chart(data, unit="usd", name="Trade")
    assert chart is not None
    first, second = chart.points
    assert first.y == second.y
    assert abs(first.x - second.x) >= 10


def test_the_description_says_what_the_chart_shows() -> None:
    chart = build_chart([year(2012), year(2020, "target")], unit="usd", name="Trade turnover")
    assert chart is not None
    assert chart.description.startswith("Trade turnover, 2012–2020: 1 actual figure and 1 target from 1 source.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.2e9, (4e9, 1e9)), (5e9, (5e9, 1e9)), (47, (50, 10)), (0, (1.0, 0.25)), (7, (7, 2))],
)
def test_nice_ceiling_rounds_up_to_a_readable_step(value: float, expected: tuple[float, float]) -> None:
    top, step = nice_ceiling(value)
    assert top >= value
    assert top / step <= 6
    if value == 7:
        assert (top, step) in {(8, 2), (7, 1)}
    else:
        assert (top, step) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(2.5e9, "usd", "USD 2.5 bn"), (4e6, "usd", "USD 4 m"), (40, "percent", "40 %"), (1500, "count", "1,500")],
)
def test_axis_labels_are_compact(value: float, unit: str, expected: str) -> None:
    assert compact_number(value, unit) == expected


def test_only_a_span_shorter_than_a_year_is_partial() -> None:
    assert is_partial(datetime.date(2018, 1, 1), datetime.date(2018, 9, 30))
    assert not is_partial(datetime.date(2018, 1, 1), datetime.date(2018, 12, 31))
    assert not is_partial(datetime.date(2019, 7, 16), datetime.date(2019, 7, 16))
    assert not is_partial(None, datetime.date(2018, 12, 31))


@pytest.mark.parametrize("shape", ["circle", "square", "triangle", "diamond"])
def test_every_marker_is_a_closed_path(shape: str) -> None:
    path = marker_path(shape, 100, 50)
    assert path.startswith("M")
    assert path.endswith("Z")
