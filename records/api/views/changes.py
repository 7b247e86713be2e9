"""/api/changes/: what changed since a moment, so a client's copy never keeps a record that is gone.

Built from the history every record keeps (django-simple-history): each save, workflow step
and deletion is an entry. An entry says what happened to the record *as this client sees it*:

- ``created`` / ``changed``: fetch it again (``url``);
- ``published``: it became visible (an anonymous client never saw it before);
- ``withdrawn``: it is no longer visible to this client — remove it;
- ``deleted``: a tombstone with the record's type and id — remove it.

Anonymous clients get only entries about published records (and the withdrawals and
deletions of records they could see); curators get everything. Pages run in time order and
continue with the ``next`` link (a cursor), so nothing is skipped between two requests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from records.api.filters.base import as_utc
from records.api.pagination import Pagination
from records.models import (
    Actor,
    Agreement,
    Citation,
    Country,
    Event,
    Indicator,
    Observation,
    Place,
    PublicationStatus,
    Source,
)
from records.models.base import may_view_unpublished

PUBLISHED = PublicationStatus.PUBLISHED

# Each resource: its model, the field that identifies it in the API, and its detail route.
RESOURCES: list[tuple[str, Any, str]] = [
    ("event", Event, "slug"),
    ("agreement", Agreement, "slug"),
    ("indicator", Indicator, "slug"),
    ("observation", Observation, "uuid"),
    ("source", Source, "slug"),
    ("citation", Citation, "uuid"),
    ("actor", Actor, "slug"),
    ("place", Place, "slug"),
    ("country", Country, "code"),
]
ORDER = {name: index for index, (name, _, _) in enumerate(RESOURCES)}


@dataclass(frozen=True)
class Cursor:
    time: datetime.datetime
    resource: int
    history_id: int

    def encode(self) -> str:
        return f"{self.time.isoformat()}|{self.resource}|{self.history_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            time, resource, history_id = text.split("|")
            parsed = parse_datetime(time)
            if parsed is None:
                raise ValueError(time)
            return cls(as_utc(parsed), int(resource), int(history_id))
        except ValueError:
            raise ValidationError({"after": ["Not a cursor from a previous page's next link."]}) from None


def _parse_since(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(text), datetime.time.min)
        return as_utc(moment)
    except ValueError:
        raise ValidationError(
            {"since": [f"“{text}” is not an ISO 8601 timestamp in range (e.g. 2026-11-24T10:00:00Z)."]}
        ) from None


def _entries(name: str, model: Any, since: Any, cursor: Cursor | None, limit: int) -> list[Any]:
    """Up to ``limit`` history rows of one resource after the cursor (or ``since``), oldest first."""
    history = model.history.model
    pk = model._meta.pk.attname
    rows = history.objects.all()
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    if cursor is not None:
        here = ORDER[name]
        if here > cursor.resource:
            rows = rows.filter(history_date__gte=cursor.time)
        elif here == cursor.resource:
            rows = rows.filter(
                Q(history_date__gt=cursor.time) | Q(history_date=cursor.time, history_id__gt=cursor.history_id)
            )
        else:
            rows = rows.filter(history_date__gt=cursor.time)
    if hasattr(model, "status"):
        previous = history.objects.filter(**{pk: OuterRef(pk)}, history_id__lt=OuterRef("history_id"))
        rows = rows.annotate(previous_status=Subquery(previous.order_by("-history_id").values("status")[:1]))
    return list(rows.order_by("history_date", "history_id")[:limit])


def _hidden_now(scanned: list[tuple[Any, str, Any, str]], user: Any) -> dict[Any, set[Any]]:
    """Per resource, which scanned records exist but ``user`` may not see today, by the same rule
    as the lists (a citation needs its source and record, a figure its indicator); two queries per
    resource. A deleted record's entries stay as its history says: the tombstone follows them."""
    ids: dict[Any, set[Any]] = {model: set() for _, _, model, _ in scanned}
    for entry, _, model, _ in scanned:
        ids[model].add(entry.id)
    hidden = {}
    for model, pks in ids.items():
        if not hasattr(model.objects, "visible_to") or may_view_unpublished(user, model):
            hidden[model] = set()
            continue
        existing = set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        hidden[model] = existing - set(model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    return hidden


def _action(entry: Any, sees_drafts: bool) -> str | None:
    """What happened, as this client sees it; None when it concerns nothing it may see."""
    kind = entry.history_type
    status = getattr(entry, "status", PUBLISHED)
    was = getattr(entry, "previous_status", None)
    if sees_drafts or not hasattr(entry, "status"):
        if kind == "+":
            return "created"
        if kind == "-":
            return "deleted"
        if hasattr(entry, "status") and status != was and PUBLISHED in (status, was):
            return "published" if status == PUBLISHED else "withdrawn"
        return "changed"
    if kind == "-":
        return "deleted" if status == PUBLISHED else None
    if status == PUBLISHED:
        if kind == "+":
            return "created"
        return "changed" if was == PUBLISHED else "published"
    return "withdrawn" if was == PUBLISHED else None


ENTRY_FIELDS = {
    "time": serializers.DateTimeField(),
    "type": serializers.ChoiceField(choices=[name for name, _, _ in RESOURCES]),
    "id": serializers.CharField(help_text="The record's slug, uuid or code."),
    "action": serializers.ChoiceField(choices=["created", "changed", "published", "withdrawn", "deleted"]),
    "url": serializers.URLField(allow_null=True, help_text="Where to fetch it; null for withdrawn and deleted."),
}


class ChangesView(APIView):
    """What was created, changed, published, withdrawn or deleted since a moment."""

    pagination = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only changes after this ISO 8601 timestamp."),
            OpenApiParameter("after", OpenApiTypes.STR, description="The cursor of the next page (from `next`)."),
            OpenApiParameter("type", OpenApiTypes.STR, enum=[name for name, _, _ in RESOURCES]),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Entries per page (default 50, at most 500)."),
        ],
        responses=inline_serializer(
            "ChangesPage",
            {
                "next": serializers.URLField(allow_null=True),
                "results": inline_serializer("Change", ENTRY_FIELDS, many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        since = _parse_since(request.query_params.get("since"))
        cursor = Cursor.decode(request.query_params["after"]) if request.query_params.get("after") else None
        wanted = request.query_params.get("type")
        if wanted and wanted not in ORDER:
            raise ValidationError({"type": [f"Choose one of: {', '.join(ORDER)}."]})
        limit = Pagination().get_page_size(request)

        scanned: list[tuple[Any, str, Any, str]] = []
        for name, model, key in RESOURCES:
            if wanted in (None, name):
                scanned += [(entry, name, model, key) for entry in _entries(name, model, since, cursor, limit)]
        scanned.sort(key=lambda item: (item[0].history_date, ORDER[item[1]], item[0].history_id))
        scanned = scanned[:limit]

        hidden = _hidden_now(scanned, request.user)
        results = []
        for entry, name, model, key in scanned:
            action = _action(entry, may_view_unpublished(request.user, model))
            if action is None:
                continue
            if action in ("created", "changed", "published") and entry.id in hidden[model]:
                # Visible by its own status but not to this client now: a citation of a draft
                # source, a figure of a draft indicator, or a record withdrawn since.
                continue
            identifier = str(getattr(entry, key))
            gone = action in ("withdrawn", "deleted")
            results.append(
                {
                    "time": entry.history_date,
                    "type": name,
                    "id": identifier,
                    "action": action,
                    "url": None
                    if gone
                    else request.build_absolute_uri(reverse(f"api:{name}-detail", args=[identifier])),
                }
            )
        next_url = None
        if len(scanned) == limit:
            last, name = scanned[-1][0], scanned[-1][1]
            query = request.query_params.copy()
            query["after"] = Cursor(last.history_date, ORDER[name], last.history_id).encode()
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"next": next_url, "results": results})
