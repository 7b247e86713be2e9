"""/api/agreements/: treaties, protocols, declarations, strategies, plans, decrees, initiatives."""

from __future__ import annotations

from records.api.filters.agreement import AgreementFilter
from records.api.serializers.agreement import (
    AgreementDetailSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
)
from records.api.views.base import LIST_SCHEMA, RecordViewSet, WorkflowMixin
from records.models import Agreement


@LIST_SCHEMA
class AgreementViewSet(WorkflowMixin, RecordViewSet):
    """Agreements, with each party's own steps and the links between agreements."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer
    detail_serializer_class = AgreementDetailSerializer
    write_serializer_class = AgreementWriteSerializer
    filterset_class = AgreementFilter
