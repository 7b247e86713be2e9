"""A database that cannot be reached answers 503 with a plain message, never a 500 with a traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
UNAVAILABLE_MESSAGE = "The database is unavailable; try again shortly."
RETRY_AFTER_SECONDS = 30


def discard_broken_connections() -> None:
    """Close every connection that no longer works, so the next request opens a fresh one.

    A connection inside an atomic block is left to the block's owner: ATOMIC_REQUESTS has
    already ended the view's own block when an error gets here, so such a block is a caller's
    (a test's transaction), and closing its connection would break it.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def database_unavailable_response(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 for ``error``: logged once, the broken connection dropped, nothing of it shown."""
    logger.error("Database unavailable for %s %s: %s: %s", request.method, request.path, type(error).__name__, error)
    discard_broken_connections()
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        # Rendered without the request, so no context processor can reach for the database.
        response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged above with its cause; django.request would log the 503 a second time.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view (pages, API, admin) into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view (a middleware saving the session) is a
    503 too; anything else is the ordinary 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response(request, error)
    return default_server_error(request)
