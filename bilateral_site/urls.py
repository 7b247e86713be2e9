"""Root URLs. The public pages and the API are added by their own issues."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "Kazakhstan–Uzbekistan relations database"
admin.site.site_title = "KZ–UZ relations"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
]
