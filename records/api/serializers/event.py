"""Events: the list row, the detail with everything it embeds, and the write form."""

from __future__ import annotations

from rest_framework import serializers

from records.api.serializers.base import (
    ActorRefSerializer,
    AgreementRefSerializer,
    ApiLinkField,
    CitationEmbedSerializer,
    EDTFReadingField,
    ModelValidatedSerializer,
    PlaceRefSerializer,
    SlugRefField,
    edtf_read_fields,
)
from records.models import Agreement, Event, EventParticipant, Place, Topic


class EventSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:event-detail", lookup_field="slug")
    date_display = EDTFReadingField(source="date")
    places = PlaceRefSerializer(source="visible_places", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "title",
            "type",
            *edtf_read_fields("date"),
            "occurrence",
            "places",
            "topics",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer()

    class Meta:
        model = EventParticipant
        fields = ["actor", "role", "note"]


class EventDetailSerializer(EventSerializer):
    participants = ParticipantSerializer(source="visible_participations", many=True, read_only=True)
    agreements = AgreementRefSerializer(source="visible_agreements", many=True, read_only=True)
    citations = CitationEmbedSerializer(source="visible_citations", many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "conflict_note",
            "participants",
            "agreements",
            "citations",
            "created_at",
        ]
        read_only_fields = fields


class EventWriteSerializer(ModelValidatedSerializer):
    """Creating or changing an event. Citations are added through /api/citations/."""

    places = SlugRefField(slug_field="slug", many=True, queryset=Place.objects.all(), required=False)
    agreements = SlugRefField(slug_field="slug", many=True, queryset=Agreement.objects.all(), required=False)
    topics = SlugRefField(slug_field="slug", many=True, queryset=Topic.objects.all(), required=False)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "type",
            "date",
            "occurrence",
            "description",
            "conflict_note",
            "places",
            "agreements",
            "topics",
        ]
