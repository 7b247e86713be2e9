"""The curators' admin: every model, with the columns, filters and search they work by.

The shared machinery (workflow, history and restore, optimistic locking, date widget,
filters) is in records/admin_support.py; the home page in records/admin_site.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from records.admin_support import (
    CitedAdmin,
    CuratedAdmin,
    EDTFInput,
    HasCitationFilter,
    HistoryAdmin,
    SpreadsheetMixin,
    StaleDraftFilter,
    VersionedInline,
    year_filter,
)
from records.models import (
    Actor,
    Agreement,
    AgreementRelation,
    AgreementSignatory,
    Citation,
    Country,
    Event,
    EventParticipant,
    Indicator,
    Observation,
    Office,
    PartyStep,
    Place,
    Source,
    Topic,
)
from records.models.base import EDTFField
from records.resources import AgreementResource, EventResource, ObservationResource, SourceResource

RelatedOnly = admin.RelatedOnlyFieldListFilter
INLINE_OVERRIDES = {EDTFField: {"widget": EDTFInput}}


class CitationInline(VersionedInline, admin.StackedInline):
    model = Citation
    fields = ["source", "locator", "quote", "quote_prefix", "quote_suffix", "note", "seen_version"]
    autocomplete_fields = ["source"]
    classes = ["citations"]


class EventCitationInline(CitationInline):
    fk_name = "event"


class AgreementCitationInline(CitationInline):
    fk_name = "agreement"


class ObservationCitationInline(CitationInline):
    fk_name = "observation"


class OfficeCitationInline(CitationInline):
    fk_name = "office"


@admin.register(Country)
class CountryAdmin(HistoryAdmin):
    list_display = ["name", "code", "code_alpha3"]
    search_fields = ["name", "code", "code_alpha3"]


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "parent", "status", "updated_at", "changed_by"]
    list_filter = ["status", StaleDraftFilter, "kind", "country"]
    list_select_related = ["country", "parent", "updated_by"]
    search_fields = ["name", "alternative_names", "description"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}


class OfficeInline(VersionedInline, admin.TabularInline):
    model = Office
    fk_name = "actor"
    fields = ["title", "organisation", "country", "start", "end", "note", "seen_version"]
    autocomplete_fields = ["organisation", "country"]
    formfield_overrides = INLINE_OVERRIDES
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "status", "updated_at", "changed_by"]
    list_filter = ["status", StaleDraftFilter, "kind", "country"]
    list_select_related = ["country", "updated_by"]
    search_fields = ["name", "alternative_names", "description", "offices__title"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(HistoryAdmin):
    list_display = ["actor", "title", "country", "start_display", "end_display", "citations"]
    list_filter = ["country", HasCitationFilter]
    list_select_related = ["actor", "country"]
    search_fields = ["actor__name", "title", "citations__quote"]
    autocomplete_fields = ["actor", "organisation", "country"]
    inlines = [OfficeCitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))

    @admin.display(description="from", ordering="start_lower")
    def start_display(self, obj: Office) -> str:
        return obj.describe_date("start") or "—"

    @admin.display(description="to", ordering="end_upper")
    def end_display(self, obj: Office) -> str:
        return obj.describe_date("end") or "—"

    @admin.display(description="citations", ordering="citation_count")
    def citations(self, obj: Office) -> int:
        return obj.citation_count  # type: ignore[attr-defined]


@admin.register(Source)
class SourceAdmin(SpreadsheetMixin, CuratedAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "authors_shown", "type", "published_display", "has_full_text", "cited", "status"]
    list_filter = ["status", StaleDraftFilter, "type", year_filter("published"), "language"]
    search_fields = ["title", "container_title", "publisher", "authors", "note"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [*CuratedAdmin.readonly_fields, "full_text_sha256"]
    date_hierarchy = "published_lower"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="authors")
    def authors_shown(self, obj: Source) -> str:
        return obj.author_names or obj.publisher

    @admin.display(description="published", ordering="published_lower")
    def published_display(self, obj: Source) -> str:
        return obj.describe_date("published") or "—"

    @admin.display(description="full text", boolean=True)
    def has_full_text(self, obj: Source) -> bool:
        return bool(obj.full_text_sha256)

    @admin.display(description="cited by", ordering="citation_count")
    def cited(self, obj: Source) -> int:
        return obj.citation_count  # type: ignore[attr-defined]


class EventParticipantInline(VersionedInline, admin.TabularInline):
    model = EventParticipant
    fields = ["actor", "role", "note", "seen_version"]
    autocomplete_fields = ["actor"]


@admin.register(Event)
class EventAdmin(SpreadsheetMixin, CitedAdmin):
    resource_classes = [EventResource]
    list_display = ["title", "date_display", "type", "occurrence", "status", "citations", "updated_at", "changed_by"]
    list_filter = [
        "status",
        StaleDraftFilter,
        "type",
        year_filter("date"),
        "occurrence",
        HasCitationFilter,
        ("places__country", RelatedOnly),
        ("topics", RelatedOnly),
        ("citations__source", RelatedOnly),
    ]
    search_fields = ["title", "description", "conflict_note", "citations__quote"]
    autocomplete_fields = ["places", "agreements", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date_lower"
    inlines = [EventParticipantInline, EventCitationInline]

    @admin.display(description="date", ordering="date_lower")
    def date_display(self, obj: Event) -> str:
        return obj.date_display or "not given"


class PartyStepInline(VersionedInline, admin.TabularInline):
    model = PartyStep
    fields = ["country", "step", "date", "note", "seen_version"]
    autocomplete_fields = ["country"]
    formfield_overrides = INLINE_OVERRIDES


class SignatoryInline(VersionedInline, admin.TabularInline):
    model = AgreementSignatory
    fields = ["actor", "country", "capacity", "seen_version"]
    autocomplete_fields = ["actor", "country"]


class RelationInline(VersionedInline, admin.TabularInline):
    model = AgreementRelation
    fk_name = "from_agreement"
    fields = ["relation", "to_agreement", "note", "seen_version"]
    autocomplete_fields = ["to_agreement"]
    verbose_name = "link to another agreement"


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetMixin, CitedAdmin):
    resource_classes = [AgreementResource]
    list_display = ["title", "date_signed_display", "type", "legal_status", "status", "citations", "updated_at"]
    list_filter = [
        "status",
        StaleDraftFilter,
        "type",
        "legal_status",
        year_filter("date_signed"),
        HasCitationFilter,
        ("parties", RelatedOnly),
        ("topics", RelatedOnly),
        ("citations__source", RelatedOnly),
    ]
    search_fields = ["title", "short_title", "summary", "conflict_note", "citations__quote"]
    autocomplete_fields = ["place_signed", "parties", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date_signed_lower"
    inlines = [PartyStepInline, SignatoryInline, RelationInline, AgreementCitationInline]

    @admin.display(description="signed", ordering="date_signed_lower")
    def date_signed_display(self, obj: Agreement) -> str:
        return obj.date_signed_display or "—"


class ObservationInline(VersionedInline, admin.TabularInline):
    model = Observation
    fields = [
        "period",
        "value",
        "qualifier",
        "kind",
        "change_unit",
        "reported_by",
        "is_preferred",
        "status",
        "seen_version",
    ]
    readonly_fields = ["status"]
    autocomplete_fields = ["reported_by"]
    formfield_overrides = INLINE_OVERRIDES
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(CuratedAdmin):
    list_display = ["name", "unit", "topic", "status", "updated_at", "changed_by"]
    list_filter = ["status", StaleDraftFilter, "unit", ("topic", RelatedOnly)]
    list_select_related = ["topic", "updated_by"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["topic"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ObservationInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            if isinstance(inline_form.instance, Observation):
                inline_form.instance.updated_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Observation)
class ObservationAdmin(SpreadsheetMixin, CitedAdmin):
    resource_classes = [ObservationResource]
    list_display = [
        "indicator",
        "period_display",
        "value_shown",
        "kind",
        "reported_by",
        "is_preferred",
        "status",
        "citations",
    ]
    list_filter = [
        "status",
        StaleDraftFilter,
        "kind",
        year_filter("period"),
        "qualifier",
        "is_preferred",
        HasCitationFilter,
        ("indicator", RelatedOnly),
        ("indicator__topic", RelatedOnly),
        ("citations__source", RelatedOnly),
    ]
    list_select_related = ["indicator", "reported_by", "updated_by"]
    search_fields = ["indicator__name", "note", "citations__quote"]
    autocomplete_fields = ["indicator", "reported_by", "agreement", "event"]
    date_hierarchy = "period_lower"
    inlines = [ObservationCitationInline]

    @admin.display(description="period", ordering="period_lower")
    def period_display(self, obj: Observation) -> str:
        return obj.describe_date("period")

    @admin.display(description="value", ordering="value")
    def value_shown(self, obj: Observation) -> str:
        return obj.value_display


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    list_display = ["short_quote", "source", "locator", "record_type", "record"]
    list_filter = [("source", RelatedOnly)]
    list_select_related = ["source", "event", "agreement", "observation__indicator", "office__actor"]
    search_fields = ["quote", "locator", "note"]
    autocomplete_fields = ["source", "event", "agreement", "observation", "office"]

    @admin.display(description="quote")
    def short_quote(self, obj: Citation) -> str:
        return obj.quote if len(obj.quote) <= 90 else obj.quote[:87] + "…"


@admin.register(EventParticipant)
class EventParticipantAdmin(HistoryAdmin):
    list_display = ["actor", "role", "event", "note"]
    list_filter = ["role"]
    list_select_related = ["actor", "event"]
    search_fields = ["actor__name", "event__title", "note"]
    autocomplete_fields = ["event", "actor"]


@admin.register(PartyStep)
class PartyStepAdmin(HistoryAdmin):
    list_display = ["agreement", "country", "step", "date_display"]
    list_filter = ["step", "country"]
    list_select_related = ["agreement", "country"]
    search_fields = ["agreement__title", "note"]
    autocomplete_fields = ["agreement", "country"]

    @admin.display(description="date", ordering="date_lower")
    def date_display(self, obj: PartyStep) -> str:
        return obj.describe_date("date") or "not given"


@admin.register(AgreementRelation)
class AgreementRelationAdmin(HistoryAdmin):
    list_display = ["from_agreement", "relation", "to_agreement"]
    list_filter = ["relation"]
    list_select_related = ["from_agreement", "to_agreement"]
    search_fields = ["from_agreement__title", "to_agreement__title", "note"]
    autocomplete_fields = ["from_agreement", "to_agreement"]


@admin.register(AgreementSignatory)
class AgreementSignatoryAdmin(HistoryAdmin):
    list_display = ["actor", "agreement", "country", "capacity"]
    list_select_related = ["actor", "agreement", "country"]
    search_fields = ["actor__name", "agreement__title", "capacity"]
    autocomplete_fields = ["agreement", "actor", "country"]
