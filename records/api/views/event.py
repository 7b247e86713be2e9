"""/api/events/: the timeline's records, filtered, with what each embeds."""

from __future__ import annotations

from records.api.filters.event import EventFilter
from records.api.serializers.event import EventDetailSerializer, EventSerializer, EventWriteSerializer
from records.api.views.base import LIST_SCHEMA, RecordViewSet, WorkflowMixin
from records.models import Event


@LIST_SCHEMA
class EventViewSet(WorkflowMixin, RecordViewSet):
    """Events: visits, summits, commission sessions, forums… with their EDTF dates and bounds."""

    queryset = Event.objects.none()
    serializer_class = EventSerializer
    detail_serializer_class = EventDetailSerializer
    write_serializer_class = EventWriteSerializer
    filterset_class = EventFilter
