"""Reading the API: the root, links, what each detail embeds, dates, ETags, CSV, the export and
the reference-manager formats, each checked against what a client would actually parse."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import urlsplit

import bibtexparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.test import Client

from records.models import Event, Place
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    EventFactory,
    EventParticipantFactory,
    IndicatorFactory,
    ObservationFactory,
    PlaceFactory,
    SourceWithTextFactory,
)

pytestmark = pytest.mark.django_db

QUOTE = "The Treaty of Eternal Friendship was signed in 1998."

# Each list, the field that identifies a row, and the field that names it.
LISTS = [
    ("events", "slug", "title"),
    ("agreements", "slug", "title"),
    ("indicators", "slug", "name"),
    ("observations", "uuid", "value_display"),
    ("sources", "slug", "title"),
    ("citations", "uuid", "locator"),
    ("actors", "slug", "name"),
    ("places", "slug", "name"),
    ("countries", "code", "name"),
]
RESOURCES = [name for name, _, _ in LISTS]
# One detail of each kind in the seed.
SEED_DETAILS = [
    "/api/events/mirziyoyev-visit-astana-2017-03/",
    "/api/agreements/joint-declaration-2017/",
    "/api/indicators/trade-turnover/",
    "/api/observations/82896fdb-91b0-5e14-83b8-ac6e2d8dcb02/",
    "/api/sources/cpc-border-brothers-2019/",
    "/api/citations/e29b3a47-f2be-5846-a0c3-26ca7172f652/",
    "/api/actors/shavkat-mirziyoyev/",
    "/api/places/shymkent/",
    "/api/countries/KZ/",
]
SEED_SOURCES = {
    "cpc-border-brothers-2019": "Border Brothers: Uzbekistan and Kazakhstan Continue to Build Strong Ties",
    "eucacis-in-brief-6-baydarov-2019": "Recent Changes in the Kazakh-Uzbek Relations: Interview with Erkin Baydarov",
    "primeminister-kz-first-interregional-forum": "First Interregional Forum Kazakhstan-Uzbekistan held in Shymkent",
}
TRADE_TURNOVER_IN_PERIOD_ORDER = [
    ("ce68b4e7-da2a-5b19-9b1c-ab9a001496d0", "2012", "actual"),
    ("996a372e-a966-54cf-afa4-5aa4b108824e", "2015", "actual"),
    ("dce0c31c-ceef-544f-a995-7e395c498460", "2017", "actual"),
]
PRIMEMINISTER_CITATIONS = {
    ("e29b3a47-f2be-5846-a0c3-26ca7172f652", "event", "first-interregional-forum"),
    ("34107525-8ca5-5771-96f9-82b8a7eb884c", "observation", "82896fdb-91b0-5e14-83b8-ac6e2d8dcb02"),
    ("2356dcb0-62d5-545e-9083-787ad20e780e", "observation", "55d35638-039f-5988-9097-dcc07cab9ffe"),
}


def _json(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def _path(url: str) -> str:
    """The path and query of an absolute URL the API gave out (the test client speaks paths)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _all_pages(client: Client, name: str, page_size: int = 10) -> list[dict[str, Any]]:
    """Every row of a JSON list, following ``next`` from page to page."""
    body = _json(client, f"/api/{name}/", page_size=page_size)
    rows, count = body["results"], body["count"]
    while body["next"]:
        body = _json(client, _path(body["next"]))
        rows += body["results"]
    assert len(rows) == count
    return rows


def _csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- The root and links --------------------------------------------------------------------------


def test_the_api_root_links_every_resource_and_each_link_answers(client: Client, seed: None) -> None:
    root = _json(client, "/api/")
    assert set(RESOURCES) <= set(root)
    for name in RESOURCES:
        assert urlsplit(root[name]).path == f"/api/{name}/"
        assert "results" in _json(client, _path(root[name]))
    for name in ("changes", "export"):
        assert client.get(_path(root[name])).status_code == 200


@pytest.mark.parametrize(("name", "key", "label"), LISTS, ids=RESOURCES)
def test_every_list_row_links_to_its_own_detail(client: Client, seed: None, name: str, key: str, label: str) -> None:
    rows = _all_pages(client, name, page_size=500)
    assert rows
    for row in rows:
        detail = _json(client, _path(row["url"]))
        assert (detail["url"], detail[key], detail[label]) == (row["url"], row[key], row[label])


