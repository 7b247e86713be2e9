"""/api/actors/, /api/places/, /api/countries/: who and where."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from records.api.filters.reference import ActorFilter, CountryFilter, PlaceFilter
from records.api.serializers.reference import (
    ActorDetailSerializer,
    ActorSerializer,
    ActorWriteSerializer,
    CountryDetailSerializer,
    CountrySerializer,
    PlaceDetailSerializer,
    PlaceSerializer,
    PlaceWriteSerializer,
)
from records.api.views.base import LIST_SCHEMA, RecordViewSet, WorkflowMixin
from records.models import Actor, Country, Place


@LIST_SCHEMA
class ActorViewSet(WorkflowMixin, RecordViewSet):
    """People and organisations: a detail lists their offices and the events they took part in."""

    queryset = Actor.objects.none()
    serializer_class = ActorSerializer
    detail_serializer_class = ActorDetailSerializer
    write_serializer_class = ActorWriteSerializer
    filterset_class = ActorFilter


@LIST_SCHEMA
class PlaceViewSet(WorkflowMixin, RecordViewSet):
    """Cities, regions and sites: a detail lists the events held there."""

    queryset = Place.objects.none()
    serializer_class = PlaceSerializer
    detail_serializer_class = PlaceDetailSerializer
    write_serializer_class = PlaceWriteSerializer
    filterset_class = PlaceFilter


@LIST_SCHEMA
class CountryViewSet(RecordViewSet):
    """Countries by ISO 3166-1 alpha-2 code. Reference data: read-only here."""

    queryset = Country.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    http_method_names = ["get", "head", "options"]
    serializer_class = CountrySerializer
    detail_serializer_class = CountryDetailSerializer
    filterset_class = CountryFilter

    def detail_queryset(self) -> QuerySet:
        return Country.objects.prefetch_related(
            Prefetch("places", queryset=Place.objects.visible_to(self.request.user), to_attr="visible_places")
        )

    def get_object(self) -> Country:
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()
