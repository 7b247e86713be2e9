"""Agreements: the list row, the detail with each party's steps and links, and the write form."""

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
    PlaceRefSerializer,
    SlugRefField,
    edtf_read_fields,
    visible_or_none,
)
from records.models import Agreement, AgreementRelation, AgreementSignatory, Country, PartyStep, Place, Topic


class AgreementSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:agreement-detail", lookup_field="slug")
    date_signed_display = EDTFReadingField(source="date_signed")
    period_covered_display = EDTFReadingField(source="period_covered")
    place_signed = serializers.SerializerMethodField()
    parties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "url",
            "slug",
            "title",
            "short_title",
            "type",
            "legal_status",
            *edtf_read_fields("date_signed"),
            *edtf_read_fields("period_covered"),
            "place_signed",
            "parties",
            "topics",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(PlaceRefSerializer(allow_null=True))
    def get_place_signed(self, obj: Agreement) -> dict[str, Any] | None:
        place = visible_or_none(self, obj.place_signed)
        return PlaceRefSerializer(place, context=self.context).data if place else None


class PartyStepSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    date_display = EDTFReadingField(source="date")

    class Meta:
        model = PartyStep
        fields = ["country", "step", *edtf_read_fields("date"), "note"]


class SignatorySerializer(serializers.ModelSerializer):
    actor = ActorRefSerializer()
    country = serializers.CharField(source="country.code", allow_null=True, default=None)

    class Meta:
        model = AgreementSignatory
        fields = ["actor", "country", "capacity"]


class LinkSerializer(serializers.ModelSerializer):
    """A link to another agreement, read "this <relation> that"."""

    agreement = AgreementRefSerializer(source="to_agreement")

    class Meta:
        model = AgreementRelation
        fields = ["relation", "agreement", "note"]


class BacklinkSerializer(serializers.ModelSerializer):
    """A link from another agreement, read "that <relation> this"."""

    agreement = AgreementRefSerializer(source="from_agreement")

    class Meta:
        model = AgreementRelation
        fields = ["relation", "agreement", "note"]


class AgreementDetailSerializer(AgreementSerializer):
    party_steps = PartyStepSerializer(many=True, read_only=True)
    signatories = SignatorySerializer(source="visible_signatures", many=True, read_only=True)
    links = LinkSerializer(source="visible_relations_from", many=True, read_only=True)
    linked_from = BacklinkSerializer(source="visible_relations_to", many=True, read_only=True)
    events = EventRefSerializer(source="visible_events", many=True, read_only=True)
    citations = CitationEmbedSerializer(source="visible_citations", many=True, read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = [
            *AgreementSerializer.Meta.fields,
            "summary",
            "conflict_note",
            "party_steps",
            "signatories",
            "links",
            "linked_from",
            "events",
            "citations",
            "created_at",
        ]
        read_only_fields = fields


class AgreementWriteSerializer(ModelValidatedSerializer):
    place_signed = SlugRefField(slug_field="slug", queryset=Place.objects.all(), required=False, allow_null=True)
    parties = SlugRefField(slug_field="code", many=True, queryset=Country.objects.all(), required=False)
    topics = SlugRefField(slug_field="slug", many=True, queryset=Topic.objects.all(), required=False)

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "short_title",
            "type",
            "legal_status",
            "date_signed",
            "period_covered",
            "place_signed",
            "parties",
            "topics",
            "summary",
            "conflict_note",
        ]
