"""Fixtures several API test modules share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def wsgi_keeps_the_test_connection(db: None) -> Iterator[None]:
    """For tests that call the WSGI application itself (schemathesis): it sends request_finished,
    whose handler closes a connection inside a transaction — on PostgreSQL, the test's own.
    Django's test Client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
