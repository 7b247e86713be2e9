"""Root URLs. The public pages are added by their own issue."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("records.api.urls")),
]
