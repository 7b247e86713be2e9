"""/healthz: for a load balancer or an orchestrator, whether this server can answer requests."""

from __future__ import annotations

import logging

from django.db import Error, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bilateral_site.middleware import discard_broken_connections

logger = logging.getLogger(__name__)


# A plain Django view, not the API's: no session, no authentication, no throttle counting the
# probes. Outside ATOMIC_REQUESTS, or opening the transaction would fail before the probe could
# answer for itself.
@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when a ``SELECT 1`` succeeds, 503 when the database cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.error("Health check: the database is unreachable: %s: %s", type(error).__name__, error)
        discard_broken_connections()
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        response._has_been_logged = True  # type: ignore[attr-defined]  # with its cause, above
        return response
    return JsonResponse({"status": "ok", "database": "ok"})
