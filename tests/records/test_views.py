"""The public pages: what each shows with the seed data, what it never shows, and how it fails."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import Event, Indicator, PublicationStatus
from tests.factories import (
    ActorFactory,
    AgreementFactory,
    CitationFactory,
    EventFactory,
    EventParticipantFactory,
    IndicatorFactory,
    ObservationFactory,
    PlaceFactory,
    SourceFactory,
    SourceWithTextFactory,
)

DRAFT = PublicationStatus.DRAFT
DRAFT_TITLE = "Secret draft summit zzyzx"

PAGES = [
    ("site:home", [], "Kazakhstan and Uzbekistan"),
    ("site:events", [], "Mirziyoyev"),
    ("site:event", ["mirziyoyev-first-official-visit-spring-2018"], "spring 2018"),
    ("site:agreements", [], "Treaty of Eternal Friendship"),
    ("site:agreement", ["treaty-of-eternal-friendship-1998"], "Treaty of Eternal Friendship"),
    ("site:indicators", [], "Bilateral trade turnover"),
    ("site:indicator", ["trade-turnover"], "more than USD 2,000,000,000"),
    ("site:sources", [], "Border Brothers"),
    ("site:source", ["cpc-border-brothers-2019"], "Border Brothers"),
    ("site:actor", ["shavkat-mirziyoyev"], "Shavkat Mirziyoyev"),
    ("site:place", ["shymkent"], "Shymkent"),
    ("site:search", [], "Search"),
]


def slugs_on(response: Any, prefix: str) -> set[str]:
    """The record slugs a page links to under ``prefix`` (e.g. "/events/")."""
    return set(re.findall(rf'href="{re.escape(prefix)}([\w-]+)/"', response.content.decode()))


# --- Every page renders with the seed ------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "expected"), PAGES)
def test_each_page_renders_with_the_seed_and_shows_its_records(
    client: Client, seed: None, name: str, args: list[str], expected: str
) -> None:
    """Every page type answers 200 with the site's layout and a record it should show."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html


def test_home_counts_published_records_and_charts_trade_turnover(client: Client, seed: None) -> None:
    """The home page counts what is published, gives the span of years and draws the headline chart."""
    response = client.get("/")
    assert response.context["counts"]["events"] == Event.objects.published().count() == 40
    assert response.context["first_year"] == 1989
    assert response.context["chart"] is not None
    assert 'role="img"' in response.content.decode()


def test_event_page_gives_the_date_places_participants_and_citations(client: Client, seed: None) -> None:
    """An event shows its date as a person writes it, where, who, and each quote with its source."""
    html = client.get("/events/mirziyoyev-visit-astana-2017-03/").content.decode()
    assert "March 2017" in html
    assert 'href="/places/astana/"' in html
    assert 'href="/actors/shavkat-mirziyoyev/"' in html
    assert "Visitor" in html
    assert re.search(r'href="/sources/[\w-]+/"', html)
    assert "<blockquote" in html
    assert 'href="/api/events/mirziyoyev-visit-astana-2017-03/"' in html
    assert "Accessed" in html
    assert "http://testserver/events/mirziyoyev-visit-astana-2017-03/" in html


def test_source_page_shows_the_reference_downloads_and_quotes_in_context(client: Client, seed: None) -> None:
    """A source with stored text shows each quoted passage marked within its paragraph."""
    html = client.get("/sources/eucacis-in-brief-6-baydarov-2019/").content.decode()
    assert "Muratbekova" in html
    for fmt in ("bibtex", "ris", "csl-json"):
        assert f'href="/api/sources/eucacis-in-brief-6-baydarov-2019/?format={fmt}"' in html
    assert "<mark>" in html
    assert 'href="/events/' in html
    assert 'href="/indicators/trade-turnover/"' in html


