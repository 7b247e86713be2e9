"""What every API serializer shares: dates as EDTF with bounds, model validation, references.

Read serializers (list, then detail extending it) show a record and what it embeds; write
serializers take flat input (relations by slug) and validate it exactly as the admin does.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from rest_framework import serializers

from records.dates import describe_edtf
from records.models import Citation, PublicationStatus
from records.models.base import may_view_unpublished, unstorable_character, unstorable_message


class ApiLinkField(serializers.HyperlinkedIdentityField):
    """A record's own API URL, plain: without the ``?format=`` DRF carries over from the request,
    so a link in a CSV row or an export points at the record, not at a CSV of it."""

    PLACEHOLDER = "lookup-value-placeholder"

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str | None:
        value = getattr(obj, self.lookup_field, None)
        if value in (None, ""):
            return None
        template = self._url_template(view_name, request)
        if template is None:
            return request.build_absolute_uri(reverse(view_name, kwargs={self.lookup_url_kwarg: value}))
        prefix, suffix = template
        return f"{prefix}{quote(str(value), safe='')}{suffix}"

    def _url_template(self, view_name: str, request: Any) -> tuple[str, str] | None:
        """The absolute URL around the lookup value, reversed once per request and view (reversing
        for every row was a fifth of a list's time); None where the URL pattern refuses the
        placeholder (country codes), which are then reversed row by row."""
        templates = request.__dict__.setdefault("_api_link_templates", {})
        if view_name not in templates:
            try:
                url = reverse(view_name, kwargs={self.lookup_url_kwarg: self.PLACEHOLDER})
            except NoReverseMatch:
                templates[view_name] = None
            else:
                prefix, _, suffix = request.build_absolute_uri(url).rpartition(self.PLACEHOLDER)
                templates[view_name] = (prefix, suffix)
        return templates[view_name]


class SlugRefField(serializers.SlugRelatedField):
    """A related record named by its slug (or code) in a write.

    Text that no column can hold (NUL, a lone surrogate) is refused before the lookup: PostgreSQL
    would otherwise fail on the query itself and the client would get a 500, not a 400.
    """

    def to_internal_value(self, data: Any) -> Any:
        char = unstorable_character(data)
        if char is not None:
            raise serializers.ValidationError(unstorable_message(char), code="invalid")
        return super().to_internal_value(data)


class OptionalURLField(serializers.URLField):
    """A web address or ``null`` when the record has none (never an empty string posing as a URL)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        return value or None


class EDTFReadingField(serializers.CharField):
    """How an EDTF date reads ("spring 2018"), beside the string and its bounds."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return describe_edtf(value or "")


def edtf_read_fields(name: str) -> list[str]:
    """The four columns a date comes out as: the EDTF, its bounds and its reading."""
    return [name, f"{name}_lower", f"{name}_upper", f"{name}_display"]


class ModelValidatedSerializer(serializers.ModelSerializer):
    """Validates input with the model's own ``full_clean()``: the API refuses what the admin refuses.

    Vocabularies, EDTF dates, constraints (an end before a start) and a quote missing from its
    source all come back as 400 errors naming the field.
    """

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=sorted(many_to_many))
        except DjangoValidationError as error:
            raise serializers.ValidationError(_api_field_names(error.message_dict, self)) from error
        return attrs


def _api_field_names(errors: dict[str, list[str]], serializer: serializers.Serializer) -> dict[str, list[str]]:
    """Model field names as the client knows them (``url`` of a source is ``source_url``)."""
    renamed = {}
    for name, messages in errors.items():
        api_name = next((field_name for field_name, field in serializer.fields.items() if field.source == name), name)
        renamed["non_field_errors" if api_name == "__all__" else api_name] = messages
    return renamed


# --- References: how one record names another inside a response --------------------------------


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PlaceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")
    url = ApiLinkField(view_name="api:place-detail", lookup_field="slug")


class ActorRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    url = ApiLinkField(view_name="api:actor-detail", lookup_field="slug")


class AgreementRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    date_signed = serializers.CharField()
    date_signed_display = EDTFReadingField(source="date_signed")
    url = ApiLinkField(view_name="api:agreement-detail", lookup_field="slug")


class EventRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    date = serializers.CharField()
    date_display = EDTFReadingField(source="date")
    url = ApiLinkField(view_name="api:event-detail", lookup_field="slug")


class SourceRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    source_url = OptionalURLField(source="url")
    url = ApiLinkField(view_name="api:source-detail", lookup_field="slug")


class CitationEmbedSerializer(serializers.ModelSerializer):
    """A citation inside the record it supports: the source, where in it, and what it says."""

    source = SourceRefSerializer()

    class Meta:
        model = Citation
        fields = ["uuid", "source", "locator", "quote", "quote_prefix", "quote_suffix", "note"]


def visible_or_none(serializer: serializers.Serializer, related: Any) -> Any:
    """A related record as a reference only if the requesting user may see it."""
    if related is None:
        return None
    status = getattr(related, "status", PublicationStatus.PUBLISHED)
    user = serializer.context["request"].user
    if status != PublicationStatus.PUBLISHED and not may_view_unpublished(user, type(related)):
        return None
    return related
