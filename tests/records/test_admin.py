"""The admin: every page renders with the seed data, and citations are edited inline."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import (
    Actor,
    Agreement,
    AgreementSignatory,
    Citation,
    Event,
    Indicator,
    Observation,
    Office,
    Place,
    Source,
)
from tests.factories import (
    ActorFactory,
    AgreementFactory,
    CitationFactory,
    CountryFactory,
    EventFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    PlaceFactory,
    SourceFactory,
    SourceWithTextFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label == "records"]


def _admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_records_admin_page_renders_with_the_seed_data(seed: None, editor_client: Any, model: Any) -> None:
    """Changelist, add, change and history pages of every model answer 200."""
    if model is AgreementSignatory and not model.objects.exists():
        # The seed documents name no signatories.
        AgreementSignatory.objects.create(
            agreement=Agreement.objects.first(), actor=Actor.objects.first(), capacity="for the test"
        )
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the seed has no {model.__name__}"
    for url in (
        _admin_url(model, "changelist"),
        _admin_url(model, "add"),
        _admin_url(model, "change", obj.pk),
        _admin_url(model, "history", obj.pk),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_changelist_search_finds_an_event_by_a_word_of_its_citation_quote(seed: None, editor_client: Any) -> None:
    response = editor_client.get(_admin_url(Event, "changelist"), {"q": "returned the favor"})
    assert list(response.context["cl"].result_list) == [Event.objects.get(slug="tokayev-visit-uzbekistan-2019-03")]


def test_has_no_citation_filter_lists_only_uncited_events(seed: None, editor_client: Any) -> None:
    Event.objects.create(title="Uncited", slug="uncited", type="summit", date="2020")
    response = editor_client.get(_admin_url(Event, "changelist"), {"cited": "no"})
    assert [event.slug for event in response.context["cl"].result_list] == ["uncited"]


def _event_form(source_pk: int, quote: str) -> dict[str, str]:
    return {
        "title": "Treaty anniversary",
        "slug": "treaty-anniversary",
        "type": "signing",
        "date": "1998",
        "occurrence": "took_place",
        "status": "draft",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": str(source_pk),
        "citations-0-locator": "p. 1",
        "citations-0-quote": quote,
        "citations-0-quote_prefix": "",
        "citations-0-quote_suffix": "",
        "citations-0-note": "",
    }


def test_a_new_event_is_saved_with_its_inline_citation(editor_client: Any, editor: Any) -> None:
    source = SourceWithTextFactory()
    response = editor_client.post(
        _admin_url(Event, "add"), _event_form(source.pk, "The Treaty of Eternal Friendship was signed in 1998.")
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    event = Event.objects.get(slug="treaty-anniversary")
    assert event.citations.get().source == source
    assert (event.date_lower.isoformat(), event.date_upper.isoformat()) == ("1998-01-01", "1998-12-31")
    assert event.updated_by == editor


def test_an_inline_quote_not_in_its_source_is_a_form_error_showing_the_closest_passage(editor_client: Any) -> None:
    source = SourceWithTextFactory()
    response = editor_client.post(
        _admin_url(Event, "add"), _event_form(source.pk, "The Treaty of Eternal Friendship was signed in 1999.")
    )
    assert response.status_code == 200
    assert "does not occur in the stored text" in response.content.decode()
    assert "The Treaty of Eternal Friendship was signed in 1998." in response.content.decode()
    assert not Event.objects.exists()
    assert not Citation.objects.exists()


def test_an_invalid_edtf_date_is_a_form_error_saying_what_was_expected(editor_client: Any) -> None:
    source = SourceWithTextFactory()
    form = _event_form(source.pk, "The Treaty of Eternal Friendship was signed in 1998.")
    form["date"] = "March 2017"
    response = editor_client.post(_admin_url(Event, "add"), form)
    assert response.status_code == 200
    assert "is not a valid EDTF date" in response.content.decode()
    assert "2018-21 (spring 2018)" in response.content.decode()
    assert not Event.objects.exists()


def _fill(model: Any, rows: int) -> None:
    """``rows`` records of ``model``, each with the relations its changelist shows."""
    source = SourceWithTextFactory()
    for _ in range(rows):
        if model is Event:
            CitationFactory(event=EventFactory(), source=source)
        elif model is Agreement:
            CitationFactory(event=None, agreement=AgreementFactory(), source=source)
        elif model is Observation:
            observation = ObservationFactory(reported_by=ActorFactory())
            CitationFactory(event=None, observation=observation, source=source)
        elif model is Citation:
            CitationFactory(source=source)
        elif model is Office:
            CitationFactory(event=None, office=OfficeFactory(country=CountryFactory()), source=source)
        elif model is Place:
            PlaceFactory(parent=PlaceFactory())
        else:
            {Actor: ActorFactory, Source: SourceFactory, Indicator: IndicatorFactory}[model]()


# One bound for both sizes: a changelist's query count must not grow with its rows.
CHANGELIST_QUERY_BOUND = 16


@pytest.mark.parametrize(
    "model",
    [Event, Agreement, Observation, Citation, Office, Place, Actor, Source, Indicator],
    ids=lambda model: model.__name__,
)
def test_changelist_runs_a_bounded_number_of_queries_at_10_and_at_100_rows(
    editor_client: Any, model: Any, django_assert_max_num_queries: Any
) -> None:
    """No query per row: the same bound holds for 10 and for 100 rows, and the count does not grow."""
    url = _admin_url(model, "changelist")
    counts = []
    for rows in (10, 90):
        _fill(model, rows)
        with django_assert_max_num_queries(CHANGELIST_QUERY_BOUND), CaptureQueriesContext(connection) as queries:
            response = editor_client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= rows
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{model.__name__}: {counts[0]} queries for 10 rows, {counts[1]} for 100"
