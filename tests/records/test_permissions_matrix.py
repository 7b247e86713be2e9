"""Each role against each endpoint: what it may see and do, and nothing more.

Roles: anonymous; an account without staff status that holds an API token ("token"); the Viewer,
Curator and Editor groups; a superuser. Every API resource, the workflow steps, CSV, the export
and the changes feed; the admin's pages for every model; the public pages. The tables give the
status each role gets; a draft must never reach anyone who is not staff, and no response shows
an anonymous client who the staff are.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from records.models import Event, PublicationStatus
from tests.factories import (
    ActorFactory,
    AgreementFactory,
    CitationFactory,
    CountryFactory,
    EventFactory,
    IndicatorFactory,
    ObservationFactory,
    PlaceFactory,
    SourceFactory,
    SourceWithTextFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
ROLES = ["anonymous", "token", "viewer", "curator", "editor", "superuser"]
STAFF = {"viewer", "curator", "editor", "superuser"}
WRITERS = {"curator", "editor", "superuser"}
PUBLISHERS = {"editor", "superuser"}

# Staff whose names and addresses no anonymous client may learn.
SECRET_NAME, SECRET_EMAIL = "jane-doe-curator", "jane.secret@example.org"


@dataclass(frozen=True)
class Records:
    """Per resource, the identifier of a published record and of one only staff may see."""

    published: dict[str, str]
    draft: dict[str, str]


@pytest.fixture
def records(django_user_model: Any) -> Records:
    kz = CountryFactory()
    source = SourceWithTextFactory(slug="published-source")
    event = EventFactory(slug="published-event")
    draft_event = EventFactory(slug="draft-event", status=DRAFT)
    indicator = IndicatorFactory(slug="published-indicator")
    published_citation = CitationFactory(event=event, source=source)
    # Cited, so an editor may publish it.
    draft_citation = CitationFactory(event=draft_event, source=source)
    # The last change to the published event was made by a named curator.
    author = django_user_model.objects.create_user(SECRET_NAME, SECRET_EMAIL, "a-long-test-password", is_staff=True)
    event.updated_by = author
    event._history_user = author
    event.save()
    return Records(
        published={
            "events": event.slug,
            "agreements": AgreementFactory(slug="published-agreement").slug,
            "indicators": indicator.slug,
            "observations": str(ObservationFactory(indicator=indicator).uuid),
            "sources": source.slug,
            "citations": str(published_citation.uuid),
            "actors": ActorFactory(slug="published-actor").slug,
            "places": PlaceFactory(slug="published-place", country=kz).slug,
            "countries": kz.code,
        },
        draft={
            "events": draft_event.slug,
            "agreements": AgreementFactory(slug="draft-agreement", status=DRAFT).slug,
            "indicators": IndicatorFactory(slug="draft-indicator", status=DRAFT).slug,
            "observations": str(ObservationFactory(indicator=indicator, period="2019", status=DRAFT).uuid),
            "sources": SourceFactory(slug="draft-source", status=DRAFT).slug,
            "citations": str(draft_citation.uuid),
            "actors": ActorFactory(slug="draft-actor", status=DRAFT).slug,
            "places": PlaceFactory(slug="draft-place", country=kz, status=DRAFT).slug,
        },
    )


@pytest.fixture
def as_role(request: pytest.FixtureRequest, django_user_model: Any) -> Any:
    """A function giving an API client signed in as a role (sessions; a token for "token")."""

    def client_for(role: str) -> APIClient:
        client = APIClient()
        if role == "anonymous":
            return client
        if role == "token":
            user = django_user_model.objects.create_user("reader", "reader@example.org", "a-long-test-password")
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
            return client
        if role == "superuser":
            user = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-test-password")
        else:
            user = request.getfixturevalue(role)
        client.force_login(user)
        return client

    return client_for


RESOURCES = ["events", "agreements", "indicators", "observations", "sources", "citations", "actors", "places"]
WORKFLOW_RESOURCES = ["events", "agreements", "indicators", "observations", "sources", "actors", "places"]


def _expect(allowed: set[str], yes: int, no: int) -> list[tuple[str, int]]:
    return [(role, yes if role in allowed else no) for role in ROLES]


def _statuses(responses: dict[str, Any]) -> dict[str, int]:
    return {name: response.status_code for name, response in responses.items()}


# --- Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_a_published_record(records: Records, as_role: Any, role: str) -> None:
    client = as_role(role)
    for name, published in records.published.items():
        assert client.get(f"/api/{name}/{published}/").status_code == 200, name
        listed = client.get(f"/api/{name}/", {"page_size": 500})
        assert listed.status_code == 200, name
        assert published in listed.content.decode(), name


@pytest.mark.parametrize(("role", "status"), _expect(STAFF, 200, 404))
def test_only_staff_read_a_draft(records: Records, as_role: Any, role: str, status: int) -> None:
    """Anonymous clients and accounts without staff status get 404, as if it did not exist, and
    lists and CSV without it."""
    client = as_role(role)
    for name, draft in records.draft.items():
        assert client.get(f"/api/{name}/{draft}/").status_code == status, name
        for response in (client.get(f"/api/{name}/", {"page_size": 500}), client.get(f"/api/{name}/?format=csv")):
            assert response.status_code == 200, name
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert (draft in body.decode()) == (role in STAFF), name


@pytest.mark.parametrize("role", ROLES)
def test_the_export_and_the_changes_feed_show_drafts_to_staff_only(records: Records, as_role: Any, role: str) -> None:
    client = as_role(role)
    export = client.get("/api/export/")
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(export.content)) as package:
        everything = "".join(package.read(name).decode() for name in package.namelist())
    changes = client.get("/api/changes/", {"page_size": 500})
    assert changes.status_code == 200
    for name, draft in records.draft.items():
        assert (draft in everything) == (role in STAFF), name
        assert (draft in changes.content.decode()) == (role in STAFF), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/", "/api/schema/", "/api/docs/"])
def test_the_api_root_schema_and_docs_are_open_to_everyone(as_role: Any, role: str, path: str) -> None:
    assert as_role(role).get(path).status_code == 200


# --- Writing ----------------------------------------------------------------------------------


# Permission is checked before the body: an empty body gets 400 from whoever may write, 403 from
# anyone else, so one request shows the permission for every resource.
@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 400, 403))
def test_only_curators_editors_and_superusers_may_create(
    records: Records, as_role: Any, role: str, status: int
) -> None:
    client = as_role(role)
    responses = {name: client.post(f"/api/{name}/", {}, format="json") for name in RESOURCES}
    assert _statuses(responses) == dict.fromkeys(RESOURCES, status)


@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 405, 403))
def test_countries_are_read_only_for_everyone(records: Records, as_role: Any, role: str, status: int) -> None:
    client = as_role(role)
    assert client.post("/api/countries/", {"code": "UZ"}, format="json").status_code == status
    assert client.delete("/api/countries/KZ/", HTTP_IF_MATCH="*").status_code == status


@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 201, 403))
def test_a_valid_new_event_is_created_as_a_draft_by_writers_only(as_role: Any, role: str, status: int) -> None:
    body = {"slug": "new-summit", "title": "A new summit", "type": "summit", "date": "2019"}
    response = as_role(role).post("/api/events/", body, format="json")
    assert response.status_code == status
    if status == 201:
        assert response.json()["status"] == DRAFT


def _patch(client: APIClient, name: str, identifier: str) -> Any:
    return client.patch(f"/api/{name}/{identifier}/", {}, format="json", HTTP_IF_MATCH="*")


@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 200, 403))
def test_only_writers_change_a_draft(records: Records, as_role: Any, role: str, status: int) -> None:
    client = as_role(role)
    responses = {name: _patch(client, name, records.draft[name]) for name in RESOURCES}
    assert _statuses(responses) == dict.fromkeys(RESOURCES, status)


@pytest.mark.parametrize(("role", "status"), _expect(PUBLISHERS, 200, 403))
def test_only_editors_change_a_published_record(records: Records, as_role: Any, role: str, status: int) -> None:
    """A curator must ask an editor to withdraw it first (a citation follows its record)."""
    client = as_role(role)
    responses = {name: _patch(client, name, records.published[name]) for name in RESOURCES}
    assert _statuses(responses) == dict.fromkeys(RESOURCES, status)


# The draft event goes last: its citation would go with it.
DELETE_DRAFT = ["agreements", "indicators", "observations", "sources", "actors", "places", "citations", "events"]


@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 204, 403))
def test_only_writers_delete_a_draft(records: Records, as_role: Any, role: str, status: int) -> None:
    client = as_role(role)
    responses = {name: client.delete(f"/api/{name}/{records.draft[name]}/", HTTP_IF_MATCH="*") for name in DELETE_DRAFT}
    assert _statuses(responses) == dict.fromkeys(DELETE_DRAFT, status)


@pytest.mark.parametrize(("role", "status"), _expect(PUBLISHERS, 204, 403))
def test_only_editors_delete_a_published_record(records: Records, as_role: Any, role: str, status: int) -> None:
    response = as_role(role).delete(f"/api/agreements/{records.published['agreements']}/", HTTP_IF_MATCH="*")
    assert response.status_code == status


# --- The review workflow ------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), _expect(WRITERS, 200, 403))
def test_writers_submit_a_draft_for_review(records: Records, as_role: Any, role: str, status: int) -> None:
    client = as_role(role)
    responses = {name: client.post(f"/api/{name}/{records.draft[name]}/submit/") for name in WORKFLOW_RESOURCES}
    assert _statuses(responses) == dict.fromkeys(WORKFLOW_RESOURCES, status)


@pytest.mark.parametrize(("role", "status"), _expect(PUBLISHERS, 200, 403))
def test_only_editors_publish(records: Records, as_role: Any, role: str, status: int) -> None:
    Event.objects.filter(slug=records.draft["events"]).update(status=PublicationStatus.IN_REVIEW)
    response = as_role(role).post(f"/api/events/{records.draft['events']}/publish/")
    assert response.status_code == status
    anonymous = APIClient().get(f"/api/events/{records.draft['events']}/").status_code
    assert anonymous == (200 if status == 200 else 404)


@pytest.mark.parametrize(("role", "status"), _expect(PUBLISHERS, 200, 403))
def test_only_editors_withdraw(records: Records, as_role: Any, role: str, status: int) -> None:
    client = as_role(role)
    responses = {name: client.post(f"/api/{name}/{records.published[name]}/withdraw/") for name in WORKFLOW_RESOURCES}
    assert _statuses(responses) == dict.fromkeys(WORKFLOW_RESOURCES, status)


# --- Nobody learns who the staff are ----------------------------------------------------------


def test_no_anonymous_response_names_a_staff_member(records: Records) -> None:
    """``updated_by`` and the history's user are kept for the admin; the API, its CSV, the export,
    the changes feed and the public pages never show them (nor any password hash)."""
    client = APIClient()
    paths = ["/api/", "/api/changes/?page_size=500", "/api/schema/", "/api/export/"]
    for name in [*RESOURCES, "countries"]:
        paths += [f"/api/{name}/", f"/api/{name}/?format=csv", f"/api/{name}/{records.published[name]}/"]
    paths += ["/", "/events/", "/events/published-event/", "/sources/published-source/", "/search/?q=Treaty"]
    paths += ["/api/sources/?format=bibtex", "/api/sources/?format=ris", "/api/sources/?format=csl-json"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if path == "/api/export/":
            with zipfile.ZipFile(io.BytesIO(body)) as package:
                body = b"".join(package.read(name) for name in package.namelist())
        text = body.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, "md5$", "pbkdf2_"):
            assert secret not in text, f"{path} shows {secret}"


# --- The admin ----------------------------------------------------------------------------------


def _admin_models() -> list[Any]:
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label == "records"),
        key=lambda model: model._meta.model_name,
    )


def _admin_client(role: str, request: pytest.FixtureRequest, django_user_model: Any) -> Client:
    client = Client()
    if role == "token":
        client.force_login(django_user_model.objects.create_user("reader", "reader@example.org", "x-long-password"))
    elif role == "superuser":
        client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x-long-password"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


ADMIN_EXPECTED = {
    # role: (list, change form, add form) of a records model
    "anonymous": (302, 302, 302),
    "token": (302, 302, 302),  # no staff status: sent to the login page
    "viewer": (200, 200, 403),
    "curator": (200, 200, 200),
    "editor": (200, 200, 200),
    "superuser": (200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_admin_pages_for_every_model(
    records: Records, role: str, request: pytest.FixtureRequest, django_user_model: Any
) -> None:
    client = _admin_client(role, request, django_user_model)
    expected_list, expected_change, expected_add = ADMIN_EXPECTED[role]
    for model in _admin_models():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert client.get(base).status_code == expected_list, base
        assert client.get(f"{base}add/").status_code == expected_add, f"{base}add/"
        instance = model._base_manager.first()
        if instance is not None:
            assert client.get(f"{base}{instance.pk}/change/").status_code == expected_change, base


ACCOUNTS_EXPECTED = {"anonymous": 302, "token": 302, "viewer": 403, "curator": 403, "editor": 403, "superuser": 200}


@pytest.mark.parametrize(("role", "status"), ACCOUNTS_EXPECTED.items())
@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/", "/admin/axes/accessattempt/"])
def test_only_a_superuser_sees_accounts_and_login_attempts_in_the_admin(
    role: str, status: int, path: str, request: pytest.FixtureRequest, django_user_model: Any
) -> None:
    """Usernames, e-mail addresses and the addresses staff log in from are not the curators' business."""
    assert _admin_client(role, request, django_user_model).get(path).status_code == status


