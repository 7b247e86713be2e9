"""What every resource's viewset shares.

- The queryset starts from nothing (``queryset = Model.objects.none()``) and is built per
  request from ``visible_to(user)``: a mistake shows nothing rather than a draft.
- Lists come paginated as JSON, or whole and streamed as CSV (``?format=csv``).
- Details carry an ETag (a hash of what the client sees); ``If-None-Match`` gets a 304.
- Writes need ``If-Match`` with that ETag (428 without, 412 when stale), run in one
  transaction, record who made them (history), and go through the same validation and
  workflow rules as the admin.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from records import services
from records.api.errors import PreconditionFailed, PreconditionRequired
from records.api.renderers import CSV_FORMAT, csv_lines
from records.models.base import unstorable_character

CSV_STREAM_CHUNK = 1000

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default) or csv. A CSV list holds every row matching the filters, not one page.",
)


def etag_for(data: Any) -> str:
    """A strong ETag of a representation: changes whenever anything the client sees changes."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _etags(header: str | None) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}


def _with_tie_breaker(queryset: QuerySet) -> QuerySet:
    """The list's order, ties broken by primary key: without it PostgreSQL may order tied rows
    differently for each page, so paging would repeat one row and skip another."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(str(key).lstrip("-") in ("pk", "id") for key in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


class RecordViewSet(viewsets.ModelViewSet):
    """Base for every resource. Subclasses set ``queryset = Model.objects.none()`` and the serializers."""

    lookup_field = "slug"
    serializer_class: ClassVar[type[serializers.Serializer]]
    detail_serializer_class: ClassVar[type[serializers.Serializer] | None] = None
    write_serializer_class: ClassVar[type[serializers.Serializer] | None] = None
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    # --- reading

    def visible_queryset(self) -> QuerySet:
        model = self.queryset.model
        objects = model.objects
        return objects.visible_to(self.request.user) if hasattr(objects, "visible_to") else objects.all()

    def detail_queryset(self) -> QuerySet:
        """Records with everything a detail embeds (for reads, and for the ETag of a write)."""
        visible = self.visible_queryset()
        return visible.for_api_detail(self.request.user) if hasattr(visible, "for_api_detail") else visible

    def get_queryset(self) -> QuerySet:
        if self.action != "list":
            return self.detail_queryset()
        visible = self.visible_queryset()
        return visible.for_api_list(self.request.user) if hasattr(visible, "for_api_list") else visible

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters narrow lists; a detail URL names its record whatever the query string holds.
        if self.action != "list":
            return queryset
        return _with_tie_breaker(super().filter_queryset(queryset))

    def get_object(self) -> Any:
        # A NUL in the URL (/api/events/%00/) names no record; PostgreSQL would fail on the query.
        if unstorable_character(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)) is not None:
            raise NotFound()
        return super().get_object()

    def detail_data(self, pk: Any) -> dict[str, Any]:
        serializer = self.detail_serializer_class or self.serializer_class
        return serializer(self.detail_queryset().get(pk=pk), context=self.get_serializer_context()).data

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        if self.action != "list" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if request.accepted_renderer.format == CSV_FORMAT:
            return self.stream_csv(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def stream_csv(self, queryset: QuerySet) -> StreamingHttpResponse:
        """Every matching row, streamed in chunks: memory stays flat however long the list."""
        # One serializer for every row: building one per row built its fields 100,000 times.
        serializer = self.serializer_class(context=self.get_serializer_context())
        rows = (serializer.to_representation(record) for record in queryset.iterator(CSV_STREAM_CHUNK))
        columns = [name for name, field in serializer.fields.items() if not field.write_only]
        response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}s.csv"'
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(self.get_object()).data
        etag = etag_for(data)
        if etag in _etags(request.headers.get("If-None-Match")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def _detail_response(self, instance: Any, status_code: int = status.HTTP_200_OK) -> Response:
        data = self.detail_data(instance.pk)
        return Response(data, status=status_code, headers={"ETag": etag_for(data)})

    # --- writing

    def _check_precondition(self, instance: Any) -> None:
        """Refuse a write made from an outdated read: the row is locked until the write ends."""
        sent = _etags(self.request.headers.get("If-Match"))
        if not sent:
            raise PreconditionRequired()
        if "*" in sent:
            return
        self.queryset.model._base_manager.select_for_update().filter(pk=instance.pk).first()
        if etag_for(self.detail_data(instance.pk)) not in sent:
            who, when = services.last_change(instance)
            raise PreconditionFailed(
                str(services.StaleRecordError(str(instance), who, when, deleted=False))
                + " Read it again (GET) and send its new ETag in If-Match."
            )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The whole write, response included, is one transaction: a failure anywhere leaves nothing.
        with transaction.atomic():
            instance = serializer.save(**self._change_fields(serializer))
            return self._detail_response(instance, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.get_object()
            self._check_precondition(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save(**self._change_fields(serializer))
            return self._detail_response(instance)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self.get_object()
            self._check_precondition(instance)
            self._check_may_change(instance)
            try:
                instance.delete()
            except ProtectedError as error:
                names = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
                return Response(
                    {"detail": f"“{instance}” is still referred to by: {names}. Remove those references first."},
                    status=status.HTTP_409_CONFLICT,
                )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _change_fields(self, serializer: serializers.Serializer) -> dict[str, Any]:
        """Fields every write sets: who made it (for curated records)."""
        instance = serializer.instance
        if instance is not None:
            self._check_may_change(instance)
        model = self.queryset.model
        return {"updated_by": self.request.user} if hasattr(model, "updated_by") else {}

    def _check_may_change(self, instance: Any) -> None:
        """As in the admin: a published record is changed only by someone who may withdraw it."""
        if getattr(instance, "status", None) == "published" and not services.can_publish(
            self.request.user, type(instance)
        ):
            raise PermissionDenied("Published records are changed by an editor: ask one to withdraw it first.")


WORKFLOW_DOC = extend_schema(
    request=None,
    description="A review workflow step (as in the admin). 409 with the reasons when refused; "
    "403 for a step the account may not take (only editors publish and withdraw).",
)


class WorkflowMixin:
    """POST …/submit/, …/publish/, …/withdraw/ on a curated record."""

    @WORKFLOW_DOC
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, **kwargs: Any) -> Response:
        return self._transition(services.submit_for_review, needs_publish=False)

    @WORKFLOW_DOC
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, **kwargs: Any) -> Response:
        return self._transition(services.publish, needs_publish=True)

    @WORKFLOW_DOC
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, **kwargs: Any) -> Response:
        return self._transition(services.withdraw, needs_publish=True)

    def _transition(self, step: Any, *, needs_publish: bool) -> Response:
        model = self.queryset.model  # type: ignore[attr-defined]
        user = self.request.user  # type: ignore[attr-defined]
        if needs_publish and not services.can_publish(user, model):
            raise PermissionDenied("Only an editor may publish or withdraw.")
        with transaction.atomic():
            instance = self.get_object()  # type: ignore[attr-defined]
            step(records=[instance], by=user)
            return self._detail_response(instance)  # type: ignore[attr-defined]


# Schema for a list: the format parameter, besides the filters django-filter documents.
LIST_SCHEMA = extend_schema_view(list=extend_schema(parameters=[FORMAT_PARAMETER]))