@pytest.mark.parametrize("url", SEED_DETAILS)
def test_a_detail_links_to_itself(client: Client, seed: None, url: str) -> None:
    assert urlsplit(_json(client, url)["url"]).path.lower() == url.lower()


# --- What details embed --------------------------------------------------------------------------


def test_an_event_detail_embeds_its_places_participants_agreements_and_citations(client: Client) -> None:
    event = EventFactory(slug="summit", date="2019-07-01/2019-07-05")
    event.places.add(PlaceFactory(slug="tashkent-test", name="Tashkent"))
    EventParticipantFactory(event=event, actor__slug="host-actor", actor__name="A host", role="host")
    EventParticipantFactory(event=event, actor__slug="guest-actor", actor__name="A guest", role="visitor")
    event.agreements.add(AgreementFactory(slug="treaty-test", title="A treaty", date_signed="1998"))
    source = SourceWithTextFactory(slug="source-test", title="A source", url="https://example.org/a-source")
    CitationFactory(event=event, source=source, locator="p. 7", quote=QUOTE)

    body = _json(client, "/api/events/summit/")

    assert [(p["slug"], p["name"], p["country"]) for p in body["places"]] == [("tashkent-test", "Tashkent", "KZ")]
    assert {(p["actor"]["slug"], p["actor"]["name"], p["role"]) for p in body["participants"]} == {
        ("host-actor", "A host", "host"),
        ("guest-actor", "A guest", "visitor"),
    }
    assert [(a["slug"], a["title"], a["date_signed"]) for a in body["agreements"]] == [
        ("treaty-test", "A treaty", "1998")
    ]
    [citation] = body["citations"]
    assert citation["source"]["title"] == "A source"
    assert citation["source"]["source_url"] == "https://example.org/a-source"
    assert (citation["locator"], citation["quote"]) == ("p. 7", QUOTE)
    assert urlsplit(citation["source"]["url"]).path == "/api/sources/source-test/"
    for embedded in (body["places"][0], body["participants"][0]["actor"], body["agreements"][0]):
        assert client.get(_path(embedded["url"])).status_code == 200


def test_a_citation_of_a_source_without_a_web_address_has_a_null_source_url(client: Client) -> None:
    CitationFactory(event__slug="an-event", source__url="", quote=QUOTE)
    [citation] = _json(client, "/api/events/an-event/")["citations"]
    assert citation["source"]["source_url"] is None


def test_an_indicator_detail_embeds_its_observations_in_period_order(client: Client, seed: None) -> None:
    body = _json(client, "/api/indicators/trade-turnover/")
    rows = [(o["uuid"], o["period"], o["kind"]) for o in body["observations"]]
    assert len(rows) == 9
    assert rows[:3] == TRADE_TURNOVER_IN_PERIOD_ORDER
    lowers = [o["period_lower"] for o in body["observations"]]
    assert lowers == sorted(lowers)
    assert all(o["indicator"] == "trade-turnover" and o["unit"] == "usd" for o in body["observations"])


def test_an_indicator_detail_embeds_observations_with_their_citations(client: Client) -> None:
    indicator = IndicatorFactory(slug="exports")
    ObservationFactory(indicator=indicator, period="2017", value=2)
    later = ObservationFactory(indicator=indicator, period="2019", value=3)
    CitationFactory(event=None, observation=later, source__slug="a-report", quote=QUOTE)
    body = _json(client, "/api/indicators/exports/")
    assert [(o["period"], o["value"]) for o in body["observations"]] == [("2017", "2.0000"), ("2019", "3.0000")]
    assert [c["source"]["slug"] for c in body["observations"][1]["citations"]] == ["a-report"]


