"""The curators' workbench: roles, review workflow, lost-update protection, history and restore."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from records.models import Citation, Event, PublicationStatus
from tests.admin_forms import admin_url, form_data
from tests.factories import CitationFactory, EventFactory, PlaceFactory, SourceWithTextFactory

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED
QUOTE = "The Treaty of Eternal Friendship was signed in 1998."


def _cited_event(status: str = IN_REVIEW, **fields: Any) -> Event:
    event = EventFactory(status=status, **fields)
    CitationFactory(event=event, source=SourceWithTextFactory(status=PUBLISHED), quote=QUOTE)
    return event


def _action(client: Client, action: str, *events: Event) -> Any:
    return client.post(
        admin_url(Event, "changelist"),
        {"action": action, "_selected_action": [event.pk for event in events]},
        follow=True,
    )


def _statuses(*events: Event) -> list[str]:
    return [Event.objects.get(pk=event.pk).status for event in events]


# --- Roles ---------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get(admin_url(Event, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_curator_is_not_offered_the_publish_action(curator_client: Client) -> None:
    response = curator_client.get(admin_url(Event, "changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions
    assert "publish" not in actions
    assert "withdraw" not in actions


def test_curator_cannot_publish_by_posting_the_action(curator_client: Client) -> None:
    event = _cited_event()
    _action(curator_client, "publish", event)
    assert _statuses(event) == [IN_REVIEW]


def test_curator_cannot_publish_through_the_change_form(curator_client: Client) -> None:
    """Neither a forged status field nor the editor's button publishes."""
    event = _cited_event()
    url = admin_url(Event, "change", event.pk)
    data = form_data(curator_client.get(url))
    data.update({"status": PUBLISHED, "_publish": "Save and publish"})
    curator_client.post(url, data, follow=True)
    assert _statuses(event) == [IN_REVIEW]


def test_curator_submits_a_draft_for_review(curator_client: Client) -> None:
    event = _cited_event(status=DRAFT)
    response = _action(curator_client, "submit_for_review", event)
    assert _statuses(event) == [IN_REVIEW]
    assert "1 events submitted for review." in response.content.decode()


def test_curator_sees_a_published_record_read_only(curator_client: Client) -> None:
    event = _cited_event(status=PUBLISHED, title="Published title")
    url = admin_url(Event, "change", event.pk)
    response = curator_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    curator_client.post(url, {"title": "Changed by a curator"})
    assert Event.objects.get(pk=event.pk).title == "Published title"


def test_viewer_reads_but_cannot_change_add_or_delete(viewer_client: Client) -> None:
    event = _cited_event(status=DRAFT, title="Untouched")
    assert viewer_client.get(admin_url(Event, "changelist")).status_code == 200
    change_url = admin_url(Event, "change", event.pk)
    assert viewer_client.get(change_url).context["has_change_permission"] is False
    viewer_client.post(change_url, {"title": "Changed by a viewer"})
    assert viewer_client.get(admin_url(Event, "add")).status_code == 403
    assert viewer_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    _action(viewer_client, "submit_for_review", event)
    assert Event.objects.get(pk=event.pk).title == "Untouched"
    assert _statuses(event) == [DRAFT]


# --- Publishing ----------------------------------------------------------------------------


def test_editor_publishes_a_cited_record_in_review(editor_client: Client, editor: Any) -> None:
    event = _cited_event()
    _action(editor_client, "publish", event)
    event.refresh_from_db()
    assert event.status == PUBLISHED
    assert event.updated_by == editor
    assert event.history.first().history_change_reason == "Published"


def test_publishing_a_record_without_citation_is_refused_with_the_reason(editor_client: Client) -> None:
    event = EventFactory(status=IN_REVIEW, title="Uncited summit")
    response = _action(editor_client, "publish", event)
    assert _statuses(event) == [IN_REVIEW]
    assert "“Uncited summit” cannot be published: it has no citation to a published source." in (
        response.content.decode()
    )


def test_publishing_with_only_a_draft_source_is_refused(editor_client: Client) -> None:
    event = EventFactory(status=IN_REVIEW)
    CitationFactory(event=event, source=SourceWithTextFactory(status=DRAFT), quote=QUOTE)
    _action(editor_client, "publish", event)
    assert _statuses(event) == [IN_REVIEW]


def test_bulk_publish_over_valid_and_invalid_rows_changes_none(editor_client: Client) -> None:
    valid = [_cited_event(), _cited_event()]
    uncited = EventFactory(status=IN_REVIEW, title="No citation")
    draft = _cited_event(status=DRAFT, title="Still a draft")
    response = _action(editor_client, "publish", *valid, uncited, draft)
    assert _statuses(*valid, uncited, draft) == [IN_REVIEW, IN_REVIEW, IN_REVIEW, DRAFT]
    content = response.content.decode()
    assert "Nothing was changed" in content
    assert "“No citation” cannot be published" in content
    assert "“Still a draft” is draft; only a record in review can be published." in content