def test_indicator_page_draws_every_actual_and_target_and_lists_every_figure(client: Client, seed: None) -> None:
    """The chart has one point per actual or target; the table has a row per figure, changes too."""
    response = client.get("/indicators/trade-turnover/")
    html = response.content.decode()
    indicator = Indicator.objects.get(slug="trade-turnover")
    charted = indicator.observations.filter(kind__in=["actual", "target"]).count()
    assert html.count("data-kind=") == charted
    assert html.count('data-kind="target"') == 2
    assert "point-partial" in html
    assert "more than" in html
    assert html.count('<tr id="figure-') == indicator.observations.count()
    assert "<desc id=" in html


def test_actor_page_lists_their_events_over_time(client: Client, seed: None) -> None:
    response = client.get("/actors/shavkat-mirziyoyev/")
    assert {"mirziyoyev-visit-astana-2017-03", "mirziyoyev-first-official-visit-spring-2018"} <= slugs_on(
        response, "/events/"
    )


def test_place_page_lists_the_events_held_there(client: Client, seed: None) -> None:
    response = client.get("/places/shymkent/")
    assert {"business-council-shymkent-2018-05", "first-interregional-forum"} <= slugs_on(response, "/events/")


# --- Filters and search give known answers -------------------------------------------------


def test_timeline_filtered_by_type_shows_only_that_type(client: Client, seed: None) -> None:
    response = client.get("/events/", {"type": "official_visit"})
    assert slugs_on(response, "/events/") == {
        "mirziyoyev-visit-astana-2017-03",
        "mirziyoyev-first-official-visit-spring-2018",
        "tokayev-visit-uzbekistan-2019-03",
    }


def test_timeline_filtered_by_a_year_shows_that_years_events(client: Client, seed: None) -> None:
    """date_after=2019&date_before=2019 keeps the events that may fall in 2019 and none from 2017."""
    response = client.get("/events/", {"date_after": "2019", "date_before": "2019", "page_size": 100})
    slugs = slugs_on(response, "/events/")
    assert {"tokayev-visit-uzbekistan-2019-03", "demarcation-commission-2019-07"} <= slugs
    assert "mirziyoyev-visit-astana-2017-03" not in slugs
    assert "expo-2017" not in slugs


def test_timeline_filtered_by_actor_place_and_country(client: Client, seed: None) -> None:
    by_actor = slugs_on(client.get("/events/", {"actor": "kassym-jomart-tokayev"}), "/events/")
    assert "tokayev-visit-uzbekistan-2019-03" in by_actor
    assert "mirziyoyev-visit-astana-2017-03" not in by_actor
    by_place = slugs_on(client.get("/events/", {"place": "shymkent", "page_size": 100}), "/events/")
    assert by_place == {
        "first-interregional-forum",
        "uzbek-concerts-kazakhstan-2018",
        "feature-film-days-2018",
        "business-council-shymkent-2018-05",
        "joint-business-forum-shymkent-2018-05",
    }
    by_country = slugs_on(client.get("/events/", {"country": "uz", "page_size": 100}), "/events/")
    assert "tokayev-visit-uzbekistan-2019-03" in by_country
    assert "mirziyoyev-visit-astana-2017-03" not in by_country


def test_timeline_search_finds_events_by_word(client: Client, seed: None) -> None:
    slugs = slugs_on(client.get("/events/", {"search": "demarcation"}), "/events/")
    assert "demarcation-commission-2019-07" in slugs
    assert "expo-2017" not in slugs


def test_agreements_filter_by_type_and_sort_by_date_descending(client: Client, seed: None) -> None:
    treaties = slugs_on(client.get("/agreements/", {"type": "treaty"}), "/agreements/")
    assert treaties == {"treaty-of-eternal-friendship-1998"}
    html = client.get("/agreements/", {"ordering": "-date_signed", "status": "signed"}).content.decode()
    assert html.index("demarcation-protocol-2019") < html.index("treaty-of-eternal-friendship-1998")
    assert 'aria-sort="descending"' in html


def test_search_groups_results_by_kind(client: Client, seed: None) -> None:
    """One query finds events, agreements, indicators, sources and quotes, each under its own heading."""
    response = client.get("/search/", {"q": "trade"})
    groups = {group["key"]: group["rows"] for group in response.context["groups"]}
    assert groups["indicators"]
    assert any(row.slug == "trade-turnover" for row in groups["indicators"])
    assert groups["quotes"]
    assert groups["events"] or groups["agreements"]
    assert 'id="group-quotes"' in response.content.decode()


