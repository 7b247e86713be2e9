"""Filters for /api/actors/, /api/places/ and /api/countries/."""

from __future__ import annotations

import django_filters

from records.api.filters.base import RecordFilterSet, code_filter, ordering_filter
from records.models import Actor, ActorKind, Country, Place, PlaceKind


class ActorFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices, help_text="person or organisation.")
    country = code_filter("country__code", "An ISO 3166-1 alpha-2 code.")
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")
    ordering = ordering_filter(name="name", updated_at="updated_at")

    class Meta:
        model = Actor
        fields: list[str] = []


class PlaceFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=PlaceKind.choices, help_text="city, region, country or site.")
    country = code_filter("country__code", "An ISO 3166-1 alpha-2 code.")
    ordering = ordering_filter(name="name", updated_at="updated_at")

    class Meta:
        model = Place
        fields: list[str] = []


class CountryFilter(RecordFilterSet):
    ordering = ordering_filter(name="name", code="code")

    class Meta:
        model = Country
        fields: list[str] = []