def test_a_source_detail_lists_every_record_citing_it(client: Client, seed: None) -> None:
    body = _json(client, "/api/sources/primeminister-kz-first-interregional-forum/")
    cited_by = {
        (c["uuid"], c["record_type"], c["record"].get("slug") or c["record"].get("uuid")) for c in body["cited_by"]
    }
    assert cited_by == PRIMEMINISTER_CITATIONS
    for citation in body["cited_by"]:
        assert citation["quote"]
        assert citation["locator"]
        assert client.get(_path(citation["record"]["url"])).status_code == 200


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field", "edtf", "lower", "upper"),
    [
        ("/api/events/mirziyoyev-visit-astana-2017-03/", "date", "2017-03", "2017-03-01", "2017-03-31"),
        ("/api/events/mirziyoyev-first-official-visit-spring-2018/", "date", "2018-21", "2018-03-01", "2018-05-31"),
        ("/api/events/demarcation-commission-2019-07/", "date", "2019-07-01/2019-07-05", "2019-07-01", "2019-07-05"),
        ("/api/events/first-interregional-forum/", "date", "[..2018-11-20]", None, "2018-11-20"),
        ("/api/agreements/treaty-of-eternal-friendship-1998/", "date_signed", "1998", "1998-01-01", "1998-12-31"),
        (
            "/api/agreements/economic-cooperation-strategy-2017-2019/",
            "period_covered",
            "2017/2019",
            "2017-01-01",
            "2019-12-31",
        ),
        (
            "/api/observations/82896fdb-91b0-5e14-83b8-ac6e2d8dcb02/",
            "period",
            "2018-01/2018-09",
            "2018-01-01",
            "2018-09-30",
        ),
        (
            "/api/sources/primeminister-kz-first-interregional-forum/",
            "published",
            "[..2018-11-20]",
            None,
            "2018-11-20",
        ),
    ],
)
def test_dates_come_as_edtf_with_their_lower_and_upper_bounds(
    client: Client, seed: None, url: str, field: str, edtf: str, lower: str | None, upper: str | None
) -> None:
    body = _json(client, url)
    assert (body[field], body[f"{field}_lower"], body[f"{field}_upper"]) == (edtf, lower, upper)
    assert body[f"{field}_display"]


def test_a_month_reads_as_the_month_and_the_list_row_carries_the_same_bounds(client: Client, seed: None) -> None:
    detail = _json(client, "/api/events/mirziyoyev-visit-astana-2017-03/")
    assert detail["date_display"] == "March 2017"
    [row] = [r for r in _all_pages(client, "events", page_size=500) if r["slug"] == detail["slug"]]
    assert (row["date"], row["date_lower"], row["date_upper"]) == ("2017-03", "2017-03-01", "2017-03-31")


# --- ETags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", SEED_DETAILS)
def test_a_conditional_get_with_the_current_etag_is_a_304_with_an_empty_body(
    client: Client, seed: None, url: str
) -> None:
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert client.get(url)["ETag"] == etag  # stable while nothing changes
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"stale", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_changed_record_gets_a_new_etag(client: Client, seed: None) -> None:
    url = "/api/events/mirziyoyev-visit-astana-2017-03/"
    before = client.get(url)["ETag"]
    event = Event.objects.get(slug="mirziyoyev-visit-astana-2017-03")
    event.title = "Mirziyoyev in Astana"
    event.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after.json()["title"] == "Mirziyoyev in Astana"
    assert after["ETag"] != before


def test_renaming_an_embedded_place_gives_the_event_a_new_etag(client: Client, seed: None) -> None:
    url = "/api/events/mirziyoyev-visit-astana-2017-03/"
    before = client.get(url)["ETag"]
    Place.objects.filter(slug="astana").update(name="Nur-Sultan")
    after = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


# --- CSV -----------------------------------------------------------------------------------------


def _same_row(json_row: dict[str, Any], csv_row: dict[str, str]) -> None:
    """A CSV row says what the JSON row says: the same columns, the same scalar values."""
    assert list(csv_row) == list(json_row)
    for column, value in json_row.items():
        if value is None:
            assert csv_row[column] == "", column
        elif isinstance(value, str | int | bool):
            assert csv_row[column] == str(value), column
        elif isinstance(value, list):
            assert bool(csv_row[column]) == bool(value), column


