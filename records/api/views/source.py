"""/api/sources/: the documents behind every claim, also as BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from records import citation_formats
from records.api.filters.source import SourceFilter
from records.api.renderers import BibTeXRenderer, CSLJSONRenderer, RISRenderer
from records.api.serializers.source import SourceDetailSerializer, SourceSerializer, SourceWriteSerializer
from records.api.views.base import RecordViewSet, WorkflowMixin
from records.models import Source

# Reference-manager formats: format name → (function of the sources, media type, file extension).
CITATION_FORMATS = {
    BibTeXRenderer.format: (citation_formats.bibtex, BibTeXRenderer.media_type, "bib"),
    RISRenderer.format: (citation_formats.ris, RISRenderer.media_type, "ris"),
    CSLJSONRenderer.format: (citation_formats.csl_json, CSLJSONRenderer.media_type, "json"),
}

SOURCE_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", *CITATION_FORMATS],
    description="json (default), csv, or a reference-manager format: bibtex, ris, csl-json "
    "(for a list: every source matching the filters).",
)


def _responses(json_body: Any) -> dict[tuple[int, str], Any]:
    """One 200 per format, each with its own body: a CSL-JSON list is not the paginated JSON."""
    return {
        (200, "application/json"): json_body,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, every matching row."),
        (200, BibTeXRenderer.media_type): OpenApiResponse(OpenApiTypes.STR, description="BibTeX entries."),
        (200, RISRenderer.media_type): OpenApiResponse(OpenApiTypes.STR, description="RIS records."),
        (200, CSLJSONRenderer.media_type): OpenApiResponse(
            {"type": "array", "items": {"type": "object"}}, description="CSL-JSON items."
        ),
    }


@extend_schema_view(
    list=extend_schema(parameters=[SOURCE_FORMAT], responses=_responses(SourceSerializer(many=True))),
    retrieve=extend_schema(parameters=[SOURCE_FORMAT], responses=_responses(SourceDetailSerializer)),
)
class SourceViewSet(WorkflowMixin, RecordViewSet):
    """Sources: a detail lists every record citing it, with the passage each quotes."""

    queryset = Source.objects.none()
    serializer_class = SourceSerializer
    detail_serializer_class = SourceDetailSerializer
    write_serializer_class = SourceWriteSerializer
    filterset_class = SourceFilter
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, BibTeXRenderer, RISRenderer, CSLJSONRenderer]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format in CITATION_FORMATS:
            return self._citation_file(self.filter_queryset(self.get_queryset()), "sources")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response | HttpResponse:
        if request.accepted_renderer.format in CITATION_FORMATS:
            source = self.get_object()
            return self._citation_file([source], source.slug)
        return super().retrieve(request, *args, **kwargs)

    def _citation_file(self, sources: Any, name: str) -> HttpResponse:
        write, media_type, extension = CITATION_FORMATS[self.request.accepted_renderer.format]
        response = HttpResponse(write(sources), content_type=f"{media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
        return response