def test_editor_withdraws_a_published_record_to_draft(editor_client: Client) -> None:
    event = _cited_event(status=PUBLISHED)
    _action(editor_client, "withdraw", event)
    assert _statuses(event) == [DRAFT]


def test_save_and_publish_button_saves_then_publishes(editor_client: Client) -> None:
    event = _cited_event(title="Before")
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data.update({"title": "After", "_publish": "Save and publish"})
    editor_client.post(url, data)
    event.refresh_from_db()
    assert (event.title, event.status) == ("After", PUBLISHED)


def test_save_and_publish_without_citation_saves_but_does_not_publish(editor_client: Client) -> None:
    event = EventFactory(status=IN_REVIEW, title="Before")
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data.update({"title": "After", "_publish": "Save and publish"})
    response = editor_client.post(url, data, follow=True)
    event.refresh_from_db()
    assert (event.title, event.status) == ("After", IN_REVIEW)
    assert "cannot be published" in response.content.decode()


# --- Quotes --------------------------------------------------------------------------------


def test_an_inline_citation_with_a_quote_not_in_its_source_is_refused_showing_the_closest_passage(
    curator_client: Client,
) -> None:
    citation = CitationFactory(event=EventFactory(status=DRAFT), quote=QUOTE)
    url = admin_url(Event, "change", citation.event.pk)
    data = form_data(curator_client.get(url))
    data["citations-0-quote"] = "The Treaty of Eternal Friendship was signed in 1997."
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "does not occur in the stored text" in response.content.decode()
    assert "The closest passage is: “The Treaty of Eternal Friendship was signed in 1998.”" in (
        response.content.decode()
    )
    assert Citation.objects.get(pk=citation.pk).quote == QUOTE


def test_an_inline_citation_with_a_correct_quote_is_saved(curator_client: Client) -> None:
    citation = CitationFactory(event=EventFactory(status=DRAFT), quote=QUOTE)
    url = admin_url(Event, "change", citation.event.pk)
    data = form_data(curator_client.get(url))
    data["citations-0-quote"] = "Trade grew to USD 3 billion in 2018"
    assert curator_client.post(url, data).status_code == 302
    assert Citation.objects.get(pk=citation.pk).quote == "Trade grew to USD 3 billion in 2018"


# --- No lost updates -----------------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused_and_the_first_stands(
    editor_client: Client, curator_client: Client
) -> None:
    """Two curators open the same record; the one who saves second is told, and keeps their input."""
    event = EventFactory(status=DRAFT, title="Original", description="original text")
    url = admin_url(Event, "change", event.pk)
    other = curator_client
    mine = form_data(editor_client.get(url))
    theirs = form_data(other.get(url))

    theirs["description"] = "the curator's text"
    assert other.post(url, theirs).status_code == 302

    mine["description"] = "the editor's text"
    response = editor_client.post(url, mine)
    assert response.status_code == 200
    content = response.content.decode()
    assert "was changed by curator at" in content
    assert "since you opened it" in content
    assert "the editor&#x27;s text" in content or "the editor's text" in content
    assert Event.objects.get(pk=event.pk).description == "the curator's text"


def test_after_the_warning_saving_again_is_a_deliberate_overwrite(
    editor_client: Client, curator_client: Client
) -> None:
    event = EventFactory(status=DRAFT, description="original")
    url = admin_url(Event, "change", event.pk)
    mine = form_data(editor_client.get(url))
    other = curator_client
    theirs = form_data(other.get(url))
    theirs["description"] = "theirs"
    other.post(url, theirs)

    mine["description"] = "mine"
    refused = editor_client.post(url, mine)
    resubmitted = form_data(refused)
    assert editor_client.post(url, resubmitted).status_code == 302
    assert Event.objects.get(pk=event.pk).description == "mine"


def test_concurrent_edits_of_the_same_inline_citation_are_refused(
    editor_client: Client, curator_client: Client
) -> None:
    citation = CitationFactory(event=EventFactory(status=DRAFT), quote=QUOTE, locator="p. 1")
    url = admin_url(Event, "change", citation.event.pk)
    mine = form_data(editor_client.get(url))
    other = curator_client
    theirs = form_data(other.get(url))

    theirs["citations-0-locator"] = "p. 2"
    assert other.post(url, theirs).status_code == 302
    mine["citations-0-locator"] = "p. 3"
    response = editor_client.post(url, mine)
    assert response.status_code == 200
    assert "since you opened it" in response.content.decode()
    assert Citation.objects.get(pk=citation.pk).locator == "p. 2"


# --- History and recovery ------------------------------------------------------------------


