"""Filters for /api/sources/ and /api/citations/."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from records.api.filters.base import (
    OverlapFilter,
    RecordFilterSet,
    SearchableFilterSet,
    ordering_filter,
    range_checked_form,
    search_filter,
    slug_filter,
)
from records.models import CITED_RECORD_FIELDS, Citation, Source, SourceType


class SourceFilter(SearchableFilterSet):
    type = django_filters.MultipleChoiceFilter(choices=SourceType.choices, help_text="A source type; repeatable.")
    published_after = OverlapFilter(date_field="published", side="after")
    published_before = OverlapFilter(date_field="published", side="before")
    search = search_filter()
    ordering = ordering_filter(published="published_lower", title="title", updated_at="updated_at")

    class Meta:
        model = Source
        fields: list[str] = []
        form = range_checked_form(("published_after", "published_before"))


class CitationFilter(RecordFilterSet):
    source = slug_filter("source__slug", "A source's slug.")
    record_type = django_filters.ChoiceFilter(
        choices=[(field, field) for field in CITED_RECORD_FIELDS],
        method="filter_record_type",
        help_text="The kind of record cited: event, agreement, observation or office.",
    )
    ordering = ordering_filter(id="id", locator="locator", updated_at="updated_at")

    class Meta:
        model = Citation
        fields: list[str] = []

    def filter_record_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{value}__isnull": False})
