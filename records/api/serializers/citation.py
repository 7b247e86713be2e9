"""Citations: one record, one source, a locator and a verbatim quote."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from records.api.serializers.base import ApiLinkField, ModelValidatedSerializer, SlugRefField, SourceRefSerializer
from records.models import Agreement, Citation, Event, Observation, Source

WRITABLE_RECORDS = {"event": Event, "agreement": Agreement, "observation": Observation}


def record_reference(citation: Citation, request: Request) -> dict[str, Any]:
    """The cited record as a reference; needs the record joined (Citation.objects.with_records())."""
    record = citation.record
    kind = citation.record_type
    if kind == "observation":
        key, path = {"uuid": str(record.uuid)}, reverse("api:observation-detail", args=[record.uuid])
    elif kind == "office":
        key, path = {"actor": record.actor.slug}, reverse("api:actor-detail", args=[record.actor.slug])
    else:
        key, path = {"slug": record.slug}, reverse(f"api:{kind}-detail", args=[record.slug])
    return {"type": kind, **key, "title": str(record), "url": request.build_absolute_uri(path)}


class CitationSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:citation-detail", lookup_field="uuid")
    record_type = serializers.CharField(read_only=True)
    record = serializers.SerializerMethodField()
    source = SourceRefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = [
            "url",
            "uuid",
            "record_type",
            "record",
            "source",
            "locator",
            "quote",
            "quote_prefix",
            "quote_suffix",
            "note",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "properties": {"type": {"type": "string"}, "url": {"type": "string"}}})
    def get_record(self, obj: Citation) -> dict[str, Any]:
        return record_reference(obj, self.context["request"])


class CitationWriteSerializer(ModelValidatedSerializer):
    """A new citation names its record by type and slug (an observation by its uuid)."""

    source = SlugRefField(slug_field="slug", queryset=Source.objects.all())
    record_type = serializers.ChoiceField(choices=sorted(WRITABLE_RECORDS), write_only=True)
    record = serializers.CharField(write_only=True, help_text="The record's slug (an observation's uuid).")

    class Meta:
        model = Citation
        fields = ["source", "record_type", "record", "locator", "quote", "quote_prefix", "quote_suffix", "note"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.pop("record_type", None) or (self.instance and self.instance.record_type)
        key = attrs.pop("record", None)
        if key is not None:
            model = WRITABLE_RECORDS[kind]
            lookup = {"uuid": key} if model is Observation else {"slug": key}
            try:
                record = model.objects.get(**lookup)
            except (model.DoesNotExist, DjangoValidationError) as error:  # a malformed uuid is a ValidationError
                raise serializers.ValidationError({"record": [f"No {kind} is identified by “{key}”."]}) from error
            for field in WRITABLE_RECORDS:
                attrs[field] = record if field == kind else None
            attrs["office"] = None
        elif self.instance is None:
            raise serializers.ValidationError({"record": ["Name the record this citation supports."]})
        return super().validate(attrs)
