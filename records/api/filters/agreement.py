"""Filters for /api/agreements/."""

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
from records.models import Agreement, AgreementStatus, AgreementType, PublicationStatus


class AgreementFilter(SearchableFilterSet):
    signed_after = OverlapFilter(date_field="date_signed", side="after")
    signed_before = OverlapFilter(date_field="date_signed", side="before")
    type = django_filters.MultipleChoiceFilter(
        choices=AgreementType.choices, help_text="An agreement type; repeatable."
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="legal_status",
        choices=AgreementStatus.choices,
        help_text="The agreement's legal status (proposed, signed, in force, expired, unknown); repeatable.",
    )
    party = code_filter("parties__code", "An ISO 3166-1 alpha-2 code of a party.")
    topic = slug_filter("topics__slug", "A topic's slug.")
    source = slug_filter("citations__source__slug", "A source's slug: agreements citing it.")
    publication_status = django_filters.MultipleChoiceFilter(
        field_name="status",
        choices=PublicationStatus.choices,
        help_text="Publication status. Only curators see anything but published records.",
    )
    search = search_filter()
    ordering = ordering_filter(
        date_signed="date_signed_lower", title="title", type="type", status="legal_status", updated_at="updated_at"
    )

    class Meta:
        model = Agreement
        fields: list[str] = []
        form = range_checked_form(("signed_after", "signed_before"))
