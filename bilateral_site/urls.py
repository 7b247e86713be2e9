"""Root URLs: the admin, the API, and the public pages at the root."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path

from bilateral_site.health import healthz


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the browsable API).
    return HttpResponseRedirect(static("records/favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("records.api.urls")),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("", include("records.urls")),
]

# A database error raised outside a view (a middleware saving the session) is a 503 as well.
handler500 = "bilateral_site.middleware.server_error"
