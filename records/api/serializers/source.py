"""Sources: the bibliographic record, what cites it, and the write form."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.api.serializers.base import (
    ApiLinkField,
    EDTFReadingField,
    ModelValidatedSerializer,
    OptionalURLField,
    edtf_read_fields,
)
from records.models import Citation, Source

SOURCE_FIELDS = [
    "slug",
    "title",
    "type",
    "container_title",
    "number",
    "authors",
    "editors",
    "publisher",
    "place_published",
]


class SourceSerializer(serializers.ModelSerializer):
    url = ApiLinkField(view_name="api:source-detail", lookup_field="slug")
    source_url = OptionalURLField(source="url")
    published_display = EDTFReadingField(source="published")
    has_full_text = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "url",
            *SOURCE_FIELDS,
            *edtf_read_fields("published"),
            "source_url",
            "accessed",
            "issn",
            "isbn",
            "doi",
            "language",
            "has_full_text",
            "full_text_sha256",
            "status",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_has_full_text(self, obj: Source) -> bool:
        return bool(obj.full_text_sha256)


class CitingSerializer(serializers.ModelSerializer):
    """A record citing the source, with the passage it quotes."""

    record_type = serializers.CharField()
    record = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ["uuid", "record_type", "record", "locator", "quote", "quote_prefix", "quote_suffix", "note"]

    @extend_schema_field({"type": "object", "properties": {"title": {"type": "string"}, "url": {"type": "string"}}})
    def get_record(self, obj: Citation) -> dict[str, Any]:
        from records.api.serializers.citation import record_reference

        return record_reference(obj, self.context["request"])


class SourceDetailSerializer(SourceSerializer):
    cited_by = CitingSerializer(source="visible_citations", many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "note", "full_text", "full_text_archived_on", "cited_by", "created_at"]
        read_only_fields = fields


class SourceWriteSerializer(ModelValidatedSerializer):
    source_url = serializers.URLField(source="url", required=False, allow_blank=True)

    class Meta:
        model = Source
        fields = [
            *SOURCE_FIELDS,
            "published",
            "source_url",
            "accessed",
            "issn",
            "isbn",
            "doi",
            "language",
            "full_text",
            "full_text_archived_on",
            "note",
        ]
        # The archived text is kept exactly as obtained (its SHA-256 is of those bytes): no trimming.
        extra_kwargs = {"full_text": {"trim_whitespace": False}}
