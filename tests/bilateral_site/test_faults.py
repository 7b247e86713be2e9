"""Faults: an unreachable database is a 503 that heals by itself; a failed request writes nothing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import IntegrityError, OperationalError, connection
from django.forms.models import BaseModelForm
from django.test import Client

from bilateral_site.middleware import UNAVAILABLE_MESSAGE
from records.models import Event, PublicationStatus
from tests.admin_forms import admin_url, form_data
from tests.factories import EventFactory, PlaceFactory

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
PAGES = ["/", "/events/", "/admin/"]
API = ["/api/events/", "/api/events/?format=csv", "/api/export/"]


@pytest.fixture
def database_down() -> Iterator[None]:
    """Every use of the database fails as it does when its server cannot be reached."""
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError(REFUSED)):
        yield


def _assert_unavailable(response: Any, *, json: bool) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    if json:
        assert response.json() == {"detail": UNAVAILABLE_MESSAGE}
    else:
        assert response["Content-Type"].startswith("text/html")
        assert UNAVAILABLE_MESSAGE in body
        assert "<h1>Temporarily unavailable</h1>" in body
    for leak in ("Traceback", "OperationalError", "Connection refused", "5432"):
        assert leak not in body


# --- The database is down: 503 with a plain message ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_page_answers_503_with_a_plain_page_while_the_database_is_down(
    editor_client: Client, database_down: None, path: str
) -> None:
    _assert_unavailable(editor_client.get(path), json=False)


@pytest.mark.django_db
@pytest.mark.parametrize("path", API)
def test_the_api_answers_503_with_a_json_message_while_the_database_is_down(
    client: Client, database_down: None, path: str
) -> None:
    _assert_unavailable(client.get(path), json=True)


@pytest.mark.django_db
def test_a_write_through_the_api_answers_503_while_the_database_is_down(client: Client, database_down: None) -> None:
    _assert_unavailable(client.post("/api/events/", {"title": "New"}, content_type="application/json"), json=True)


@pytest.mark.django_db
def test_a_page_asked_for_json_gets_the_json_message(client: Client, database_down: None) -> None:
    _assert_unavailable(client.get("/events/", headers={"Accept": "application/json"}), json=True)


@pytest.mark.django_db
def test_the_outage_is_logged_once_at_error_without_a_traceback(
    client: Client, database_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/api/events/")
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert "Connection refused" in errors[0].getMessage()
    assert errors[0].exc_info is None


@pytest.mark.django_db
def test_a_database_error_raised_outside_a_view_is_a_503_too(database_down: None) -> None:
    """A middleware that reaches the database (the session's) fails before any view runs."""
    client = Client(raise_request_exception=False)
    with mock.patch.object(SessionMiddleware, "process_request", side_effect=OperationalError(REFUSED)):
        _assert_unavailable(client.get("/events/"), json=False)
        _assert_unavailable(client.get("/api/events/"), json=True)


@pytest.mark.django_db
def test_any_other_error_outside_a_view_is_still_the_ordinary_500_page() -> None:
    client = Client(raise_request_exception=False)
    with mock.patch.object(SessionMiddleware, "process_request", side_effect=RuntimeError("a bug")):
        response = client.get("/events/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_every_request_answers_again_as_soon_as_the_database_is_back(editor_client: Client, client: Client) -> None:
    """No restart: the 503s stop with the outage."""
    EventFactory(status=PublicationStatus.PUBLISHED, slug="still-there")
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError(REFUSED)):
        assert {editor_client.get(path).status_code for path in PAGES} == {503}
        assert {client.get(path).status_code for path in API} == {503}
        assert client.get("/healthz").status_code == 503
    assert {editor_client.get(path).status_code for path in PAGES} == {200}
    assert {client.get(path).status_code for path in API} == {200}
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/events/still-there/").status_code == 200


# --- On PostgreSQL, for real: the server drops the connection and refuses new ones ----------


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _terminate(settings_dict: dict[str, Any], backend_pid: int) -> None:
    """End a backend from a second connection, as a database restart does, and wait until it is gone."""
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        for _ in range(100):
            row = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid]).fetchone()
            if row and row[0] == 0:
                return
            admin.execute("SELECT pg_sleep(0.05)")
    raise AssertionError(f"backend {backend_pid} did not end")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real PostgreSQL server is dropped")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_dropped_then_refused_connection_is_a_503_and_heals_without_restart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = Client()
    EventFactory(status=PublicationStatus.PUBLISHED, slug="kept")
    paths = ["/events/", "/api/events/", "/api/events/kept/"]
    assert {client.get(path).status_code for path in paths} == {200}

    # The server restarts: the open connection dies, and nothing listens for a new one yet.
    settings_dict = dict(connection.settings_dict)
    monkeypatch.setitem(connection.settings_dict, "PORT", str(_unused_port()))
    _terminate(settings_dict, connection.connection.info.backend_pid)
    _assert_unavailable(client.get("/events/"), json=False)  # on the dropped connection
    _assert_unavailable(client.get("/api/events/"), json=True)  # a new connection, refused
    assert client.get("/healthz").status_code == 503

    monkeypatch.setitem(connection.settings_dict, "PORT", settings_dict["PORT"])
    assert {client.get(path).status_code for path in [*paths, "/healthz"]} == {200}


