"""Filters for /api/events/ (the public timeline shares them: same names, same meaning)."""

from __future__ import annotations

import django_filters

from records.api.filters.base import (
    OverlapFilter,
    SearchableFilterSet,
    code_filter,
    ordering_filter,
    range_checked_form,
    search_filter,
    slug_filter,
)
from records.models import Event, EventType, PublicationStatus


class EventFilter(SearchableFilterSet):
    date_after = OverlapFilter(date_field="date", side="after")
    date_before = OverlapFilter(date_field="date", side="before")
    type = django_filters.MultipleChoiceFilter(
        choices=EventType.choices, help_text="An event type; repeat for several: `type=summit&type=forum`."
    )
    actor = slug_filter("participants__slug", "An actor's slug: events they took part in.")
    place = slug_filter("places__slug", "A place's slug.")
    country = code_filter("places__country__code", "An ISO 3166-1 alpha-2 code: events held in that country.")
    agreement = slug_filter("agreements__slug", "An agreement's slug: events related to it.")
    topic = slug_filter("topics__slug", "A topic's slug.")
    source = slug_filter("citations__source__slug", "A source's slug: events citing it.")
    status = django_filters.MultipleChoiceFilter(
        choices=PublicationStatus.choices,
        help_text="Publication status. Only curators see anything but published records.",
    )
    search = search_filter()
    ordering = ordering_filter(date="date_lower", title="title", type="type", updated_at="updated_at")

    class Meta:
        model = Event
        fields: list[str] = []
        form = range_checked_form(("date_after", "date_before"))
