"""What every FilterSet shares: date ranges against EDTF bounds, sync, search, strict ordering.

A value that does not parse (a date, a type, an ordering field) makes the form invalid and the
request a 400 naming the parameter; so does a range whose end comes before its start.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters.fields import IsoDateTimeField

from records import search

ISO_DATE = "An ISO date (YYYY-MM-DD), inclusive."


class OverlapFilter(django_filters.DateFilter):
    """Records whose EDTF date *overlaps* one side of a range, comparing its bounds.

    ``<field>_after=2018-06-01`` keeps what may fall on or after that day (its upper bound is
    not earlier), so an event dated "2018" matches; ``_before`` compares the lower bound. A record
    with no date never matches a date filter; an open bound (``[..2018-10]``) matches its open side.
    """

    def __init__(self, *args: Any, date_field: str, side: str, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", ISO_DATE)
        super().__init__(*args, **kwargs)
        self.date_field, self.side = date_field, side

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in (None, ""):
            return qs
        lower, upper = f"{self.date_field}_lower", f"{self.date_field}_upper"
        if self.side == "after":
            return qs.filter(Q(**{f"{upper}__gte": value}) | Q(**{f"{upper}__isnull": True, f"{lower}__isnull": False}))
        return qs.filter(Q(**{f"{lower}__lte": value}) | Q(**{f"{lower}__isnull": True, f"{upper}__isnull": False}))


class RangeCheckedForm(forms.Form):
    """Refuses a range that ends before it starts (``date_before`` earlier than ``date_after``)."""

    ranges: tuple[tuple[str, str], ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for start, end in self.ranges:
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, f"{end} ({cleaned[end]}) is before {start} ({cleaned[start]}).")
        return cleaned


def range_checked_form(*ranges: tuple[str, str]) -> type[RangeCheckedForm]:
    return type("RangeCheckedForm", (RangeCheckedForm,), {"ranges": ranges})


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in UTC (naive means UTC). PostgreSQL refuses offsets beyond ±15:59, which ISO 8601
    and Python allow, so a timestamp is converted before it reaches a query; ValueError when the
    conversion leaves the years Python can represent."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError(f"{moment.isoformat()} is out of range.") from None


class UtcIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return as_utc(moment)
        except ValueError:
            raise forms.ValidationError(f"“{value}” is out of range.", code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class RecordFilterSet(django_filters.FilterSet):
    """``updated_after`` on every resource, so a client can sync only what changed."""

    updated_after = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        help_text="An ISO 8601 timestamp: only records changed after it (see also /api/changes/).",
    )


def search_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="filter_search",
        help_text="Full-text search over titles, descriptions, summaries and citation quotes. Every word "
        "must match the start of a word (case-insensitive): `visit astana`.",
    )


class SearchableFilterSet(RecordFilterSet):
    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.matching(queryset, value)


class StrictOrderingFilter(django_filters.OrderingFilter):
    """Keeps the queryset's own order when the value names no field (``ordering=,,,``):
    django-filter would call ``order_by()`` with nothing, which clears the ordering."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not any(value or ()):
            return qs
        return super().filter(qs, value)


def ordering_filter(**fields: str) -> django_filters.OrderingFilter:
    """Ordering over a whitelist (parameter name = model field); ``-`` descends; unknown is a 400."""
    return StrictOrderingFilter(
        fields=tuple((field, name) for name, field in fields.items()),
        help_text=f"Order by {', '.join(fields)} (prefix - to descend; comma-separate several).",
    )


def code_filter(field_name: str, help_text: str) -> django_filters.CharFilter:
    """An ISO country code, in any case."""
    return django_filters.CharFilter(field_name=field_name, lookup_expr="iexact", distinct=True, help_text=help_text)


def boolean_filter(field_name: str, help_text: str) -> django_filters.TypedChoiceFilter:
    """``true`` or ``false`` and nothing else: django-filter's BooleanFilter reads an unknown
    value as "no filter", so ``?preferred=maybe`` would silently return every row."""
    return django_filters.TypedChoiceFilter(
        field_name=field_name,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text=help_text,
    )


def slug_filter(field_name: str, help_text: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, distinct=True, help_text=help_text)