# --- The public pages -----------------------------------------------------------------------------

PUBLIC_PAGES = [
    ("/", 200),
    ("/events/", 200),
    ("/events/published-event/", 200),
    ("/events/draft-event/", 404),
    ("/agreements/", 200),
    ("/indicators/published-indicator/", 200),
    ("/indicators/draft-indicator/", 404),
    ("/sources/published-source/", 200),
    ("/sources/draft-source/", 404),
    ("/actors/published-actor/", 200),
    ("/actors/draft-actor/", 404),
    ("/places/published-place/", 200),
    ("/places/draft-place/", 404),
    ("/search/?q=Event", 200),
]


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_show_every_role_the_same_published_records(
    records: Records, role: str, request: pytest.FixtureRequest, django_user_model: Any
) -> None:
    """A signed-in curator sees what the public sees: drafts only in the admin."""
    client = _admin_client(role, request, django_user_model)
    for path, status in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == status, path
        assert "draft-event" not in response.content.decode(), path


def test_the_groups_hold_the_rights_the_matrix_assumes(records: Records) -> None:
    """Viewers cannot add; curators add but cannot publish; editors publish."""
    rights = {group.name: set(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}
    assert "add_event" not in rights["Viewer"]
    assert {"add_event", "change_event", "delete_event"} <= rights["Curator"]
    assert "publish_event" not in rights["Curator"]
    assert "publish_event" in rights["Editor"]