@pytest.mark.parametrize(("name", "key", "label"), LISTS, ids=RESOURCES)
def test_a_csv_list_holds_the_same_rows_in_the_same_order_as_the_json_list(
    client: Client, seed: None, name: str, key: str, label: str
) -> None:
    """Every row on one sheet (not one page), whether CSV is asked for by ?format= or Accept."""
    page_size = (_json(client, f"/api/{name}/", page_size=1)["count"] + 2) // 3  # about three pages
    json_rows = _all_pages(client, name, page_size=page_size)
    by_format = _csv_rows(client.get(f"/api/{name}/", {"format": "csv", "page_size": page_size}))
    by_accept = _csv_rows(client.get(f"/api/{name}/", {"page_size": page_size}, HTTP_ACCEPT="text/csv"))
    assert len(json_rows) > page_size
    for csv_rows in (by_format, by_accept):
        assert [(r[key], r[label]) for r in csv_rows] == [(r[key], str(r[label])) for r in json_rows]
        for json_row, csv_row in zip(json_rows, csv_rows, strict=True):
            _same_row(json_row, csv_row)


def test_a_sources_authors_and_editors_are_in_its_csv_row_and_export_row(client: Client, seed: None) -> None:
    """A name is {"family", "given"} (or {"literal"}): the CSV cell must not come out empty."""
    slug = "eucacis-in-brief-6-baydarov-2019"
    [listed] = [row for row in _csv_rows(client.get("/api/sources/", {"format": "csv"})) if row["slug"] == slug]
    [exported] = [row for row in _table(_export(client), "sources.csv")[1] if row["slug"] == slug]
    for row in (listed, exported):
        assert "Muratbekova" in row["authors"]
        assert "Heinecke" in row["editors"]
        assert "Schulz" in row["editors"]


@pytest.mark.parametrize(
    ("name", "key", "params"),
    [
        *[(name, key, {}) for name, key, _ in LISTS],
        ("events", "slug", {"ordering": "type"}),
        ("agreements", "slug", {"ordering": "type"}),
        ("observations", "uuid", {"ordering": "kind"}),
        ("sources", "slug", {"ordering": "-published"}),
    ],
    ids=[*RESOURCES, "events-by-type", "agreements-by-type", "observations-by-kind", "sources-by-date"],
)
def test_paging_through_a_list_gives_every_row_exactly_once_in_the_csv_order(
    client: Client, seed: None, name: str, key: str, params: dict[str, str]
) -> None:
    """Rows that tie on the ordering still need a fixed order, or pages repeat some rows and skip others."""
    paged: list[str] = []
    body = _json(client, f"/api/{name}/", page_size=3, **params)
    while True:
        paged += [row[key] for row in body["results"]]
        if not body["next"]:
            break
        body = _json(client, _path(body["next"]))
    whole = [row[key] for row in _csv_rows(client.get(f"/api/{name}/", {"format": "csv", **params}))]
    assert len(paged) == body["count"] == len(whole)
    assert sorted(paged) == sorted(set(paged)), "a row came on two pages"
    assert paged == whole


def test_a_csv_list_follows_the_filters_and_the_ordering(client: Client, seed: None) -> None:
    params = {"type": "official_visit", "ordering": "-date"}
    json_slugs = [row["slug"] for row in _json(client, "/api/events/", **params)["results"]]
    csv_rows = _csv_rows(client.get("/api/events/", {**params, "format": "csv"}))
    assert [row["slug"] for row in csv_rows] == json_slugs
    assert json_slugs == [
        "tokayev-visit-uzbekistan-2019-03",
        "mirziyoyev-first-official-visit-spring-2018",
        "mirziyoyev-visit-astana-2017-03",
    ]


def test_an_empty_csv_list_still_has_its_header_row(client: Client, seed: None) -> None:
    """A spreadsheet or a script reading an empty result still learns the columns, the same as a full one's."""
    full = client.get("/api/events/", {"format": "csv"})
    empty = client.get("/api/events/", {"format": "csv", "search": "nosuchwordanywhere"})
    full_header = b"".join(full.streaming_content).decode().splitlines()[0]
    assert b"".join(empty.streaming_content).decode().splitlines() == [full_header]
    assert {"url", "slug", "title", "date"} <= set(full_header.split(","))


