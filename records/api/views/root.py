"""GET /api/: what the API offers, with links."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

RESOURCES = [
    "events",
    "agreements",
    "indicators",
    "observations",
    "sources",
    "citations",
    "actors",
    "places",
    "countries",
]


class ApiRoot(APIView):
    """The resources, the sync feed, the whole-dataset download and the documentation."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(f"api:{name}"))

        return Response(
            {
                **{
                    name: link(f"{name.removesuffix('ies') + 'y' if name.endswith('ies') else name[:-1]}-list")
                    for name in RESOURCES
                },
                "changes": link("changes"),
                "export": link("export"),
                "schema": link("schema"),
                "docs": link("docs"),
            }
        )
