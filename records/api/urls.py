"""The API's URLs, under /api/ (namespace "api")."""

from django.db import transaction
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from records.api.views.agreement import AgreementViewSet
from records.api.views.changes import ChangesView
from records.api.views.citation import CitationViewSet
from records.api.views.event import EventViewSet
from records.api.views.export import ExportView
from records.api.views.indicator import IndicatorViewSet, ObservationViewSet
from records.api.views.reference import ActorViewSet, CountryViewSet, PlaceViewSet
from records.api.views.root import ApiRoot
from records.api.views.source import SourceViewSet

app_name = "api"

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("observations", ObservationViewSet, basename="observation")
router.register("sources", SourceViewSet, basename="source")
router.register("citations", CitationViewSet, basename="citation")
router.register("actors", ActorViewSet, basename="actor")
router.register("places", PlaceViewSet, basename="place")
router.register("countries", CountryViewSet, basename="country")

urlpatterns = [
    path("", ApiRoot.as_view(), name="root"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("export/", ExportView.as_view(), name="export"),
    # The schema and the docs read no data: outside ATOMIC_REQUESTS they open no transaction, and
    # still load while the database is down.
    path("schema/", transaction.non_atomic_requests(SpectacularAPIView.as_view()), name="schema"),
    # The split view serves its script as a file (?script), as the site's CSP requires.
    path(
        "docs/",
        transaction.non_atomic_requests(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
