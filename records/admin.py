"""The curators' admin: every model, with the columns, filters and search they work by.

Citations are edited inline on the record they support. The review workflow, history and
import/export are built on top of this (see the curation issue).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from records.models import (
    Actor,
    Agreement,
    AgreementRelation,
    AgreementSignatory,
    Citation,
    Country,
    CuratedRecord,
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

CITATION_FIELDS = ("source", "locator", "quote", "quote_prefix", "quote_suffix", "note")


class CitationInline(admin.StackedInline):
    model = Citation
    fields = CITATION_FIELDS
    autocomplete_fields = ["source"]
    extra = 0
    classes = ["citations"]


class EventCitationInline(CitationInline):
    fk_name = "event"


class AgreementCitationInline(CitationInline):
    fk_name = "agreement"


class ObservationCitationInline(CitationInline):
    fk_name = "observation"


class OfficeCitationInline(CitationInline):
    fk_name = "office"


class CuratedAdmin(admin.ModelAdmin):
    """Shared by every curated model: records who changed what, shows status and counts citations."""

    readonly_fields = ["created_at", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]

    def save_model(self, request: HttpRequest, obj: CuratedRecord, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CuratedRecord):
                instance.updated_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.display(description="changed by", ordering="updated_by__username")
    def changed_by(self, obj: CuratedRecord) -> str:
        return obj.updated_by.get_username() if obj.updated_by else "—"


class CitedAdmin(CuratedAdmin):
    """For records that carry citations: a citation count column and a "has no citation" filter."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))

    @admin.display(description="citations", ordering="citation_count")
    def citations(self, obj: Any) -> int:
        return obj.citation_count


class HasCitationFilter(admin.SimpleListFilter):
    title = "citations"
    parameter_name = "cited"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has a citation"), ("no", "Has no citation")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        return queryset


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "code_alpha3"]
    search_fields = ["name", "code", "code_alpha3"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "parent", "status", "updated_at", "changed_by"]
    list_filter = ["status", "kind", "country"]
    list_select_related = ["country", "parent", "updated_by"]
    search_fields = ["name", "alternative_names", "description"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}


