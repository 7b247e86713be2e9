"""/healthz: what a load balancer asks before it sends a server any traffic."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from tests.bilateral_site.test_settings import _settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every use of the database fails as it does when its server cannot be reached."""
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        yield


def test_healthz_answers_ok_with_one_query_when_the_database_answers(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert [query["sql"] for query in queries] == ["SELECT 1"]


def test_healthz_answers_503_when_the_database_is_unreachable(client: Client, database_down: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert "Connection refused" not in response.content.decode()


def test_healthz_logs_an_unreachable_database_once_at_error(
    client: Client, database_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/healthz")
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1
    assert "Connection refused" in errors[0].getMessage()


def test_healthz_is_never_cached_and_sets_no_cookie(client: Client) -> None:
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", ""), "the session was read"


def test_healthz_answers_head_and_refuses_post(client: Client) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def one_anonymous_request_a_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF copied the rates onto the throttle class when it was imported (see test_throttling.py).
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "anon": "1/minute"})
    cache.clear()
    yield
    cache.clear()


def test_healthz_is_not_throttled_while_the_api_is(client: Client, one_anonymous_request_a_minute: None) -> None:
    assert [client.get("/api/countries/").status_code for _ in range(2)] == [200, 429]
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}


def test_healthz_answers_over_plain_http_where_every_other_page_redirects(client: Client, settings: Any) -> None:
    """A load balancer probes behind the TLS proxy, over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
    assert client.get("/healthz", secure=True).status_code == 200


@pytest.mark.slow
def test_production_settings_exempt_healthz_from_the_https_redirect() -> None:
    values = _settings({"SECRET_KEY": secrets.token_urlsafe(50)}, "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT")
    assert values == {"SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": ["^healthz$"]}


@pytest.mark.slow
def test_redis_url_makes_redis_the_shared_cache_and_keeps_import_previews_in_it() -> None:
    """Several app servers share throttle counts and an import's preview through Redis."""
    key = secrets.token_urlsafe(50)
    shared = _settings(
        {"SECRET_KEY": key, "REDIS_URL": "redis://cache:6379/0"}, "CACHES", "IMPORT_EXPORT_TMP_STORAGE_CLASS"
    )
    assert shared["CACHES"] == {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://cache:6379/0"}
    }
    assert shared["IMPORT_EXPORT_TMP_STORAGE_CLASS"] == "import_export.tmp_storages.CacheStorage"
    alone = _settings({"SECRET_KEY": key}, "CACHES")
    assert alone["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"  # type: ignore[index]
