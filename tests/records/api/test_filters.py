"""The list filters of the API, each with a known answer on the seed data, and each refusal a 400."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from records.models import Event, Indicator, PublicationStatus
from tests.factories import EventFactory, ObservationFactory
from tests.records.api.paths import LIST_PATHS

pytestmark = pytest.mark.django_db

SEED_TIME = datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)

# Seed events by how their dates read: the overlap filters must treat each group alike.
BY_OCTOBER_2018 = {  # "[..2018-10]": on or before October 2018
    "bitumen-plant-shymkent",
    "central-asian-fair-of-artisans",
    "grants-for-uzbek-students",
    "gas-stove-factory-south-kazakhstan",
    "uzbek-capital-projects-turkistan-region",
    "joint-call-central-asian-dialogue",
    "kazakhstan-widens-supplies-to-uzbekistan",
    "kazakhstan-proposes-silk-visa",
    "nazarbayev-statement-solidarity",
    "uzbek-music-theatre-tours",
    "uzbek-films-kazakh-festivals",
    "uzbekistan-widens-export-list",
}
BY_JULY_2019 = {  # "[..2019-07-16]"
    "nazarbayeva-asian-schengen",
    "kazakhstan-loosens-labour-migration-rules",
    "russia-tightens-labour-migration-rules",
}
DATED_IN_2018 = {
    "uzbek-concerts-kazakhstan-2018",  # [2018-01..2018-10]
    "feature-film-days-2018",
    "uzbek-womens-clothing-exhibition-astana-2018",
    "kazakhstan-unsc-chairmanship-2018-01",
    "kurultai-of-scientists-almaty-2018",
    "mirziyoyev-dostyk-order-2018",  # "2018"
    "year-of-uzbekistan-in-kazakhstan-2018",
    "mirziyoyev-first-official-visit-spring-2018",  # "2018-21"
    "business-council-shymkent-2018-05",
    "joint-business-forum-shymkent-2018-05",
    "scientific-cooperation-round-table-2018-08",
    "uzbek-land-mechanism-2018-10",  # "2018-10-01/..": open end
}
OFFICIAL_VISITS = {
    "mirziyoyev-visit-astana-2017-03",
    "mirziyoyev-first-official-visit-spring-2018",
    "tokayev-visit-uzbekistan-2019-03",
}
EVENTS_IN_UZBEKISTAN = {
    "mirziyoyev-becomes-president-2016",
    "regional-economic-forum-tashkent",
    "uzbekistan-widens-export-list",
    "samarkand-conference-2017",
    "scientific-cooperation-round-table-2018-08",
    "uzbek-land-mechanism-2018-10",
    "year-of-kazakhstan-in-uzbekistan-2019",
    "tokayev-visit-uzbekistan-2019-03",
}
EVENTS_IN_KAZAKHSTAN = {
    "bitumen-plant-shymkent",  # at the Shymkent industrial zone
    "uzbek-artists-exhibitions",
    "first-interregional-forum",
    "oic-science-summit-astana",
    "gas-stove-factory-south-kazakhstan",
    "uzbek-capital-projects-turkistan-region",
    "grants-for-uzbek-students",
    "kazakhstan-widens-supplies-to-uzbekistan",
    "kazakhstan-loosens-labour-migration-rules",
    "kazakhstan-proposes-silk-visa",
    "uzbek-music-theatre-tours",
    "uzbek-films-kazakh-festivals",
    "mirziyoyev-visit-astana-2017-03",
    "uzbek-concerts-kazakhstan-2018",
    "feature-film-days-2018",
    "uzbek-womens-clothing-exhibition-astana-2018",
    "kurultai-of-scientists-almaty-2018",
    "year-of-uzbekistan-in-kazakhstan-2018",
    "mirziyoyev-first-official-visit-spring-2018",
    "business-council-shymkent-2018-05",
    "joint-business-forum-shymkent-2018-05",
}
SIGNED_AGREEMENTS = {
    "treaty-of-eternal-friendship-1998",
    "free-trade-zone-agreement-2008",
    "strategic-partnership-2013",
    "abai-kunanbayev-resolution",
    "joint-declaration-2017",
    "economic-cooperation-strategy-2017-2019",
    "military-cooperation-plan-2018",
    "business-agreements-shymkent-2018",
    "uzbek-investment-climate-decree-2018",
    "demarcation-protocol-2019",
}

# Trade turnover observations (uuids are fixed by the seed).
TRADE_2012 = "ce68b4e7-da2a-5b19-9b1c-ab9a001496d0"
TRADE_2015 = "996a372e-a966-54cf-afa4-5aa4b108824e"
TRADE_2017 = "dce0c31c-ceef-544f-a995-7e395c498460"
TRADE_2018_JAN_SEP = "82896fdb-91b0-5e14-83b8-ac6e2d8dcb02"
TRADE_2018_CPC = "852e7ab9-6d62-5d7f-9232-f57bc0c61f5e"
TRADE_CHANGE_2018_JAN_SEP = "55d35638-039f-5988-9097-dcc07cab9ffe"
TRADE_CHANGE_2018_CPC = "64c8fb4c-dfa3-5707-89b4-29166a1ea614"
TRADE_TARGET_2018 = "e6cf4edf-a170-5c3a-8f4f-c93fcdd43023"
TRADE_TARGET_2020 = "d910e981-5001-5466-a39a-f17aff438538"
TRADE_TURNOVER = {
    TRADE_2012,
    TRADE_2015,
    TRADE_2017,
    TRADE_2018_JAN_SEP,
    TRADE_2018_CPC,
    TRADE_CHANGE_2018_JAN_SEP,
    TRADE_CHANGE_2018_CPC,
    TRADE_TARGET_2018,
    TRADE_TARGET_2020,
}
REPORTED_BY_CPC = {
    TRADE_2018_CPC,
    TRADE_CHANGE_2018_CPC,
    "d07fadaf-5a2e-5a48-9039-3a2f27a7617b",  # the Soviet-era jointly administered area
    "408d8e03-6e52-5fdc-b6d2-ef27a27174c4",  # Kazakhstan's rank among Uzbekistan's partners
    "c46e5260-46ae-52f6-b69e-e165caf813e3",  # remittances
    "3f340734-a335-5eb1-8ec5-006c8cf29cc7",  # Uzbekistan's rank among senders of labour
}
RANKS_OF_JULY_2019 = {"408d8e03-6e52-5fdc-b6d2-ef27a27174c4", "3f340734-a335-5eb1-8ec5-006c8cf29cc7"}

# The citations of the primeminister.kz news item (known only from a footnote).
PRIMEMINISTER_CITATIONS = {
    "e29b3a47-f2be-5846-a0c3-26ca7172f652",
    "34107525-8ca5-5771-96f9-82b8a7eb884c",
    "2356dcb0-62d5-545e-9083-787ad20e780e",
}


def _rows(client: Client, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a one-page answer (page_size 500), checking that ``count`` agrees."""
    response = client.get(path, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def _slugs(client: Client, path: str, **params: Any) -> set[str]:
    return {row["slug"] for row in _rows(client, path, params)}


def _uuids(client: Client, path: str, **params: Any) -> set[str]:
    return {row["uuid"] for row in _rows(client, path, params)}


def _ordered(client: Client, path: str, key: str = "slug", **params: Any) -> list[str]:
    return [row[key] for row in _rows(client, path, params)]


# --- Events ------------------------------------------------------------------------------------


def test_events_in_2018_are_every_event_whose_date_may_fall_in_that_year(client: Client, seed: None) -> None:
    """Overlap: a year, a season, a month or an open range reaching into 2018 all match; undated ones never."""
    found = _slugs(client, "/api/events/", date_after="2018-01-01", date_before="2018-12-31")
    assert found == BY_OCTOBER_2018 | BY_JULY_2019 | {"first-interregional-forum"} | DATED_IN_2018


def test_an_event_dated_by_the_year_matches_date_after_a_day_within_that_year(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", type="award", date_after="2018-06-01") == {"mirziyoyev-dostyk-order-2018"}
    assert _slugs(client, "/api/events/", type="award", date_after="2019-01-01") == set()


def test_date_after_keeps_events_that_may_end_on_or_after_it(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", date_after="2019-03-01") == BY_JULY_2019 | {
        "year-of-kazakhstan-in-uzbekistan-2019",
        "tokayev-visit-uzbekistan-2019-03",
        "demarcation-commission-2019-07",
        "uzbek-land-mechanism-2018-10",  # "2018-10-01/..": no known end
    }


def test_date_before_keeps_events_open_towards_the_past(client: Client, seed: None) -> None:
    """ "[..2018-10]" may fall before 2017; a statement dated "2017" cannot fall before it."""
    assert _slugs(client, "/api/events/", type="statement", date_before="2016-12-31") == {
        "nazarbayeva-asian-schengen",
        "joint-call-central-asian-dialogue",
        "kazakhstan-proposes-silk-visa",
        "nazarbayev-statement-solidarity",
    }


def test_date_bounds_are_inclusive(client: Client, seed: None) -> None:
    """The commission met 1–5 July 2019: both ends of the range are its own days."""
    commission = {"demarcation-commission-2019-07"}
    assert _slugs(client, "/api/events/", type="commission_session", date_after="2019-07-05") == commission
    assert _slugs(client, "/api/events/", type="commission_session", date_before="2019-07-01") == commission
    assert _slugs(client, "/api/events/", type="commission_session", date_after="2019-07-06") == set()
    assert _slugs(client, "/api/events/", type="commission_session", date_before="2019-06-30") == set()


def test_events_of_one_type(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", type="official_visit") == OFFICIAL_VISITS


def test_a_repeated_type_matches_either(client: Client, seed: None) -> None:
    found = _slugs(client, "/api/events/", type=["official_visit", "commission_session"])
    assert found == OFFICIAL_VISITS | {"demarcation-commission-2019-07"}


def test_events_an_actor_took_part_in(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", actor="shavkat-mirziyoyev") == {
        "mirziyoyev-becomes-president-2016",
        "samarkand-conference-2017",
        "mirziyoyev-visit-astana-2017-03",
        "mirziyoyev-dostyk-order-2018",
        "mirziyoyev-first-official-visit-spring-2018",
    }


def test_events_held_at_a_place(client: Client, seed: None) -> None:
    """The place itself, not the sites within it (the bitumen plant is at the industrial zone)."""
    assert _slugs(client, "/api/events/", place="shymkent") == {
        "first-interregional-forum",
        "uzbek-concerts-kazakhstan-2018",
        "feature-film-days-2018",
        "business-council-shymkent-2018-05",
        "joint-business-forum-shymkent-2018-05",
    }


def test_events_held_in_a_country_by_its_code_in_either_case(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", country="kz") == EVENTS_IN_KAZAKHSTAN
    assert _slugs(client, "/api/events/", country="KZ") == EVENTS_IN_KAZAKHSTAN
    assert _slugs(client, "/api/events/", country="uz") == EVENTS_IN_UZBEKISTAN


def test_an_event_with_several_places_in_the_country_comes_once(client: Client, seed: None) -> None:
    """The concerts toured four Kazakh towns: one row, and counted once."""
    slugs = [row["slug"] for row in _rows(client, "/api/events/", {"country": "kz"})]
    assert slugs.count("uzbek-concerts-kazakhstan-2018") == 1
    assert len(slugs) == len(EVENTS_IN_KAZAKHSTAN)


def test_events_related_to_an_agreement(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", agreement="joint-declaration-2017") == {"mirziyoyev-visit-astana-2017-03"}


def test_events_on_a_topic(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", topic="borders") == {
        "collapse-of-the-soviet-union",
        "mirziyoyev-becomes-president-2016",
        "demarcation-commission-2019-07",
    }


def test_events_citing_a_source(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", source="cpc-border-brothers-2019") == BY_JULY_2019 | {
        "collapse-of-the-soviet-union",
        "mirziyoyev-becomes-president-2016",
        "mirziyoyev-visit-astana-2017-03",
        "mirziyoyev-first-official-visit-spring-2018",
        "tokayev-visit-uzbekistan-2019-03",
        "demarcation-commission-2019-07",
    }


def test_an_unknown_slug_in_a_filter_matches_nothing(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", actor="nobody-at-all") == set()
    assert _slugs(client, "/api/events/", place="atlantis") == set()


def test_search_finds_events_by_the_start_of_a_word(client: Client, seed: None) -> None:
    """ "visit" finds "visit" and "visits", case-insensitively."""
    assert _slugs(client, "/api/events/", search="visit") == OFFICIAL_VISITS
    assert _slugs(client, "/api/events/", search="VISIT") == OFFICIAL_VISITS


def test_search_needs_every_word(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", search="returned favor") == {"tokayev-visit-uzbekistan-2019-03"}
    assert _slugs(client, "/api/events/", search="returned banana") == set()


def test_search_finds_an_event_by_a_word_only_its_citation_quotes(client: Client, seed: None) -> None:
    """The CPC article spells the name "Toqayev"; the event itself says "Tokayev"."""
    assert _slugs(client, "/api/events/", search="toqayev") == {"tokayev-visit-uzbekistan-2019-03"}
    event = client.get("/api/events/tokayev-visit-uzbekistan-2019-03/").json()
    own_text = " ".join([event["title"], event["description"], event["conflict_note"]]).lower()
    assert "toqayev" not in own_text
    assert any("Toqayev" in citation["quote"] for citation in event["citations"])


def test_search_treats_punctuation_as_nothing_special(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/events/", search="(returned) & favor | %") == {"tokayev-visit-uzbekistan-2019-03"}
    assert _slugs(client, "/api/events/", search="!!!") == _slugs(client, "/api/events/")


def test_filters_combine(client: Client, seed: None) -> None:
    found = _slugs(client, "/api/events/", type="official_visit", country="uz", date_after="2019-01-01")
    assert found == {"tokayev-visit-uzbekistan-2019-03"}


def test_anonymous_clients_filtering_by_draft_status_get_nothing(client: Client, seed: None) -> None:
    EventFactory(slug="a-draft", status=PublicationStatus.DRAFT)
    assert _slugs(client, "/api/events/", status="draft") == set()
    assert len(_slugs(client, "/api/events/", status="published")) == 40


def test_curators_filter_events_by_publication_status(curator_client: Client, seed: None) -> None:
    EventFactory(slug="a-draft", status=PublicationStatus.DRAFT)
    EventFactory(slug="in-review", status=PublicationStatus.IN_REVIEW)
    assert _slugs(curator_client, "/api/events/", status="draft") == {"a-draft"}
    assert _slugs(curator_client, "/api/events/", status=["draft", "in_review"]) == {"a-draft", "in-review"}
    assert len(_slugs(curator_client, "/api/events/", status="published")) == 40


# --- Agreements --------------------------------------------------------------------------------


def test_agreements_of_a_type(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/agreements/", type="treaty") == {"treaty-of-eternal-friendship-1998"}
    assert _slugs(client, "/api/agreements/", type=["treaty", "protocol"]) == {
        "treaty-of-eternal-friendship-1998",
        "demarcation-protocol-2019",
    }


def test_agreements_by_legal_status(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/agreements/", status="signed") == SIGNED_AGREEMENTS
    assert _slugs(client, "/api/agreements/", status="proposed") == {
        "silk-visa",
        "border-regions-association",
        "joint-universities",
    }


def test_agreements_a_country_is_party_to(client: Client, seed: None) -> None:
    with_uzbekistan = {
        "silk-visa",
        "border-regions-association",
        "transit-preferences",
        "diploma-recognition",
        "treaty-of-eternal-friendship-1998",
        "free-trade-zone-agreement-2008",
        "strategic-partnership-2013",
        "abai-kunanbayev-resolution",
        "joint-declaration-2017",
        "economic-cooperation-strategy-2017-2019",
        "military-cooperation-plan-2018",
        "uzbek-investment-climate-decree-2018",
        "demarcation-protocol-2019",
    }
    assert _slugs(client, "/api/agreements/", party="UZ") == with_uzbekistan
    assert _slugs(client, "/api/agreements/", party="uz") == with_uzbekistan
    assert _slugs(client, "/api/agreements/", party="DE") == set()


def test_agreements_signed_within_a_range(client: Client, seed: None) -> None:
    """Undated initiatives never match a date filter."""
    assert _slugs(client, "/api/agreements/", signed_after="2017-01-01", signed_before="2018-06-30") == {
        "joint-declaration-2017",
        "economic-cooperation-strategy-2017-2019",
        "military-cooperation-plan-2018",  # "2018"
        "business-agreements-shymkent-2018",
    }
    assert _slugs(client, "/api/agreements/", signed_after="2019-01-01") == {"demarcation-protocol-2019"}
    assert _slugs(client, "/api/agreements/", signed_before="2008-12-31") == {
        "treaty-of-eternal-friendship-1998",
        "free-trade-zone-agreement-2008",
    }


def test_agreements_by_topic_source_and_search(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/agreements/", topic="borders") == {"demarcation-protocol-2019"}
    assert _slugs(client, "/api/agreements/", source="cpc-border-brothers-2019") == {
        "silk-visa",
        "demarcation-protocol-2019",
    }
    assert _slugs(client, "/api/agreements/", search="schengen") == {"silk-visa"}


# --- Observations ------------------------------------------------------------------------------


def test_the_targets_for_trade_turnover_are_2018_and_2020(client: Client, seed: None) -> None:
    rows = _rows(client, "/api/observations/", {"indicator": "trade-turnover", "kind": "target"})
    assert {(row["uuid"], row["period"], row["value_display"]) for row in rows} == {
        (TRADE_TARGET_2018, "2018", "USD 3,000,000,000"),
        (TRADE_TARGET_2020, "2020", "USD 5,000,000,000"),
    }


def test_observations_of_an_indicator_and_repeated_kinds(client: Client, seed: None) -> None:
    assert _uuids(client, "/api/observations/", indicator="trade-turnover") == TRADE_TURNOVER
    assert _uuids(client, "/api/observations/", indicator="trade-turnover", kind=["target", "change"]) == {
        TRADE_TARGET_2018,
        TRADE_TARGET_2020,
        TRADE_CHANGE_2018_JAN_SEP,
        TRADE_CHANGE_2018_CPC,
    }


def test_observations_for_periods_overlapping_a_range(client: Client, seed: None) -> None:
    found = _uuids(
        client, "/api/observations/", indicator="trade-turnover", period_after="2018-01-01", period_before="2018-12-31"
    )
    assert found == {
        TRADE_2018_JAN_SEP,
        TRADE_2018_CPC,
        TRADE_CHANGE_2018_JAN_SEP,
        TRADE_CHANGE_2018_CPC,
        TRADE_TARGET_2018,
    }
    assert _uuids(client, "/api/observations/", period_after="2019-01-01") == RANKS_OF_JULY_2019 | {TRADE_TARGET_2020}
    assert _uuids(client, "/api/observations/", indicator="trade-turnover", period_before="2015-06-30") == {
        TRADE_2012,
        TRADE_2015,
    }


def test_observations_reported_by_an_actor(client: Client, seed: None) -> None:
    assert _uuids(client, "/api/observations/", reported_by="caspian-policy-center") == REPORTED_BY_CPC


def test_preferred_observations(client: Client, seed: None) -> None:
    """Every seed figure is preferred; a second figure for 2018 that is not, is found by preferred=false."""
    other = ObservationFactory(
        indicator=Indicator.objects.get(slug="trade-turnover"), period="2018", value=2_900_000_000
    )
    assert _uuids(client, "/api/observations/", indicator="trade-turnover", preferred="true") == TRADE_TURNOVER
    assert _uuids(client, "/api/observations/", indicator="trade-turnover", preferred="false") == {str(other.uuid)}


def test_observations_citing_a_source(client: Client, seed: None) -> None:
    assert _uuids(client, "/api/observations/", source="primeminister-kz-first-interregional-forum") == {
        TRADE_2018_JAN_SEP,
        TRADE_CHANGE_2018_JAN_SEP,
    }


# --- Sources and citations ---------------------------------------------------------------------


def test_sources_of_a_type(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/sources/", type="interview") == {"eucacis-in-brief-6-baydarov-2019"}
    assert _slugs(client, "/api/sources/", type=["interview", "news_item"]) == {
        "eucacis-in-brief-6-baydarov-2019",
        "primeminister-kz-first-interregional-forum",
    }


def test_sources_published_within_a_range(client: Client, seed: None) -> None:
    """The news item is dated "[..2018-11-20]": it can only match before."""
    assert _slugs(client, "/api/sources/", published_after="2019-01-01") == {
        "cpc-border-brothers-2019",
        "eucacis-in-brief-6-baydarov-2019",
    }
    assert _slugs(client, "/api/sources/", published_before="2018-12-31") == {
        "primeminister-kz-first-interregional-forum"
    }
    assert _slugs(client, "/api/sources/", published_after="2019-03-01", published_before="2019-12-31") == {
        "cpc-border-brothers-2019"
    }


def test_sources_found_by_search(client: Client, seed: None) -> None:
    assert _slugs(client, "/api/sources/", search="border brothers") == {"cpc-border-brothers-2019"}
    assert _slugs(client, "/api/sources/", search="muratbekova") == {"eucacis-in-brief-6-baydarov-2019"}


def test_citations_of_a_source(client: Client, seed: None) -> None:
    rows = _rows(client, "/api/citations/", {"source": "primeminister-kz-first-interregional-forum"})
    assert {row["uuid"] for row in rows} == PRIMEMINISTER_CITATIONS
    assert sorted(row["record_type"] for row in rows) == ["event", "observation", "observation"]


def test_citations_by_the_kind_of_record_cited(client: Client, seed: None) -> None:
    offices = _rows(client, "/api/citations/", {"record_type": "office"})
    assert len(offices) == 20
    assert {row["record_type"] for row in offices} == {"office"}
    agreements = _rows(client, "/api/citations/", {"record_type": "agreement", "source": "cpc-border-brothers-2019"})
    assert {row["record"]["slug"] for row in agreements} == {"silk-visa", "demarcation-protocol-2019"}
    assert len(agreements) == 3


# --- Ordering ----------------------------------------------------------------------------------


def test_events_ordered_by_date_either_way(client: Client, seed: None) -> None:
    by_date = [
        "mirziyoyev-visit-astana-2017-03",
        "mirziyoyev-first-official-visit-spring-2018",
        "tokayev-visit-uzbekistan-2019-03",
    ]
    assert _ordered(client, "/api/events/", type="official_visit", ordering="date") == by_date
    assert _ordered(client, "/api/events/", type="official_visit", ordering="-date") == by_date[::-1]


def test_events_ordered_by_title_then_date(client: Client, seed: None) -> None:
    titles = _ordered(client, "/api/events/", key="title", ordering="title")
    assert titles == sorted(titles)
    assert len(titles) == 40
    titles = _ordered(client, "/api/events/", key="title", ordering="-title,date")
    assert titles == sorted(titles, reverse=True)


@pytest.mark.parametrize(
    ("path", "params", "key", "expected"),
    [
        (
            "/api/agreements/",
            {"type": "decree", "ordering": "date_signed"},
            "slug",
            ["abai-kunanbayev-resolution", "uzbek-investment-climate-decree-2018"],
        ),
        (
            "/api/agreements/",
            {"type": "decree", "ordering": "-date_signed"},
            "slug",
            ["uzbek-investment-climate-decree-2018", "abai-kunanbayev-resolution"],
        ),
        (
            "/api/observations/",
            {"indicator": "trade-turnover", "kind": "target", "ordering": "-value"},
            "uuid",
            [TRADE_TARGET_2020, TRADE_TARGET_2018],
        ),
        (
            "/api/observations/",
            {"indicator": "trade-turnover", "kind": "actual", "ordering": "period,value"},
            "uuid",
            [TRADE_2012, TRADE_2015, TRADE_2017, TRADE_2018_JAN_SEP, TRADE_2018_CPC],
        ),
        (
            "/api/sources/",
            {"ordering": "title"},
            "slug",
            [
                "cpc-border-brothers-2019",
                "primeminister-kz-first-interregional-forum",
                "eucacis-in-brief-6-baydarov-2019",
            ],
        ),
        (
            "/api/places/",
            {"country": "uz", "ordering": "-name"},
            "slug",
            ["uzbekistan", "tashkent", "samarkand", "jizzakh", "bukhara"],
        ),
        (
            "/api/countries/",
            {"ordering": "code"},
            "code",
            ["DE", "FR", "KG", "KZ", "RU", "TJ", "TM", "UZ"],
        ),
        (
            "/api/countries/",
            {"ordering": "-name"},
            "code",
            ["UZ", "TM", "TJ", "RU", "KG", "KZ", "DE", "FR"],
        ),
    ],
)
def test_lists_follow_the_ordering_asked_for(
    client: Client, seed: None, path: str, params: dict[str, str], key: str, expected: list[str]
) -> None:
    assert _ordered(client, path, key=key, **params) == expected


def test_actors_ordered_by_name_descending(client: Client, seed: None) -> None:
    names = _ordered(client, "/api/actors/", key="name", ordering="-name")
    assert names == sorted(names, reverse=True)
    assert len(names) == 27


# --- Sync and pages ----------------------------------------------------------------------------


def test_updated_after_lists_only_the_record_edited_since_the_seed(client: Client, seed: None) -> None:
    """Every seed row is stamped with the seed's time; an edit stamps its own."""
    event = Event.objects.get(slug="expo-2017")
    event.title = "EXPO 2017 in Astana"
    event.save()
    assert event.updated_at > SEED_TIME
    assert _slugs(client, "/api/events/", updated_after="2026-11-24T00:00:00Z") == {"expo-2017"}
    assert _slugs(client, "/api/events/", updated_after="2026-11-24T00:00:00+00:00") == {"expo-2017"}
    later = (event.updated_at + datetime.timedelta(seconds=1)).isoformat()
    assert _slugs(client, "/api/events/", updated_after=later) == set()
    assert len(_slugs(client, "/api/events/", updated_after="2026-11-23T23:59:59Z")) == 40
    assert _slugs(client, "/api/agreements/", updated_after="2026-11-24T00:00:00Z") == set()


def test_page_size_and_page_pick_one_row(client: Client, seed: None) -> None:
    response = client.get("/api/events/", {"type": "official_visit", "ordering": "date", "page_size": 1, "page": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["slug"] for row in body["results"]] == ["mirziyoyev-first-official-visit-spring-2018"]
    assert "page=3" in body["next"]
    assert body["previous"] is not None


def test_a_page_past_the_end_is_a_404(client: Client, seed: None) -> None:
    response = client.get("/api/events/", {"page_size": 10, "page": 5})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pages_are_50_rows_by_default_and_at_most_500(client: Client) -> None:
    # In bulk (undated, so no bounds to fill): 520 saves one by one would only slow the test down.
    Event.objects.bulk_create(
        Event(slug=f"bulk-{number:03}", title=f"Bulk {number:03}", type="other", status=PublicationStatus.PUBLISHED)
        for number in range(520)
    )
    default = client.get("/api/events/").json()
    assert (default["count"], len(default["results"])) == (520, 50)
    capped = client.get("/api/events/", {"page_size": 9999}).json()
    assert (capped["count"], len(capped["results"])) == (520, 500)
    assert capped["next"] is not None
    assert len(client.get("/api/events/", {"page_size": 9999, "page": 2}).json()["results"]) == 20


# --- Refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/events/", {"date_after": "2018-13-45"}, "date_after"),
        ("/api/events/", {"date_before": "2018"}, "date_before"),
        ("/api/agreements/", {"signed_after": "last year"}, "signed_after"),
        ("/api/observations/", {"period_before": "2018-02-30"}, "period_before"),
        ("/api/sources/", {"published_after": "20190716"}, "published_after"),
        ("/api/events/", {"type": "picnic"}, "type"),
        ("/api/events/", {"type": ["summit", "picnic"]}, "type"),
        ("/api/agreements/", {"type": "armistice"}, "type"),
        ("/api/agreements/", {"status": "ratified-maybe"}, "status"),
        ("/api/sources/", {"type": "rumour"}, "type"),
        ("/api/observations/", {"kind": "guess"}, "kind"),
        ("/api/events/", {"status": "secret"}, "status"),
        ("/api/events/", {"ordering": "date,-bogus"}, "ordering"),
        ("/api/events/", {"ordering": "date_lower"}, "ordering"),  # the column, not the parameter name
        ("/api/events/", {"date_after": "2019-01-01", "date_before": "2018-12-31"}, "date_before"),
        ("/api/agreements/", {"signed_after": "2019-01-01", "signed_before": "2018-12-31"}, "signed_before"),
        ("/api/observations/", {"period_after": "2019-01-01", "period_before": "2018-12-31"}, "period_before"),
        ("/api/sources/", {"published_after": "2019-01-01", "published_before": "2018-12-31"}, "published_before"),
        ("/api/citations/", {"record_type": "unknown"}, "record_type"),
        ("/api/citations/", {"record_type": "place"}, "record_type"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(
    client: Client, path: str, params: dict[str, Any], parameter: str
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400, response.content
    assert parameter in response.json()


def test_preferred_neither_true_nor_false_is_a_400(client: Client, seed: None) -> None:
    response = client.get("/api/observations/", {"preferred": "maybe"})
    assert response.status_code == 400, f"{response.status_code}: count {response.json().get('count')}"
    assert "preferred" in response.json()


@pytest.mark.parametrize("path", LIST_PATHS)
def test_an_unknown_ordering_field_is_a_400_everywhere(client: Client, path: str) -> None:
    response = client.get(path, {"ordering": "password"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_updated_after_takes_any_offset_iso_8601_allows(client: Client, seed: None) -> None:
    """PostgreSQL refuses offsets beyond ±15:59; the filter converts to UTC before asking it."""
    response = client.get("/api/events/", {"updated_after": "2026-11-23T05:17:00-18:42"})
    assert response.status_code == 200
    assert response.json()["count"] == 40


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_updated_after_outside_the_representable_years_is_a_400(client: Client, moment: str) -> None:
    response = client.get("/api/citations/", {"updated_after": moment})
    assert response.status_code == 400
    assert "updated_after" in response.json()


@pytest.mark.parametrize("path", LIST_PATHS)
def test_updated_after_must_be_a_timestamp_everywhere(client: Client, path: str) -> None:
    response = client.get(path, {"updated_after": "yesterday"})
    assert response.status_code == 400
    assert "updated_after" in response.json()


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page_size": "abc"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "1.5"}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_page_parameters_are_400s_everywhere(
    client: Client, path: str, params: dict[str, str], parameter: str
) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert parameter in response.json()


def test_a_bad_filter_on_a_csv_list_is_a_400_too(client: Client) -> None:
    response = client.get("/api/events/", {"format": "csv", "date_after": "soon"})
    assert response.status_code == 400
    assert "date_after" in response.content.decode()
