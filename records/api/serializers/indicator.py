"""Indicators (series) and observations (figures), with who reported each and its citations."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.api.serializers.base import (
    ActorRefSerializer,
    AgreementRefSerializer,
    ApiLinkField,
    CitationEmbedSerializer,
    EDTFReadingField,
    EventRefSerializer,
    ModelValidatedSerializer,
    SlugRefField,
    edtf_read_fields,
    visible_or_none,
)
from records.models import Actor, Agreement, ChangeUnit, Event, Indicator, Observation, Topic


class ObservationSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:observation-detail", lookup_field="uuid")
    indicator = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    period_display = EDTFReadingField(source="period")
    baseline_display = EDTFReadingField(source="baseline")
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=True, read_only=True)
    value_display = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    preferred = serializers.BooleanField(source="is_preferred", read_only=True)
    # Declared so the schema admits "" (not a change); a read-only model field would drop allow_blank.
    change_unit = serializers.ChoiceField(choices=ChangeUnit.choices, allow_blank=True, read_only=True)
    reported_by = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()
    citations = CitationEmbedSerializer(source="visible_citations", many=True, read_only=True)

    class Meta:
        model = Observation
        fields = [
            "url",
            "uuid",
            "indicator",
            *edtf_read_fields("period"),
            "value",
            "unit",
            "value_display",
            "qualifier",
            "kind",
            "change_unit",
            *edtf_read_fields("baseline"),
            "reported_by",
            "agreement",
            "event",
            "preferred",
            "preferred_reason",
            "note",
            "citations",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_reported_by(self, obj: Observation) -> dict[str, Any] | None:
        actor = visible_or_none(self, obj.reported_by)
        return ActorRefSerializer(actor, context=self.context).data if actor else None

    @extend_schema_field(AgreementRefSerializer(allow_null=True))
    def get_agreement(self, obj: Observation) -> dict[str, Any] | None:
        agreement = visible_or_none(self, obj.agreement)
        return AgreementRefSerializer(agreement, context=self.context).data if agreement else None

    @extend_schema_field(EventRefSerializer(allow_null=True))
    def get_event(self, obj: Observation) -> dict[str, Any] | None:
        event = visible_or_none(self, obj.event)
        return EventRefSerializer(event, context=self.context).data if event else None


class ObservationWriteSerializer(ModelValidatedSerializer):
    indicator = SlugRefField(slug_field="slug", queryset=Indicator.objects.all())
    reported_by = SlugRefField(slug_field="slug", queryset=Actor.objects.all(), required=False, allow_null=True)
    agreement = SlugRefField(slug_field="slug", queryset=Agreement.objects.all(), required=False, allow_null=True)
    event = SlugRefField(slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True)
    preferred = serializers.BooleanField(source="is_preferred", required=False)

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "period",
            "value",
            "qualifier",
            "kind",
            "change_unit",
            "baseline",
            "reported_by",
            "agreement",
            "event",
            "preferred",
            "preferred_reason",
            "note",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:indicator-detail", lookup_field="slug")
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["url", "slug", "name", "unit", "description", "topic", "status", "updated_at", "version"]
        read_only_fields = fields


class IndicatorDetailSerializer(IndicatorSerializer):
    observations = ObservationSerializer(source="visible_observations", many=True, read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "observations", "created_at"]
        read_only_fields = fields


class IndicatorWriteSerializer(ModelValidatedSerializer):
    topic = SlugRefField(slug_field="slug", queryset=Topic.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["slug", "name", "unit", "description", "topic"]
