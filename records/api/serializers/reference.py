"""Actors, places and countries: who and where, and what each took part in over time."""

from __future__ import annotations

from rest_framework import serializers

from records.api.serializers.base import (
    ApiLinkField,
    CitationEmbedSerializer,
    EDTFReadingField,
    EventRefSerializer,
    ModelValidatedSerializer,
    PlaceRefSerializer,
    SlugRefField,
    edtf_read_fields,
)
from records.models import Actor, Country, EventParticipant, Office, Place


class CountrySerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:country-detail", lookup_field="code")

    class Meta:
        model = Country
        fields = ["url", "code", "code_alpha3", "name"]


class CountryDetailSerializer(CountrySerializer):
    places = PlaceRefSerializer(source="visible_places", many=True, read_only=True)

    class Meta(CountrySerializer.Meta):
        fields = [*CountrySerializer.Meta.fields, "places"]


class PlaceSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:place-detail", lookup_field="slug")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Place
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "alternative_names",
            "latitude",
            "longitude",
            "description",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class PlaceDetailSerializer(PlaceSerializer):
    events = EventRefSerializer(source="visible_events", many=True, read_only=True)

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "events"]
        read_only_fields = fields


class PlaceWriteSerializer(ModelValidatedSerializer):
    country = SlugRefField(slug_field="code", queryset=Country.objects.all())
    parent = SlugRefField(slug_field="slug", queryset=Place.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Place
        fields = [
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "alternative_names",
            "latitude",
            "longitude",
            "description",
        ]


class OfficeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    country = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    start_display = EDTFReadingField(source="start")
    end_display = EDTFReadingField(source="end")
    citations = CitationEmbedSerializer(source="visible_citations", many=True, read_only=True)

    class Meta:
        model = Office
        fields = [
            "title",
            "organisation",
            "country",
            *edtf_read_fields("start"),
            *edtf_read_fields("end"),
            "note",
            "citations",
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    event = EventRefSerializer()

    class Meta:
        model = EventParticipant
        fields = ["event", "role", "note"]


class ActorSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:actor-detail", lookup_field="slug")
    country = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "alternative_names",
            "country",
            "description",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ActorDetailSerializer(ActorSerializer):
    offices = OfficeSerializer(many=True, read_only=True)
    events = ParticipationSerializer(source="visible_participations", many=True, read_only=True)

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "offices", "events"]
        read_only_fields = fields


class ActorWriteSerializer(ModelValidatedSerializer):
    country = SlugRefField(slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "alternative_names", "country", "description"]