def test_search_for_a_source_title_finds_the_source(client: Client, seed: None) -> None:
    response = client.get("/search/", {"q": "border brothers"})
    sources = {group["key"]: group["rows"] for group in response.context["groups"]}["sources"]
    assert [source.slug for source in sources] == ["cpc-border-brothers-2019"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/events/", {"type": "not-a-type"}),
        ("/events/", {"date_after": "last tuesday"}),
        ("/events/", {"date_after": "2019", "date_before": "2017"}),
        ("/agreements/", {"status": "sort-of"}),
        ("/agreements/", {"ordering": "password"}),
        ("/sources/", {"published_after": "soon"}),
    ],
)
def test_bad_filter_values_give_a_message_with_status_400(client: Client, seed: None, path: str, params: dict) -> None:
    """A value that does not parse is named on the page, which answers 400 and lists nothing."""
    response = client.get(path, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be used" in html
    assert 'role="alert"' in html
    assert response.context["page"].paginator.count == 0


# --- Drafts appear nowhere -----------------------------------------------------------------


@pytest.fixture
def drafts(seed: None) -> dict[str, Any]:
    """A draft of each kind, linked to published records so it could leak through a relation."""
    event = Event.objects.get(slug="mirziyoyev-visit-astana-2017-03")
    draft_event = EventFactory(title=DRAFT_TITLE, slug="draft-event", status=DRAFT, date="2018")
    draft_event.places.add(PlaceFactory(slug="shymkent-draftless", status=PublicationStatus.PUBLISHED))
    EventParticipantFactory(event=draft_event, actor=ActorFactory(slug="published-actor"))
    draft_agreement = AgreementFactory(title=f"{DRAFT_TITLE} agreement", slug="draft-agreement", status=DRAFT)
    event.agreements.add(draft_agreement)
    draft_actor = ActorFactory(name=f"{DRAFT_TITLE} person", slug="draft-actor", status=DRAFT)
    EventParticipantFactory(event=event, actor=draft_actor)
    draft_place = PlaceFactory(name=f"{DRAFT_TITLE} town", slug="draft-place", status=DRAFT)
    event.places.add(draft_place)
    draft_source = SourceFactory(title=f"{DRAFT_TITLE} source", slug="draft-source", status=DRAFT)
    CitationFactory(source=draft_source, event=event, quote="zzyzx draft quote")
    published_source = SourceWithTextFactory(slug="published-source")
    CitationFactory(source=published_source, event=draft_event)
    trade = Indicator.objects.get(slug="trade-turnover")
    ObservationFactory(indicator=trade, period="2016", value=9_999_000_000, status=DRAFT)
    draft_indicator = IndicatorFactory(name=f"{DRAFT_TITLE} indicator", slug="draft-indicator", status=DRAFT)
    ObservationFactory(indicator=draft_indicator)
    return {
        "event": draft_event,
        "agreement": draft_agreement,
        "actor": draft_actor,
        "place": draft_place,
        "source": draft_source,
        "indicator": draft_indicator,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/events/draft-event/",
        "/agreements/draft-agreement/",
        "/actors/draft-actor/",
        "/places/draft-place/",
        "/sources/draft-source/",
        "/indicators/draft-indicator/",
    ],
)
def test_a_drafts_url_is_a_404_in_the_sites_style(client: Client, drafts: dict, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "records/site.css" in html


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/?page_size=100",
        "/events/?page_size=100&page=2",
        "/events/?date_after=2018&date_before=2018&page_size=100",
        "/events/mirziyoyev-visit-astana-2017-03/",
        "/agreements/?page_size=100",
        "/indicators/",
        "/indicators/trade-turnover/",
        "/sources/",
        "/sources/published-source/",
        "/actors/published-actor/",
        "/places/shymkent-draftless/",
        "/search/?q=zzyzx",
        "/search/?q=secret+draft",
    ],
)
def test_a_draft_appears_on_no_page(client: Client, drafts: dict, path: str) -> None:
    """Not in lists, related lists, counts, charts or search — whatever links to it."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "zzyzx draft quote" not in html
    assert DRAFT_TITLE not in html
    for slug in ("draft-event", "draft-agreement", "draft-actor", "draft-place", "draft-source", "draft-indicator"):
        assert f"/{slug}/" not in html
    assert "9,999,000,000" not in html
    assert "USD 10 bn" not in html


def test_drafts_are_not_counted_on_the_home_page(client: Client, drafts: dict) -> None:
    counts = client.get("/").context["counts"]
    assert counts == {
        "events": Event.objects.published().count(),
        "agreements": 16,
        "indicators": 14,
        "sources": 4,  # the three of the seed and the published one the fixture adds
    }
    assert counts["events"] == 40


def test_a_quote_from_a_draft_source_is_not_a_search_result(client: Client, drafts: dict) -> None:
    groups = {group["key"]: group["rows"] for group in client.get("/search/", {"q": "zzyzx"}).context["groups"]}
    assert groups["quotes"] == []
    assert groups["sources"] == []


# --- Escaping ------------------------------------------------------------------------------


def test_a_title_with_a_script_tag_is_shown_as_text(client: Client, db: None) -> None:
    """User-entered text is escaped on lists, details and search."""
    title = "<script>alert(1)</script>"
    event = EventFactory(title=title, slug="xss", description="Found by the word xsstest.")
    CitationFactory(event=event)
    for path in ("/events/", "/events/xss/", "/search/?q=xsstest", "/"):
        html = Client().get(path).content.decode()
        assert "<script>alert(1)</script>" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


# --- Queries -------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    """The queries a page runs, less the savepoint that makes each request one transaction
    (ATOMIC_REQUESTS) inside the test's own."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return sum("SAVEPOINT" not in query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/events/", "/events/?type=official_visit&type=forum", "/agreements/", "/sources/", "/search/?q=trade"],
)
def test_list_pages_run_the_same_number_of_queries_at_two_page_sizes(client: Client, seed: None, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    small = _queries(client, f"{path}{joiner}page_size=2")
    large = _queries(client, f"{path}{joiner}page_size=100")
    assert small == large


def test_indicator_list_runs_the_same_number_of_queries_for_more_indicators(client: Client, seed: None) -> None:
    before = _queries(client, "/indicators/")
    for _ in range(5):
        ObservationFactory(indicator=IndicatorFactory())
    assert _queries(client, "/indicators/") == before


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/", 11),
        ("/events/mirziyoyev-first-official-visit-spring-2018/", 6),
        ("/agreements/treaty-of-eternal-friendship-1998/", 9),
        ("/indicators/trade-turnover/", 3),
        ("/sources/eucacis-in-brief-6-baydarov-2019/", 2),
        ("/actors/shavkat-mirziyoyev/", 4),
        ("/places/shymkent/", 3),
    ],
)
def test_detail_pages_run_a_bounded_number_of_queries(client: Client, seed: None, path: str, limit: int) -> None:
    assert _queries(client, path) <= limit


def test_page_size_is_bounded(client: Client, seed: None) -> None:
    response = client.get("/events/", {"page_size": 100000})
    assert response.context["page"].paginator.per_page == 100


# --- Security headers and error pages ------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/events/", "/indicators/trade-turnover/", "/no-such-page/"])
def test_pages_send_a_content_security_policy_without_inline_script(client: Client, seed: None, path: str) -> None:
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "http" not in policy
    assert "<script" not in response.content.decode()


def test_no_page_uses_an_inline_style_attribute(client: Client, seed: None) -> None:
    for name, args, _ in PAGES:
        assert 'style="' not in client.get(reverse(name, args=args)).content.decode()


def test_an_unknown_address_gets_the_sites_404_page(client: Client, db: None) -> None:
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/events/"' in html
    assert "records/site.css" in html


def test_the_500_page_renders_in_the_sites_style_without_a_request() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "records/site.css" in html