def test_history_shows_who_changed_which_field(editor_client: Client) -> None:
    event = EventFactory(status=DRAFT, title="First title")
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data["title"] = "Second title"
    editor_client.post(url, data)
    content = editor_client.get(admin_url(Event, "history", event.pk)).content.decode()
    assert "editor" in content
    assert "First title" in content
    assert "Second title" in content


def test_an_earlier_version_is_restored_from_the_history(editor_client: Client) -> None:
    event = EventFactory(status=DRAFT, title="First title", date="2017-03")
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data.update({"title": "Second title", "date": "2018"})
    editor_client.post(url, data)
    first = event.history.order_by("history_date").first()

    revert_url = admin_url(Event, "simple_history", event.pk, first.history_id)
    revert = form_data(editor_client.get(revert_url))
    assert editor_client.post(revert_url, revert).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.date, event.date_upper.isoformat()) == ("First title", "2017-03", "2017-03-31")


def test_reverting_to_an_earlier_version_restores_its_places_too(editor_client: Client) -> None:
    first_place, second_place = PlaceFactory(), PlaceFactory()
    event = EventFactory(status=DRAFT)
    event.places.add(first_place)
    url = admin_url(Event, "change", event.pk)
    data = form_data(editor_client.get(url))
    data["places"] = [str(second_place.pk)]
    editor_client.post(url, data)
    assert list(event.places.all()) == [second_place]

    with_first = next(
        entry
        for entry in event.history.all()
        if list(entry.places.values_list("place_id", flat=True)) == [first_place.pk]
    )
    revert_url = admin_url(Event, "simple_history", event.pk, with_first.history_id)
    assert editor_client.post(revert_url, form_data(editor_client.get(revert_url))).status_code == 302
    assert list(event.places.all()) == [first_place]


def test_a_deleted_record_is_restored_with_its_citations_and_places(editor_client: Client) -> None:
    place = PlaceFactory()
    event = _cited_event(status=PUBLISHED, title="Deleted by mistake")
    event.places.add(place)
    pk = event.pk
    editor_client.post(admin_url(Event, "delete", pk), {"post": "yes"})
    assert not Event.objects.filter(pk=pk).exists()
    assert "Deleted by mistake" in editor_client.get(admin_url(Event, "deleted")).content.decode()

    response = editor_client.post(admin_url(Event, "restore", pk), follow=True)
    assert "is restored" in response.content.decode()
    restored = Event.objects.get(pk=pk)
    assert restored.status == PUBLISHED
    assert restored.citations.get().quote == QUOTE
    assert list(restored.places.all()) == [place]


def test_a_curator_gets_a_deleted_published_record_back_as_a_draft(
    editor_client: Client, curator_client: Client
) -> None:
    event = _cited_event(status=PUBLISHED)
    editor_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"})
    curator_client.post(admin_url(Event, "restore", event.pk))
    assert Event.objects.get(pk=event.pk).status == DRAFT


def test_a_viewer_cannot_restore(editor_client: Client, viewer_client: Client) -> None:
    event = _cited_event(status=DRAFT)
    editor_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"})
    assert viewer_client.post(admin_url(Event, "restore", event.pk)).status_code == 403
    assert not Event.objects.filter(pk=event.pk).exists()


# --- Home page and date entry --------------------------------------------------------------


def test_admin_home_shows_what_needs_attention(editor_client: Client) -> None:
    _cited_event(status=IN_REVIEW)
    EventFactory(status=PUBLISHED)  # no citation
    response = editor_client.get("/admin/")
    rows = {row["name"]: row for row in response.context["attention"]}
    assert rows["Events"]["in_review"] == 1
    assert rows["Events"]["uncited"] == 1
    assert "Needs attention" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "reading", "error"),
    [
        ("2018-21", "spring 2018", ""),
        ("2019-07-01/2019-07-05", "1–5 July 2019", ""),
        ("spring 2018", "", "not a valid"),
    ],
)
def test_date_reading_endpoint_says_how_a_date_reads_or_what_is_wrong(
    curator_client: Client, value: str, reading: str, error: str
) -> None:
    data = curator_client.get("/admin/edtf-reading/", {"value": value}).json()
    assert data["reading"] == reading
    assert error in data["error"]


def test_change_form_shows_how_the_date_reads(curator_client: Client) -> None:
    event = EventFactory(status=DRAFT, date="2018-21")
    content = curator_client.get(admin_url(Event, "change", event.pk)).content.decode()
    assert 'class="edtf-reading"' in content
    assert "spring 2018" in content


def test_year_filter_lists_an_event_under_every_year_it_spans(editor_client: Client) -> None:
    spanning = EventFactory(date="2017/2019")
    EventFactory(date="2016")
    response = editor_client.get(admin_url(Event, "changelist"), {"year": "2018"})
    assert list(response.context["cl"].result_list) == [spanning]
