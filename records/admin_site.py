"""The admin site: a home page that shows what needs attention, and the EDTF reading endpoint."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone

from records.dates import describe_edtf, edtf_bounds


class RecordsAdminSite(admin.AdminSite):
    site_header = "Kazakhstan–Uzbekistan relations database"
    site_title = "KZ–UZ relations"
    index_title = "Curation"
    index_template = "admin/records/index.html"

    def get_urls(self) -> list[Any]:
        return [path("edtf-reading/", self.admin_view(self.edtf_reading), name="edtf_reading"), *super().get_urls()]

    def edtf_reading(self, request: HttpRequest) -> HttpResponse:
        """How an EDTF date reads, or why it is refused, for the date inputs' live preview."""
        value = request.GET.get("value", "").strip()
        if not value:
            return JsonResponse({"reading": "", "error": ""})
        try:
            edtf_bounds(value)
        except ValidationError as error:
            return JsonResponse({"reading": "", "error": " ".join(error.messages)})
        return JsonResponse({"reading": describe_edtf(value), "error": ""})

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().index(request, {**(extra_context or {}), "attention": self.attention(request)})

    def attention(self, request: HttpRequest) -> list[dict[str, Any]]:
        """Per kind of record the user may see: how many are in review, stale drafts, uncited."""
        from records.admin_support import STALE_DRAFT_AGE, CitedAdmin, CuratedAdmin
        from records.models import PublicationStatus

        stale_before = timezone.now() - STALE_DRAFT_AGE
        rows = []
        for model, model_admin in self._registry.items():
            if not isinstance(model_admin, CuratedAdmin) or not model_admin.has_view_permission(request):
                continue
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            records = model._base_manager.all()
            rows.append(
                {
                    "name": opts.verbose_name_plural.capitalize(),
                    "url": url,
                    "in_review": records.filter(status=PublicationStatus.IN_REVIEW).count(),
                    "stale": records.filter(status=PublicationStatus.DRAFT, created_at__lt=stale_before).count(),
                    "uncited": records.filter(citations__isnull=True).count()
                    if isinstance(model_admin, CitedAdmin)
                    else None,
                }
            )
        return sorted(rows, key=lambda row: row["name"])
