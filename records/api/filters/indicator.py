"""Filters for /api/indicators/ and /api/observations/."""

from __future__ import annotations

import django_filters

from records.api.filters.base import (
    OverlapFilter,
    RecordFilterSet,
    boolean_filter,
    ordering_filter,
    range_checked_form,
    slug_filter,
)
from records.models import Indicator, Observation, ObservationKind, Unit


class IndicatorFilter(RecordFilterSet):
    topic = slug_filter("topic__slug", "A topic's slug.")
    unit = django_filters.MultipleChoiceFilter(choices=Unit.choices, help_text="A unit; repeatable.")
    ordering = ordering_filter(name="name", updated_at="updated_at")

    class Meta:
        model = Indicator
        fields: list[str] = []


class ObservationFilter(RecordFilterSet):
    indicator = slug_filter("indicator__slug", "An indicator's slug, e.g. trade-turnover.")
    period_after = OverlapFilter(date_field="period", side="after")
    period_before = OverlapFilter(date_field="period", side="before")
    kind = django_filters.MultipleChoiceFilter(
        choices=ObservationKind.choices, help_text="actual, target or change; repeatable."
    )
    reported_by = slug_filter("reported_by__slug", "The slug of who reported the figure.")
    source = slug_filter("citations__source__slug", "A source's slug: figures citing it.")
    preferred = boolean_filter(
        "is_preferred",
        "true: only the figures curators prefer when the sources differ (one per period and kind).",
    )
    ordering = ordering_filter(period="period_lower", value="value", kind="kind", updated_at="updated_at")

    class Meta:
        model = Observation
        fields: list[str] = []
        form = range_checked_form(("period_after", "period_before"))
