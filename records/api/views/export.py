"""/api/export/: the whole dataset the client may see, as one zip.

One CSV per resource (the same columns as each list's ``?format=csv``), the sources as
BibTeX, and a ``datapackage.json`` (Frictionless Data Package) describing every file and its
columns, so the download documents itself.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from records import citation_formats
from records.api.renderers import flatten
from records.api.serializers.agreement import AgreementSerializer
from records.api.serializers.citation import CitationSerializer
from records.api.serializers.event import EventSerializer
from records.api.serializers.indicator import IndicatorSerializer, ObservationSerializer
from records.api.serializers.reference import ActorSerializer, CountrySerializer, PlaceSerializer
from records.api.serializers.source import SourceSerializer
from records.models import Actor, Agreement, Citation, Country, Event, Indicator, Observation, Place, Source

# File name, what it holds, how to read it visibly for a user, and its serializer.
TABLES: list[tuple[str, str, Any, type[serializers.Serializer]]] = [
    ("events", "Events: visits, summits, commission sessions, forums…", Event, EventSerializer),
    ("agreements", "Agreements, with their legal status and dates", Agreement, AgreementSerializer),
    ("indicators", "Indicator series", Indicator, IndicatorSerializer),
    ("observations", "Figures of the indicators: actuals, targets, changes", Observation, ObservationSerializer),
    ("sources", "The documents every claim rests on", Source, SourceSerializer),
    ("citations", "Which record cites which source, where, with the verbatim quote", Citation, CitationSerializer),
    ("actors", "People and organisations", Actor, ActorSerializer),
    ("places", "Cities, regions and sites", Place, PlaceSerializer),
    ("countries", "Countries (ISO 3166-1)", Country, CountrySerializer),
]

FIELD_TYPES = {
    serializers.DateTimeField: "datetime",
    serializers.DateField: "date",
    serializers.IntegerField: "integer",
    serializers.DecimalField: "number",
    serializers.BooleanField: "boolean",
}


def _rows(model: Any, user: Any) -> Any:
    if model is Citation:
        return Citation.objects.visible_to(user).with_records().order_by("id")
    if model is Country:
        return Country.objects.order_by("code")
    visible = model.objects.visible_to(user)
    return visible.for_api_list(user) if hasattr(visible, "for_api_list") else visible


def _field_type(serializer: serializers.Serializer, column: str) -> str:
    field = serializer.fields.get(column)
    for field_class, name in FIELD_TYPES.items():
        if isinstance(field, field_class):
            return name
    return "string"


class ExportView(APIView):
    """The whole dataset as a zip of CSV files, BibTeX and a Frictionless datapackage.json."""

    # Building the whole dataset is the API's most expensive request: its own, smaller budget.
    throttle_scope = "export"

    @extend_schema(
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="A zip file.")}
    )
    def get(self, request: Request) -> HttpResponse:
        # In memory: compressed, even 100,000 events make a few megabytes, and nothing is left open.
        archive = io.BytesIO()
        resources = []
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as package:
            for name, title, model, serializer_class in TABLES:
                serializer = serializer_class(context={"request": request})
                text = io.StringIO()
                writer: csv.DictWriter | None = None
                columns: list[str] = []
                for record in _rows(model, request.user).iterator(1000):
                    row = flatten(serializer.to_representation(record))
                    if writer is None:
                        columns = list(row)
                        writer = csv.DictWriter(text, fieldnames=columns)
                        writer.writeheader()
                    writer.writerow(row)
                if writer is None:  # nothing visible: the file still says what its columns are
                    columns = list(serializer.fields)
                    csv.DictWriter(text, fieldnames=columns).writeheader()
                package.writestr(f"{name}.csv", text.getvalue())
                resources.append(
                    {
                        "name": name,
                        "title": title,
                        "path": f"{name}.csv",
                        "format": "csv",
                        "mediatype": "text/csv",
                        "encoding": "utf-8",
                        "schema": {"fields": [{"name": c, "type": _field_type(serializer, c)} for c in columns]},
                    }
                )
            package.writestr("sources.bib", citation_formats.bibtex(_rows(Source, request.user)))
            resources.append(
                {"name": "sources-bibtex", "path": "sources.bib", "format": "bib", "mediatype": "application/x-bibtex"}
            )
            package.writestr("datapackage.json", json.dumps(self.descriptor(request, resources), indent=2))
        stamp = timezone.now().strftime("%Y%m%d")
        response = HttpResponse(archive.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="kz-uz-relations-{stamp}.zip"'
        return response

    def descriptor(self, request: Request, resources: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "profile": "data-package",
            "name": "kz-uz-relations",
            "title": "Kazakhstan–Uzbekistan relations database",
            "description": "Events, agreements, indicators and the sources behind every claim. Dates are EDTF "
            "strings with their lower and upper bounds; every fact cites a source with a verbatim quote.",
            "homepage": request.build_absolute_uri("/"),
            "created": timezone.now().isoformat(),
            "resources": resources,
        }