def test_a_csv_list_is_a_download_named_for_the_resource(client: Client, seed: None) -> None:
    response = client.get("/api/agreements/", {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="agreements.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_a_csv_row_links_to_the_record_not_to_a_csv_of_it(client: Client, seed: None) -> None:
    [row, *_] = _csv_rows(client.get("/api/events/", {"format": "csv"}))
    assert "format" not in row["url"]
    assert client.get(_path(row["url"]))["Content-Type"] == "application/json"


# --- The export ----------------------------------------------------------------------------------


def _export(client: Client) -> zipfile.ZipFile:
    response = client.get("/api/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert re.fullmatch(r'attachment; filename="kz-uz-relations-\d{8}\.zip"', response["Content-Disposition"])
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive: zipfile.ZipFile, path: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(archive.read(path).decode()))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_the_export_holds_one_csv_per_resource_bibtex_and_a_datapackage(client: Client, seed: None) -> None:
    archive = _export(client)
    assert set(archive.namelist()) == {f"{name}.csv" for name in RESOURCES} | {"sources.bib", "datapackage.json"}
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "data-package"
    tables = {resource["name"]: resource for resource in package["resources"] if resource["format"] == "csv"}
    assert set(tables) == set(RESOURCES)
    assert "sources.bib" in {resource["path"] for resource in package["resources"]}
    for name, resource in tables.items():
        assert resource["path"] == f"{name}.csv"
        header, _ = _table(archive, resource["path"])
        assert [field["name"] for field in resource["schema"]["fields"]] == header, name


@pytest.mark.parametrize(("name", "key", "label"), LISTS, ids=RESOURCES)
def test_each_export_table_has_the_lists_columns_and_rows(
    client: Client, seed: None, name: str, key: str, label: str
) -> None:
    header, rows = _table(_export(client), f"{name}.csv")
    list_csv = _csv_rows(client.get(f"/api/{name}/", {"format": "csv"}))
    assert header == list(list_csv[0])
    assert sorted(row[key] for row in rows) == sorted(row[key] for row in list_csv)


def _holds(kind: str, value: str) -> bool:
    """Whether a CSV cell reads as the Table Schema type the datapackage declares (empty is missing)."""
    if value == "":
        return True
    readers = {
        "date": datetime.date.fromisoformat,
        "datetime": datetime.datetime.fromisoformat,
        "integer": int,
        "number": decimal.Decimal,
        "boolean": lambda text: {"true": True, "false": False}[text.lower()],
        "string": str,
    }
    try:
        readers[kind](value)
    except (ValueError, KeyError, decimal.InvalidOperation):
        return False
    return True


def test_every_export_value_reads_as_the_type_its_datapackage_declares(client: Client, seed: None) -> None:
    archive = _export(client)
    package = json.loads(archive.read("datapackage.json"))
    wrong = []
    for resource in package["resources"]:
        if resource["format"] != "csv":
            continue
        _, rows = _table(archive, resource["path"])
        for field in resource["schema"]["fields"]:
            wrong += [
                (resource["name"], field["name"], row[field["name"]])
                for row in rows
                if not _holds(field["type"], row[field["name"]])
            ]
    assert wrong == []
    types = {
        (r["name"], f["name"]): f["type"] for r in package["resources"] if "schema" in r for f in r["schema"]["fields"]
    }
    assert types[("events", "date_lower")] == "date"
    assert types[("events", "version")] == "integer"
    assert types[("events", "updated_at")] == "datetime"


def test_the_exported_bibtex_has_every_source(client: Client, seed: None) -> None:
    library = bibtexparser.parse_string(_export(client).read("sources.bib").decode())
    assert library.failed_blocks == []
    assert {entry.key for entry in library.entries} == set(SEED_SOURCES)


# --- Reference-manager formats -------------------------------------------------------------------


def _unbraced(text: str) -> str:
    return re.sub(r"[{}]", "", text)


def test_sources_as_bibtex_parse_to_one_entry_per_published_source(client: Client, seed: None) -> None:
    response = client.get("/api/sources/", {"format": "bibtex"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sources.bib"'
    library = bibtexparser.parse_string(response.content.decode())
    assert library.failed_blocks == []
    assert {entry.key: _unbraced(entry["title"]) for entry in library.entries} == SEED_SOURCES
    assert len(library.entries) == _json(client, "/api/sources/")["count"]


def test_bibtex_can_also_be_asked_for_by_accept_header(client: Client, seed: None) -> None:
    response = client.get("/api/sources/", HTTP_ACCEPT="application/x-bibtex")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert len(bibtexparser.parse_string(response.content.decode()).entries) == len(SEED_SOURCES)


def test_one_source_and_a_filtered_list_as_bibtex(client: Client, seed: None) -> None:
    one = client.get("/api/sources/cpc-border-brothers-2019/", {"format": "bibtex"})
    assert one["Content-Disposition"] == 'attachment; filename="cpc-border-brothers-2019.bib"'
    [entry] = bibtexparser.parse_string(one.content.decode()).entries
    assert (entry.key, _unbraced(entry["title"])) == ("cpc-border-brothers-2019", SEED_SOURCES[entry.key])
    filtered = client.get("/api/sources/", {"format": "bibtex", "type": "interview"})
    assert [e.key for e in bibtexparser.parse_string(filtered.content.decode()).entries] == [
        "eucacis-in-brief-6-baydarov-2019"
    ]


def _ris_records(text: str) -> list[list[str]]:
    """RIS records as lists of lines, checking the CRLF line ends and the tag layout on the way."""
    assert "\n" not in text.replace("\r\n", "")
    records: list[list[str]] = []
    current: list[str] | None = None
    for line in text.split("\r\n"):
        if not line:
            assert current is None, "a blank line inside a record"
            continue
        assert re.match(r"^[A-Z][A-Z0-9]  - ", line), line
        if line.startswith("TY  - "):
            assert current is None, "TY before the previous record's ER"
            current = [line]
        else:
            assert current is not None, f"{line!r} outside a record"
            current.append(line)
            if line == "ER  - ":
                records.append(current)
                current = None
    assert current is None, "the last record has no ER"
    return records


def test_sources_as_ris_are_records_from_ty_to_er(client: Client, seed: None) -> None:
    response = client.get("/api/sources/", {"format": "ris"})
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    records = _ris_records(response.content.decode())
    assert len(records) == len(SEED_SOURCES)
    for record in records:
        assert record[0].startswith("TY  - ")
        assert record[-1] == "ER  - "
    titles = {line.removeprefix("TI  - ") for record in records for line in record if line.startswith("TI  - ")}
    assert titles == set(SEED_SOURCES.values())


def test_one_source_and_a_filtered_list_as_ris(client: Client, seed: None) -> None:
    [one] = _ris_records(client.get("/api/sources/cpc-border-brothers-2019/", {"format": "ris"}).content.decode())
    assert f"TI  - {SEED_SOURCES['cpc-border-brothers-2019']}" in one
    filtered = _ris_records(
        client.get("/api/sources/", {"format": "ris", "published_after": "2019-01-01"}).content.decode()
    )
    assert len(filtered) == 2


def _bibliography(items: list[dict[str, Any]]) -> list[str]:
    """The items rendered by citeproc-py in the Harvard style it ships with."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_sources_as_csl_json_render_as_a_bibliography(client: Client, seed: None) -> None:
    response = client.get("/api/sources/", {"format": "csl-json"})
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(response.content)
    assert isinstance(items, list)
    assert {item["id"]: item["title"] for item in items} == SEED_SOURCES
    entries = _bibliography(items)
    assert len(entries) == len(SEED_SOURCES)
    for title in SEED_SOURCES.values():
        assert sum(title in entry for entry in entries) == 1, title


def test_one_source_and_a_filtered_list_as_csl_json(client: Client, seed: None) -> None:
    one = json.loads(client.get("/api/sources/eucacis-in-brief-6-baydarov-2019/", {"format": "csl-json"}).content)
    assert [item["id"] for item in one] == ["eucacis-in-brief-6-baydarov-2019"]
    [entry] = _bibliography(one)
    assert SEED_SOURCES["eucacis-in-brief-6-baydarov-2019"] in entry
    assert "Muratbekova" in entry
    filtered = json.loads(client.get("/api/sources/", {"format": "csl-json", "search": "border brothers"}).content)
    assert [item["id"] for item in filtered] == ["cpc-border-brothers-2019"]
    [entry] = _bibliography(filtered)
    assert SEED_SOURCES["cpc-border-brothers-2019"] in entry


def test_a_missing_source_in_a_reference_format_is_a_404(client: Client, seed: None) -> None:
    for format_name in ("bibtex", "ris", "csl-json"):
        assert client.get("/api/sources/no-such-source/", {"format": format_name}).status_code == 404
