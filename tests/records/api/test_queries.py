"""Query counts: a list costs the same at 10 rows as at 500, a detail the same with 2 embedded rows
as with 20, and a CSV stream the same for 30 events as for 300.

Every row built here carries every relation its representation shows, and each test checks the
relation is really in the response: a prefetch or select_related taken away then costs one query
per row, the counts of the two sizes part, and the test fails.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.models import AgreementRelation, AgreementSignatory, Country
from records.models.agreement import PartyStep
from tests.factories import (
    ActorFactory,
    AgreementFactory,
    CitationFactory,
    CountryFactory,
    EventFactory,
    EventParticipantFactory,
    IndicatorFactory,
    ObservationFactory,
    OfficeFactory,
    PlaceFactory,
    SourceFactory,
    SourceWithTextFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

QUOTE = "The Treaty of Eternal Friendship was signed in 1998."
ROWS = 30  # of every kind: more than the small page, fewer than the large one
SMALL_PAGE, LARGE_PAGE = 10, 500
# Generous ceilings, far below one query per row: the counts must also stay small, not only equal.
MAX_LIST_QUERIES = 10  # session and user (signed in) + count + rows + a few prefetches
MAX_DETAIL_QUERIES = 16


def _country(number: int) -> Country:
    code = f"{chr(65 + number // 26)}{chr(65 + number % 26)}"  # AA, AB, … never a real seed code here
    return CountryFactory(code=code, code_alpha3=f"{code}Q", name=f"Country {code}")


@pytest.fixture
def records(db: None) -> None:
    """ROWS records of every resource, each with every relation its list row shows."""
    topic = TopicFactory()
    region = PlaceFactory(slug="region")
    for number in range(ROWS):
        country = _country(number)
        place = PlaceFactory(country=country, parent=region)
        actor = ActorFactory(country=country)
        OfficeFactory(actor=actor, title=f"Office {number}")
        source = SourceWithTextFactory(url=f"https://example.org/{number}")
        agreement = AgreementFactory(place_signed=place)
        agreement.parties.add(country, CountryFactory())
        agreement.topics.add(topic)
        event = EventFactory()
        event.places.add(place)
        event.topics.add(topic)
        event.agreements.add(agreement)
        EventParticipantFactory(event=event, actor=actor)
        CitationFactory(event=event, source=source, quote=QUOTE)
        CitationFactory(event=event, source=source, quote=QUOTE, locator="p. 2")
        CitationFactory(event=None, agreement=agreement, source=source, quote=QUOTE)
        indicator = IndicatorFactory(topic=topic)
        observation = ObservationFactory(indicator=indicator, reported_by=actor, agreement=agreement, event=event)
        CitationFactory(event=None, observation=observation, source=source, quote=QUOTE)


def _queries(request: Callable[[], Any]) -> tuple[int, Any, bytes, str]:
    """How many queries a request costs, its response, its body (a stream read to the end inside
    the count) and the queries themselves, for a failure message."""
    with CaptureQueriesContext(connection) as context:
        response = request()
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(context.captured_queries), response, body, "\n".join(q["sql"] for q in context.captured_queries)


# Each list, with what must be filled in on every row the fixture built: the relations its row embeds.
LIST_RELATIONS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("events", lambda row: row["places"] and row["topics"]),
    ("agreements", lambda row: row["place_signed"] and row["parties"] and row["topics"]),
    ("indicators", lambda row: row["topic"]),
    (
        "observations",
        lambda row: row["indicator"] and row["reported_by"] and row["agreement"] and row["event"] and row["citations"],
    ),
    ("sources", lambda row: row["source_url"]),
    ("citations", lambda row: row["source"]["title"] and row["record"]["title"]),
    ("actors", lambda row: row["country"]),
    ("places", lambda row: row["country"] and row["parent"]),
    ("countries", lambda row: row["code"]),
]


@pytest.mark.parametrize("who", ["anonymous", "editor"])
@pytest.mark.parametrize(("name", "filled"), LIST_RELATIONS, ids=[name for name, _ in LIST_RELATIONS])
def test_a_list_costs_the_same_queries_at_10_rows_as_at_500(
    records: None, editor_client: Client, who: str, name: str, filled: Callable[[dict[str, Any]], Any]
) -> None:
    client = editor_client if who == "editor" else Client()
    small, small_response, _, _ = _queries(lambda: client.get(f"/api/{name}/", {"page_size": SMALL_PAGE}))
    large, large_response, _, sql = _queries(lambda: client.get(f"/api/{name}/", {"page_size": LARGE_PAGE}))
    small_rows, large_rows = small_response.json()["results"], large_response.json()["results"]
    assert (len(small_rows), len(large_rows)) == (SMALL_PAGE, large_response.json()["count"])
    assert len(large_rows) >= ROWS
    assert sum(bool(filled(row)) for row in large_rows) >= ROWS, "rows lack a relation they should embed"
    assert small == large, sql
    assert large <= MAX_LIST_QUERIES, sql


def test_a_csv_of_300_events_costs_the_same_queries_as_a_csv_of_30(client: Client) -> None:
    topic = TopicFactory()

    def add_events(count: int) -> None:
        for _ in range(count):
            event = EventFactory()
            event.places.add(PlaceFactory())
            event.topics.add(topic)

    def csv_rows() -> tuple[int, list[dict[str, str]], str]:
        count, response, body, sql = _queries(lambda: client.get("/api/events/", {"format": "csv"}))
        assert response.status_code == 200
        return count, list(csv.DictReader(io.StringIO(body.decode()))), sql

    add_events(30)
    few, few_rows, _ = csv_rows()
    add_events(270)
    many, many_rows, sql = csv_rows()
    assert (len(few_rows), len(many_rows)) == (30, 300)
    assert all(row["places"] and row["topics"] for row in many_rows)
    assert few == many, sql
    assert many <= MAX_LIST_QUERIES, sql


def test_the_export_costs_the_same_queries_however_many_rows(client: Client) -> None:
    """The whole dataset as one zip: a fixed number of queries per table, not per row."""

    def build(offset: int, count: int) -> None:
        topic = TopicFactory()
        for number in range(offset, offset + count):
            place = PlaceFactory(country=_country(number))
            event = EventFactory()
            event.places.add(place)
            event.topics.add(topic)
            CitationFactory(event=event, quote=QUOTE)
            AgreementFactory(place_signed=place).parties.add(place.country)
            ObservationFactory(indicator=IndicatorFactory(topic=topic), reported_by=ActorFactory(), event=event)

    build(0, 3)
    few, response, _, _ = _queries(lambda: client.get("/api/export/"))
    assert response.status_code == 200
    build(3, 27)
    many, response, _, sql = _queries(lambda: client.get("/api/export/"))
    assert response.status_code == 200
    assert few == many, sql


# --- Details -------------------------------------------------------------------------------------


def _event_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    event = EventFactory()
    for _ in range(embedded):
        event.places.add(PlaceFactory())
        event.agreements.add(AgreementFactory())
        EventParticipantFactory(event=event)
        CitationFactory(event=event, quote=QUOTE)
    return f"/api/events/{event.slug}/", lambda body: [
        len(body[field]) for field in ("places", "participants", "agreements", "citations")
    ]


def _agreement_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    agreement = AgreementFactory(place_signed=PlaceFactory())
    for number in range(embedded):
        country = _country(number)
        agreement.parties.add(country)
        agreement.topics.add(TopicFactory())
        PartyStep.objects.create(agreement=agreement, country=country, step="signature", date="2019")
        AgreementSignatory.objects.create(agreement=agreement, actor=ActorFactory(), country=country)
        AgreementRelation.objects.create(
            from_agreement=agreement, to_agreement=AgreementFactory(), relation="builds_on"
        )
        AgreementRelation.objects.create(
            from_agreement=AgreementFactory(), to_agreement=agreement, relation="builds_on"
        )
        EventFactory().agreements.add(agreement)
        CitationFactory(event=None, agreement=agreement, quote=QUOTE)
    return f"/api/agreements/{agreement.slug}/", lambda body: [
        len(body[field])
        for field in ("parties", "topics", "party_steps", "signatories", "links", "linked_from", "events", "citations")
    ]


def _indicator_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    indicator = IndicatorFactory(topic=TopicFactory())
    for number in range(embedded):
        observation = ObservationFactory(
            indicator=indicator,
            period=str(2000 + number),
            reported_by=ActorFactory(),
            agreement=AgreementFactory(),
            event=EventFactory(),
        )
        CitationFactory(event=None, observation=observation, quote=QUOTE)

    def counts(body: dict[str, Any]) -> list[int]:
        observations = body["observations"]
        filled = [o for o in observations if o["reported_by"] and o["agreement"] and o["event"] and o["citations"]]
        return [len(observations), len(filled)]

    return f"/api/indicators/{indicator.slug}/", counts


def _source_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    """Cited by every kind of record: events, agreements, observations and offices."""
    source = SourceWithTextFactory()
    for number in range(embedded):
        record = [
            {"event": EventFactory()},
            {"event": None, "agreement": AgreementFactory()},
            {"event": None, "observation": ObservationFactory(period=str(2000 + number))},
            {"event": None, "office": OfficeFactory()},
        ][number % 4]
        CitationFactory(source=source, quote=QUOTE, **record)

    def counts(body: dict[str, Any]) -> list[int]:
        return [len(body["cited_by"]), len({c["record_type"] for c in body["cited_by"]})]

    return f"/api/sources/{source.slug}/", counts


def _actor_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    actor = ActorFactory(country=_country(0))
    for number in range(embedded):
        office = OfficeFactory(actor=actor, title=f"Office {number}", organisation=ActorFactory(), country=_country(1))
        CitationFactory(event=None, office=office, quote=QUOTE)
        EventParticipantFactory(actor=actor)

    def counts(body: dict[str, Any]) -> list[int]:
        return [len(body["offices"]), sum(len(o["citations"]) for o in body["offices"]), len(body["events"])]

    return f"/api/actors/{actor.slug}/", counts


def _place_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    place = PlaceFactory(parent=PlaceFactory())
    for _ in range(embedded):
        EventFactory().places.add(place)
    return f"/api/places/{place.slug}/", lambda body: [len(body["events"])]


def _country_with(embedded: int) -> tuple[str, Callable[[dict[str, Any]], list[int]]]:
    country = _country(embedded)  # a code of its own for each size
    for _ in range(embedded):
        PlaceFactory(country=country)
    return f"/api/countries/{country.code}/", lambda body: [len(body["places"])]


DETAILS = {
    "event": _event_with,
    "agreement": _agreement_with,
    "indicator": _indicator_with,
    "source": _source_with,
    "actor": _actor_with,
    "place": _place_with,
    "country": _country_with,
}
EXPECTED_COUNTS = {
    "event": lambda n: [n, n, n, n],
    "agreement": lambda n: [n] * 8,
    "indicator": lambda n: [n, n],
    "source": lambda n: [n, min(n, 4)],
    "actor": lambda n: [n, n, n],
    "place": lambda n: [n],
    "country": lambda n: [n],
}


@pytest.mark.parametrize("who", ["anonymous", "editor"])
@pytest.mark.parametrize("kind", list(DETAILS))
def test_a_detail_costs_the_same_queries_with_2_embedded_rows_as_with_20(
    db: None, editor_client: Client, who: str, kind: str
) -> None:
    client = editor_client if who == "editor" else Client()
    measured = []
    for embedded in (2, 20):
        url, counts = DETAILS[kind](embedded)
        queries, response, _, sql = _queries(lambda url=url: client.get(url))
        assert response.status_code == 200, response.content
        assert counts(response.json()) == EXPECTED_COUNTS[kind](embedded)
        assert queries <= MAX_DETAIL_QUERIES, sql
        measured.append((queries, sql))
    (few, _), (many, sql) = measured
    assert few == many, sql


FORMATS = ["bibtex", "ris", "csl-json"]


def test_the_reference_formats_cost_the_same_queries_for_3_sources_as_for_30(client: Client) -> None:
    """BibTeX, RIS and CSL-JSON read only each source's own fields: one query for any number."""
    for _ in range(3):
        SourceFactory()
    few = {name: _queries(lambda n=name: client.get("/api/sources/", {"format": n}))[0] for name in FORMATS}
    for _ in range(27):
        SourceFactory()
    for name in FORMATS:
        many, response, body, sql = _queries(lambda n=name: client.get("/api/sources/", {"format": n}))
        assert response.status_code == 200
        assert len(re.findall(rb"Source\}? \d+", body)) == 30  # BibTeX braces the capitalised word
        assert many == few[name], sql
        # Each request is one transaction (ATOMIC_REQUESTS): a savepoint inside the test's own.
        assert len([line for line in sql.splitlines() if "SAVEPOINT" not in line]) <= 2, sql


def test_the_changes_feed_costs_the_same_queries_for_few_and_many_changes(client: Client) -> None:
    """A fixed number of queries per resource, however many entries a page holds."""
    for _ in range(3):
        EventFactory()
    few, _, _, _ = _queries(lambda: client.get("/api/changes/", {"page_size": 500}))
    for _ in range(40):
        EventFactory()
    many, response, _, sql = _queries(lambda: client.get("/api/changes/", {"page_size": 500}))
    assert len(response.json()["results"]) >= 43
    assert few == many, sql
