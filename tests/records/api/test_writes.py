"""Writing through the API: who may, the workflow's rules, no lost updates, clear 400s."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from records.models import Citation, Event, PublicationStatus
from tests.factories import CitationFactory, EventFactory, PlaceFactory, SourceWithTextFactory

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED
QUOTE = "The Treaty of Eternal Friendship was signed in 1998."
NEW_EVENT = {"slug": "new-summit", "title": "A new summit", "type": "summit", "date": "2018-21"}


def _token_client(user: Any) -> APIClient:
    """An API client authenticated with a token, as scripts and notebooks are."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def curator_api(curator: Any) -> APIClient:
    return _token_client(curator)


@pytest.fixture
def editor_api(editor: Any) -> APIClient:
    return _token_client(editor)


def _etag(client: APIClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


# --- Who may write ---------------------------------------------------------------------------


def test_anonymous_client_cannot_create_change_or_delete(client: Any) -> None:
    """POST, PATCH and DELETE without credentials are refused and change nothing."""
    event = EventFactory(status=PUBLISHED, title="Untouched")
    api = APIClient()
    assert api.post("/api/events/", NEW_EVENT, format="json").status_code in (401, 403)
    url = f"/api/events/{event.slug}/"
    assert api.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH="*").status_code in (401, 403)
    assert api.delete(url, HTTP_IF_MATCH="*").status_code in (401, 403)
    assert Event.objects.get(pk=event.pk).title == "Untouched"
    assert not Event.objects.filter(slug="new-summit").exists()


def test_viewer_cannot_write(viewer: Any) -> None:
    response = _token_client(viewer).post("/api/events/", NEW_EVENT, format="json")
    assert response.status_code == 403
    assert not Event.objects.filter(slug="new-summit").exists()


def test_curator_creates_an_event_as_a_draft_recorded_in_history(curator_api: APIClient, curator: Any) -> None:
    place = PlaceFactory(slug="astana-test")
    response = curator_api.post("/api/events/", {**NEW_EVENT, "places": [place.slug]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["date"], body["date_display"]) == (DRAFT, "2018-21", "spring 2018")
    assert (body["date_lower"], body["date_upper"]) == ("2018-03-01", "2018-05-31")
    assert [place["slug"] for place in body["places"]] == ["astana-test"]
    assert response["ETag"]
    event = Event.objects.get(slug="new-summit")
    assert event.updated_by == curator
    assert event.history.first().history_user == curator


def test_curator_edits_a_draft_with_its_etag(curator_api: APIClient) -> None:
    event = EventFactory(status=DRAFT, title="Before")
    url = f"/api/events/{event.slug}/"
    response = curator_api.patch(url, {"title": "After"}, format="json", HTTP_IF_MATCH=_etag(curator_api, url))
    assert response.status_code == 200, response.json()
    assert Event.objects.get(pk=event.pk).title == "After"


def test_curator_cannot_change_a_published_record(curator_api: APIClient) -> None:
    event = EventFactory(status=PUBLISHED, title="Public")
    url = f"/api/events/{event.slug}/"
    response = curator_api.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=_etag(curator_api, url))
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).title == "Public"


# --- Workflow --------------------------------------------------------------------------------


def test_curator_submits_but_cannot_publish(curator_api: APIClient) -> None:
    event = EventFactory(status=DRAFT)
    CitationFactory(event=event, source=SourceWithTextFactory(status=PUBLISHED), quote=QUOTE)
    assert curator_api.post(f"/api/events/{event.slug}/submit/").json()["status"] == IN_REVIEW
    response = curator_api.post(f"/api/events/{event.slug}/publish/")
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).status == IN_REVIEW


