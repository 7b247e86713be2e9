"""/api/citations/: every citation whose source and record the client may see."""

from __future__ import annotations

from django.db.models import QuerySet

from records.api.filters.source import CitationFilter
from records.api.serializers.citation import CitationSerializer, CitationWriteSerializer
from records.api.views.base import LIST_SCHEMA, RecordViewSet
from records.models import Citation


@LIST_SCHEMA
class CitationViewSet(RecordViewSet):
    """Citations: a record, a source, a locator and a verbatim quote; identified by uuid."""

    queryset = Citation.objects.none()
    lookup_field = "uuid"
    serializer_class = CitationSerializer
    write_serializer_class = CitationWriteSerializer
    filterset_class = CitationFilter

    def visible_queryset(self) -> QuerySet:
        return Citation.objects.visible_to(self.request.user).with_records().order_by("id")

    def _check_may_change(self, instance: Citation) -> None:
        # A citation is part of its record: a published record's citations are an editor's to change.
        record = instance.record
        if record is not None:
            super()._check_may_change(record)
