"""/api/indicators/ (series) and /api/observations/ (figures, targets beside actuals)."""

from __future__ import annotations

from records.api.filters.indicator import IndicatorFilter, ObservationFilter
from records.api.serializers.indicator import (
    IndicatorDetailSerializer,
    IndicatorSerializer,
    IndicatorWriteSerializer,
    ObservationSerializer,
    ObservationWriteSerializer,
)
from records.api.views.base import LIST_SCHEMA, RecordViewSet, WorkflowMixin
from records.models import Indicator, Observation


@LIST_SCHEMA
class IndicatorViewSet(WorkflowMixin, RecordViewSet):
    """Indicators: a detail embeds its observations in period order."""

    queryset = Indicator.objects.none()
    serializer_class = IndicatorSerializer
    detail_serializer_class = IndicatorDetailSerializer
    write_serializer_class = IndicatorWriteSerializer
    filterset_class = IndicatorFilter


@LIST_SCHEMA
class ObservationViewSet(WorkflowMixin, RecordViewSet):
    """Observations: one figure each, with who reported it and its citations; identified by uuid."""

    queryset = Observation.objects.none()
    lookup_field = "uuid"
    serializer_class = ObservationSerializer
    write_serializer_class = ObservationWriteSerializer
    filterset_class = ObservationFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # Lists and details show the same fields: both need the relations a row shows.
        return self.visible_queryset().for_api_list(self.request.user)

    detail_queryset = get_queryset