def test_editor_publishes_a_cited_record_in_review(editor_api: APIClient) -> None:
    event = EventFactory(status=IN_REVIEW)
    CitationFactory(event=event, source=SourceWithTextFactory(status=PUBLISHED), quote=QUOTE)
    response = editor_api.post(f"/api/events/{event.slug}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == PUBLISHED


def test_publishing_without_a_citation_is_refused_with_the_reason(editor_api: APIClient) -> None:
    event = EventFactory(status=IN_REVIEW, title="Uncited")
    response = editor_api.post(f"/api/events/{event.slug}/publish/")
    assert response.status_code == 409
    assert response.json()["problems"] == [
        "“Uncited” cannot be published: it has no citation to a published source. "
        "Add a citation (and publish its source) first."
    ]
    assert Event.objects.get(pk=event.pk).status == IN_REVIEW


def test_status_cannot_be_written_directly(curator_api: APIClient) -> None:
    """The status field is read-only: only the workflow steps change it."""
    response = curator_api.post("/api/events/", {**NEW_EVENT, "status": PUBLISHED}, format="json")
    assert response.status_code == 201
    assert Event.objects.get(slug="new-summit").status == DRAFT


# --- No lost updates -------------------------------------------------------------------------


def test_a_stale_if_match_gets_412_and_changes_nothing(curator_api: APIClient, editor_api: APIClient) -> None:
    event = EventFactory(status=DRAFT, title="Original")
    url = f"/api/events/{event.slug}/"
    stale = _etag(curator_api, url)
    assert (
        editor_api.patch(url, {"title": "Editor's"}, format="json", HTTP_IF_MATCH=_etag(editor_api, url)).status_code
        == 200
    )

    response = curator_api.patch(url, {"title": "Curator's"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert "was changed by editor at" in response.json()["detail"]
    assert Event.objects.get(pk=event.pk).title == "Editor's"
    deletion = curator_api.delete(url, HTTP_IF_MATCH=stale)
    assert deletion.status_code == 412
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_write_without_if_match_gets_428(curator_api: APIClient) -> None:
    event = EventFactory(status=DRAFT, title="Original")
    response = curator_api.put(f"/api/events/{event.slug}/", {**NEW_EVENT, "slug": event.slug}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert Event.objects.get(pk=event.pk).title == "Original"


def test_a_change_to_an_embedded_citation_changes_the_etag(curator_api: APIClient) -> None:
    """The ETag covers what the client sees, so a new citation makes an older ETag stale."""
    event = EventFactory(status=DRAFT)
    url = f"/api/events/{event.slug}/"
    before = _etag(curator_api, url)
    CitationFactory(event=event, quote=QUOTE)
    assert _etag(curator_api, url) != before
    assert curator_api.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=before).status_code == 412


def test_conditional_get_returns_304_while_unchanged(client: Any) -> None:
    event = EventFactory(status=PUBLISHED)
    url = f"/api/events/{event.slug}/"
    etag = client.get(url)["ETag"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    event.title = "Changed"
    event.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_delete_with_the_current_etag_deletes_and_is_in_the_history(curator_api: APIClient, curator: Any) -> None:
    event = EventFactory(status=DRAFT)
    url = f"/api/events/{event.slug}/"
    assert curator_api.delete(url, HTTP_IF_MATCH=_etag(curator_api, url)).status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()
    deletion = Event.history.filter(id=event.pk).latest("history_date")
    assert (deletion.history_type, deletion.history_user) == ("-", curator)


# --- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date": "spring 2018"}, "date", "is not a valid EDTF date"),
        ({"date": "2019/2018"}, "date", "ends (2018-12-31) before it starts"),
        ({"type": "banquet"}, "type", "is not a valid choice"),
        ({"title": ""}, "title", "may not be blank"),
        ({"places": ["atlantis"]}, "places", "does not exist"),
        ({"slug": "not a slug!"}, "slug", "letters, numbers, underscores or hyphens"),
    ],
    ids=["unparsable date", "end before start", "unknown type", "missing title", "unknown place", "bad slug"],
)
def test_bad_input_is_a_400_naming_the_field(curator_api: APIClient, changes: dict, field: str, words: str) -> None:
    response = curator_api.post("/api/events/", {**NEW_EVENT, **changes}, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not Event.objects.filter(slug=NEW_EVENT["slug"]).exists()


def test_a_duplicate_slug_is_a_400(curator_api: APIClient) -> None:
    EventFactory(slug="new-summit")
    response = curator_api.post("/api/events/", NEW_EVENT, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()


def test_a_citation_with_a_quote_not_in_its_source_is_refused_with_the_closest_passage(curator_api: APIClient) -> None:
    event = EventFactory(status=DRAFT)
    source = SourceWithTextFactory()
    citation = {"source": source.slug, "record_type": "event", "record": event.slug, "locator": "p. 1"}
    refused = curator_api.post("/api/citations/", {**citation, "quote": "signed in 1999."}, format="json")
    assert refused.status_code == 400
    assert "closest passage" in refused.json()["quote"][0]
    accepted = curator_api.post("/api/citations/", {**citation, "quote": "signed in 1998."}, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["record"]["slug"] == event.slug
    assert Citation.objects.get(event=event).quote == "signed in 1998."


def test_a_citation_of_an_unknown_record_is_a_400(curator_api: APIClient) -> None:
    source = SourceWithTextFactory()
    payload = {
        "source": source.slug,
        "record_type": "observation",
        "record": "not-a-uuid",
        "locator": "p. 1",
        "quote": QUOTE,
    }
    response = curator_api.post("/api/citations/", payload, format="json")
    assert response.status_code == 400
    assert "No observation is identified by" in response.json()["record"][0]


def test_a_write_that_fails_half_way_leaves_nothing(curator_api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The create runs in one transaction: a failure after the row is written rolls it back."""
    from records.api.views import base

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("storage went away after the first write")

    monkeypatch.setattr(base.RecordViewSet, "_detail_response", fail)
    client = curator_api
    client.raise_request_exception = False
    response = client.post("/api/events/", NEW_EVENT, format="json")
    assert response.status_code == 500
    assert Event.objects.filter(slug="new-summit").exists() is False