# --- Nothing half-written ---------------------------------------------------------------------


@pytest.fixture
def event_with_history(editor_client: Client) -> tuple[Event, int, int]:
    """An event changed once in the admin: its first version had a place and a title it has lost."""
    first_place, second_place = PlaceFactory(), PlaceFactory()
    event = EventFactory(status=PublicationStatus.DRAFT, title="First title")
    event.places.add(first_place)
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data.update({"title": "Second title", "places": [str(second_place.pk)]})
    assert editor_client.post(url, data).status_code == 302
    first = event.history.order_by("history_date").first()
    return event, first.history_id, second_place.pk


def _revert_failing_after_the_first_write(editor_client: Client, event: Event, version: int) -> Any:
    """Revert to ``version`` in the admin (django-simple-history: the record's row, then its
    many-to-many links, in no transaction of its own), the links failing to save."""
    url = admin_url(Event, "simple_history", event.pk, version)
    data = form_data(editor_client.get(url))
    editor_client.raise_request_exception = False
    with mock.patch.object(BaseModelForm, "_save_m2m", side_effect=IntegrityError("links could not be saved")):
        return editor_client.post(url, data)


@pytest.mark.django_db
def test_every_request_is_one_transaction_by_default() -> None:
    assert connection.settings_dict["ATOMIC_REQUESTS"] is True


@pytest.mark.django_db
def test_a_request_failing_after_its_first_write_leaves_nothing_written(
    editor_client: Client, event_with_history: tuple[Event, int, int]
) -> None:
    event, first_version, second_place = event_with_history
    versions = event.history.count()
    response = _revert_failing_after_the_first_write(editor_client, event, first_version)
    assert response.status_code == 500
    event.refresh_from_db()
    assert event.title == "Second title"
    assert list(event.places.values_list("pk", flat=True)) == [second_place]
    assert event.history.count() == versions


@pytest.mark.django_db
def test_without_atomic_requests_the_same_failure_leaves_the_record_half_reverted(
    editor_client: Client, event_with_history: tuple[Event, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why ATOMIC_REQUESTS is on: the failure above, without it, keeps the first write."""
    event, first_version, second_place = event_with_history
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", False)
    response = _revert_failing_after_the_first_write(editor_client, event, first_version)
    assert response.status_code == 500
    event.refresh_from_db()
    assert event.title == "First title", "the record's row was written"
    assert list(event.places.values_list("pk", flat=True)) == [second_place], "its links were not"