class OfficeInline(admin.TabularInline):
    model = Office
    fk_name = "actor"
    fields = ["title", "organisation", "country", "start", "end", "note"]
    autocomplete_fields = ["organisation", "country"]
    extra = 0
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "status", "updated_at", "changed_by"]
    list_filter = ["status", "kind", "country"]
    list_select_related = ["country", "updated_by"]
    search_fields = ["name", "alternative_names", "description"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["actor", "title", "country", "start_display", "end_display", "citations"]
    list_filter = ["country"]
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
class SourceAdmin(CuratedAdmin):
    list_display = ["title", "authors_shown", "type", "published_display", "has_full_text", "cited", "status"]
    list_filter = ["status", "type", "language"]
    search_fields = ["title", "container_title", "publisher", "authors", "note"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [*CuratedAdmin.readonly_fields, "full_text_sha256"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="published", ordering="published_lower")
    def published_display(self, obj: Source) -> str:
        return obj.describe_date("published") or "—"

    @admin.display(description="authors")
    def authors_shown(self, obj: Source) -> str:
        return obj.author_names or obj.publisher

    @admin.display(description="full text", boolean=True)
    def has_full_text(self, obj: Source) -> bool:
        return bool(obj.full_text_sha256)

    @admin.display(description="cited by", ordering="citation_count")
    def cited(self, obj: Source) -> int:
        return obj.citation_count  # type: ignore[attr-defined]


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    autocomplete_fields = ["actor"]
    extra = 0


@admin.register(Event)
class EventAdmin(CitedAdmin):
    list_display = ["title", "date_display", "type", "occurrence", "status", "citations", "updated_at", "changed_by"]
    list_filter = ["status", "type", "occurrence", HasCitationFilter, "places__country", "topics", "citations__source"]
    search_fields = ["title", "description", "citations__quote"]
    autocomplete_fields = ["places", "agreements", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date_lower"
    inlines = [EventParticipantInline, EventCitationInline]

    @admin.display(description="date", ordering="date_lower")
    def date_display(self, obj: Event) -> str:
        return obj.date_display or "not given"


class PartyStepInline(admin.TabularInline):
    model = PartyStep
    autocomplete_fields = ["country"]
    extra = 0


class SignatoryInline(admin.TabularInline):
    model = AgreementSignatory
    autocomplete_fields = ["actor", "country"]
    extra = 0


class RelationInline(admin.TabularInline):
    model = AgreementRelation
    fk_name = "from_agreement"
    autocomplete_fields = ["to_agreement"]
    extra = 0
    verbose_name = "link to another agreement"


@admin.register(Agreement)
class AgreementAdmin(CitedAdmin):
    list_display = ["title", "date_signed_display", "type", "legal_status", "status", "citations", "updated_at"]
    list_filter = ["status", "type", "legal_status", HasCitationFilter, "parties", "topics", "citations__source"]
    search_fields = ["title", "short_title", "summary", "citations__quote"]
    autocomplete_fields = ["place_signed", "parties", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date_signed_lower"
    inlines = [PartyStepInline, SignatoryInline, RelationInline, AgreementCitationInline]

    @admin.display(description="signed", ordering="date_signed_lower")
    def date_signed_display(self, obj: Agreement) -> str:
        return obj.date_signed_display or "—"


class ObservationInline(admin.TabularInline):
    model = Observation
    fields = ["period", "value", "qualifier", "kind", "change_unit", "reported_by", "is_preferred", "status"]
    autocomplete_fields = ["reported_by"]
    extra = 0
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(CuratedAdmin):
    list_display = ["name", "unit", "topic", "status", "updated_at", "changed_by"]
    list_filter = ["status", "unit", "topic"]
    list_select_related = ["topic", "updated_by"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ObservationInline]


@admin.register(Observation)
class ObservationAdmin(CitedAdmin):
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
    list_filter = ["status", "kind", "qualifier", "is_preferred", HasCitationFilter, "indicator", "citations__source"]
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
class CitationAdmin(admin.ModelAdmin):
    list_display = ["short_quote", "source", "locator", "record_type", "record"]
    list_filter = ["source"]
    list_select_related = ["source", "event", "agreement", "observation__indicator", "office__actor"]
    search_fields = ["quote", "locator", "note"]
    autocomplete_fields = ["source", "event", "agreement", "observation", "office"]

    @admin.display(description="quote")
    def short_quote(self, obj: Citation) -> str:
        return obj.quote if len(obj.quote) <= 90 else obj.quote[:87] + "…"


@admin.register(EventParticipant)
class EventParticipantAdmin(admin.ModelAdmin):
    list_display = ["actor", "role", "event", "note"]
    list_filter = ["role"]
    list_select_related = ["actor", "event"]
    search_fields = ["actor__name", "event__title", "note"]
    autocomplete_fields = ["event", "actor"]


@admin.register(PartyStep)
class PartyStepAdmin(admin.ModelAdmin):
    list_display = ["agreement", "country", "step", "date_display"]
    list_filter = ["step", "country"]
    list_select_related = ["agreement", "country"]
    search_fields = ["agreement__title", "note"]
    autocomplete_fields = ["agreement", "country"]

    @admin.display(description="date", ordering="date_lower")
    def date_display(self, obj: PartyStep) -> str:
        return obj.describe_date("date") or "not given"


@admin.register(AgreementRelation)
class AgreementRelationAdmin(admin.ModelAdmin):
    list_display = ["from_agreement", "relation", "to_agreement"]
    list_filter = ["relation"]
    list_select_related = ["from_agreement", "to_agreement"]
    search_fields = ["from_agreement__title", "to_agreement__title", "note"]
    autocomplete_fields = ["from_agreement", "to_agreement"]


@admin.register(AgreementSignatory)
class AgreementSignatoryAdmin(admin.ModelAdmin):
    list_display = ["actor", "agreement", "country", "capacity"]
    list_select_related = ["actor", "agreement", "country"]
    search_fields = ["actor__name", "agreement__title", "capacity"]
    autocomplete_fields = ["agreement", "actor", "country"]
