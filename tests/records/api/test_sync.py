"""Keeping a copy in sync: /api/changes/ and updated_after."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from records import services
from records.models import Event, PublicationStatus
from tests.factories import CitationFactory, EventFactory, SourceWithTextFactory
from tests.records.api.changes_feed import changes_feed

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
QUOTE = "The Treaty of Eternal Friendship was signed in 1998."


def _changes(client: Any, since: datetime.datetime, **params: Any) -> list[tuple[str, str, str]]:
    return changes_feed(client, since=since.isoformat(), **params)


def _published_event(slug: str) -> Event:
    event = EventFactory(slug=slug, status=PublicationStatus.IN_REVIEW)
    CitationFactory(event=event, source=SourceWithTextFactory(status=PUBLISHED), quote=QUOTE)
    return event


def _step(event: Event, user: Any, change: str) -> None:
    if change == "edit":
        event.refresh_from_db()
        event.title = "Edited"
        event._history_user = user
        event.save()
    elif change == "withdraw":
        services.withdraw(records=[event], by=user)
    elif change == "delete":
        event.refresh_from_db()  # as the admin or the API would: the record as it is now
        event._history_user = user
        event.delete()


def test_changes_show_a_record_changed_withdrawn_and_deleted(client: Any, editor: Any) -> None:
    """Anonymous clients learn of each step that affects what they can see."""
    event = _published_event("tracked")
    services.publish(records=[event], by=editor)
    since = timezone.now()
    for change in ("edit", "withdraw", "delete"):
        _step(event, editor, change)

    public = [entry for entry in _changes(APIClient(), since) if entry[0] == "event"]
    assert public == [("event", "tracked", "changed"), ("event", "tracked", "withdrawn")]

    curator_view = APIClient()
    curator_view.force_login(editor)
    steps = [entry for entry in _changes(curator_view, since) if entry[0] == "event"]
    assert steps == [
        ("event", "tracked", "changed"),
        ("event", "tracked", "withdrawn"),
        ("event", "tracked", "deleted"),
    ]


def test_deleting_a_published_record_leaves_a_tombstone(editor: Any) -> None:
    event = _published_event("gone")
    services.publish(records=[event], by=editor)
    since = timezone.now()
    event.refresh_from_db()
    event.delete()
    response = APIClient().get("/api/changes/", {"since": since.isoformat(), "type": "event"})
    (entry,) = response.json()["results"]
    assert (entry["type"], entry["id"], entry["action"], entry["url"]) == ("event", "gone", "deleted", None)


def test_a_draft_never_appears_in_the_public_changes(editor: Any) -> None:
    since = timezone.now()
    EventFactory(slug="secret-draft", status=PublicationStatus.DRAFT)
    assert not any(entry[1] == "secret-draft" for entry in _changes(APIClient(), since))


def test_publishing_appears_as_published_to_anonymous_clients(editor: Any) -> None:
    event = _published_event("appears")
    since = timezone.now()
    services.publish(records=[event], by=editor)
    assert ("event", "appears", "published") in _changes(APIClient(), since)


def test_withdrawn_and_deleted_records_are_gone_from_every_list(editor: Any) -> None:
    withdrawn, deleted = _published_event("withdrawn-one"), _published_event("deleted-one")
    services.publish(records=[withdrawn, deleted], by=editor)
    services.withdraw(records=[withdrawn], by=editor)
    deleted.refresh_from_db()
    deleted.delete()
    api = APIClient()
    slugs = {row["slug"] for row in api.get("/api/events/", {"page_size": 500}).json()["results"]}
    assert not {"withdrawn-one", "deleted-one"} & slugs
    assert api.get("/api/events/withdrawn-one/").status_code == 404
    csv_text = b"".join(api.get("/api/events/", {"format": "csv"}).streaming_content).decode()
    assert "withdrawn-one" not in csv_text


def test_pages_of_changes_follow_each_other_without_gaps_or_repeats(editor: Any) -> None:
    since = timezone.now()
    events = [_published_event(f"paged-{number}") for number in range(7)]
    services.publish(records=events, by=editor)
    curator_view = APIClient()
    curator_view.force_login(editor)
    whole = _changes(curator_view, since, page_size=500)
    paged = _changes(curator_view, since, page_size=3)
    assert paged == whole
    assert len(whole) == len(set(whole))
    assert {entry[1] for entry in whole if entry[0] == "event"} == {f"paged-{number}" for number in range(7)}


def test_updated_after_lists_only_what_changed_since(editor: Any) -> None:
    old = EventFactory(slug="old", status=PUBLISHED)
    Event.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    EventFactory(slug="new", status=PUBLISHED)
    moment = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = APIClient().get("/api/events/", {"updated_after": moment})
    assert [row["slug"] for row in response.json()["results"]] == ["new"]


def test_changes_since_a_moment_with_an_offset_postgresql_refuses_still_answers() -> None:
    response = APIClient().get("/api/changes/", {"since": "2026-11-23T05:18:00-18:42"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "0001-01-01T00:00:00+05:00"}, "since"),
        ({"after": "garbage"}, "after"),
        ({"after": "0001-01-01T00:00:00+05:00|1|1"}, "after"),
        ({"type": "banana"}, "type"),
    ],
)
def test_bad_sync_parameters_are_400s(params: dict[str, str], field: str) -> None:
    response = APIClient().get("/api/changes/", params)
    assert response.status_code == 400
    assert field in response.json()
