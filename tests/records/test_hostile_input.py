"""Hostile input: every way in answers 200/302 or a clear 4xx, never a 500, and odd but legal text
is stored exactly and shown back escaped.

Generated values (hypothesis, bounded and derandomized so CI is deterministic) go through the real
admin add views, the import's preview and confirm views, the API's writes and every list's query
parameters; explicit nasty strings then go through API write → API read (JSON and CSV), admin save →
admin change page, and the public page that shows them.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import resolve
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from records.models import Actor, Agreement, Event, Indicator, Observation, Place, PublicationStatus, Source
from tests.admin_forms import admin_url, form_data
from tests.factories import (
    SOURCE_TEXT,
    AgreementFactory,
    CitationFactory,
    CountryFactory,
    EventFactory,
    IndicatorFactory,
    ObservationFactory,
    SourceWithTextFactory,
)
from tests.records.api.paths import LIST_PATHS
from tests.records.test_admin_import import _confirm, _csv, _preview, _row

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
NUL = "x\x00y"
# Odd but legal: each must come back exactly as sent.
NASTY = {
    "sql": "'; DROP TABLE records_event; --",
    "percent": "100% of _all_ \\ rows",
    "rtl override": "abc \u202eevil\u202c def",
    "arabic rtl": "العلاقات بين كازاخستان وأوزبكستان",
    "combining acute": "Cafe\u0301 e\u0301",
    "precomposed acute": "Café é",
    "emoji": "Summit 🇰🇿🤝🇺🇿 👩‍👩‍👧",
    "astral math": "𝔘𝔷𝔟𝔢𝔨𝔦𝔰𝔱𝔞𝔫",
    "zero-width joiner": "a\u200db\u200c\ufeffc",
    "script": SCRIPT,
    "img onerror": IMG,
    "formula": "=cmd|' /C calc'!A0",
}

# --- Strategies --------------------------------------------------------------------------------

_LONG = st.builds(
    lambda char, n: char * n, st.sampled_from(["x", "é", "😀", "\u202e", "'", "<"]), st.integers(150, 1100)
)
TEXT = st.one_of(st.sampled_from([*NASTY.values(), NUL, "", " ", "\r\n", "\\", "%", "_"]), st.text(max_size=60), _LONG)
# JSON can carry what a form cannot: lone surrogates ("\ud800").
API_TEXT = st.one_of(TEXT, st.text(st.characters(categories=["Cs", "Cc", "Cf"]), max_size=5))
EDTF = st.one_of(
    st.sampled_from(["2016", "2017-03", "2018-21", "2018~", "[..2018-10]", "2019-07-01/2019-07-05", "201X", "0000"]),
    st.sampled_from(["Y-170000002", "Y170000002", "9999-12-31", "10000", "2018-99", "2018-02-30", "../..", "/"]),
    st.from_regex(r"[0-9X?~%./\[\]{},-]{1,20}", fullmatch=True),
    TEXT,
)
SLUG = st.one_of(st.from_regex(r"[a-z0-9-]{1,30}", fullmatch=True), TEXT)
URL = st.one_of(
    st.sampled_from(
        ["https://example.org/a?b=c#d", "javascript:alert(1)", "http://[::1]/", "http://xn--80ak6aa92e.com"]
    ),
    st.builds(lambda host: f"https://{host}.example/", TEXT),
    TEXT,
)
IDENTIFIER = st.one_of(
    st.sampled_from(["2627-7190", "2627-719X", "9783161484100", "316148410X", "10.1000/xyz123", "10./x"]),
    st.from_regex(r"[0-9X-]{0,15}", fullmatch=True),
    TEXT,
)
NUMBER = st.one_of(
    st.sampled_from(
        ["NaN", "Infinity", "-inf", "1e400", "1e-400", "0x10", "1,5", "٣", "-0", "99999999999999999999.99999"]
    ),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers().map(str),
    TEXT,
)
JSON_TEXT = st.one_of(
    st.sampled_from(['["Astana"]', "[]", '{"a": 1}', '"\\u0000"', '["\\ud800"]', "[1, null]", "[", "null"]),
    st.lists(TEXT, max_size=3).map(json.dumps),
    TEXT,
)
NAMES_JSON = st.one_of(
    JSON_TEXT,
    st.lists(st.fixed_dictionaries({}, optional={"family": TEXT, "given": TEXT, "literal": TEXT}), max_size=2).map(
        json.dumps
    ),
)
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), API_TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(API_TEXT, inner, max_size=3)),
    max_leaves=6,
)

_unique = itertools.count()


def _slug(prefix: str) -> str:
    """A slug no earlier example used, so a valid example is saved rather than refused as a duplicate."""
    return f"{prefix}-{next(_unique)}"


# --- Fixtures ----------------------------------------------------------------------------------


def _token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    client.raise_request_exception = False
    return client


@pytest.fixture
def editor_api(editor: Any) -> APIClient:
    return _token_client(editor)


@pytest.fixture
def world() -> dict[str, Any]:
    """A small published dataset that every form, filter and write can refer to."""
    kz = CountryFactory()
    source = SourceWithTextFactory(slug="treaty-text", status=PublicationStatus.PUBLISHED)
    event = EventFactory(slug="base-event", status=PublicationStatus.PUBLISHED)
    agreement = AgreementFactory(slug="base-agreement", status=PublicationStatus.PUBLISHED)
    indicator = IndicatorFactory(slug="base-indicator", status=PublicationStatus.PUBLISHED)
    observation = ObservationFactory(indicator=indicator, status=PublicationStatus.PUBLISHED)
    CitationFactory(source=source, event=event)
    return {
        "country": kz,
        "source": source,
        "event": event,
        "agreement": agreement,
        "indicator": indicator,
        "observation": observation,
    }


def _no_server_error(response: Any) -> None:
    assert response.status_code < 500, getattr(response, "content", b"")[:2000]


# --- 1. Generated values through the admin forms -----------------------------------------------


def _admin_case(world: dict[str, Any]) -> dict[type, tuple[dict[str, str], dict[str, Any]]]:
    """Per model: a valid POST beyond the rendered form's own fields, and the fields to fuzz."""
    source, indicator = world["source"].pk, world["indicator"].pk
    citation = {
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": str(source),
        "citations-0-locator": "p. 1",
        "citations-0-quote": "The Treaty of Eternal Friendship was signed in 1998.",
    }
    cited_fields = {
        f"citations-0-{name}": TEXT for name in ("locator", "quote", "quote_prefix", "quote_suffix", "note")
    }
    return {
        Event: (
            {"title": "Base", "type": "summit", **citation},
            {"title": TEXT, "slug": SLUG, "date": EDTF, "description": TEXT, "conflict_note": TEXT, **cited_fields},
        ),
        Agreement: (
            {"title": "Base", "type": "treaty", "party_steps-TOTAL_FORMS": "1", "party_steps-0-step": "signature"},
            {
                "title": TEXT,
                "short_title": TEXT,
                "slug": SLUG,
                "date_signed": EDTF,
                "period_covered": EDTF,
                "summary": TEXT,
                "party_steps-0-country": st.sampled_from(["KZ", str(world["country"].pk), "\x00", "999999999999"]),
                "party_steps-0-date": EDTF,
                "party_steps-0-note": TEXT,
            },
        ),
        Source: (
            {"title": "Base", "type": "report", "authors": "[]", "editors": "[]"},
            {
                "title": TEXT,
                "slug": SLUG,
                "container_title": TEXT,
                "number": TEXT,
                "authors": NAMES_JSON,
                "publisher": TEXT,
                "published": EDTF,
                "url": URL,
                "accessed": st.one_of(st.sampled_from(["2019-02-30", "99999-01-01", "2019-07-16"]), TEXT),
                "issn": IDENTIFIER,
                "isbn": IDENTIFIER,
                "doi": IDENTIFIER,
                "language": st.one_of(st.sampled_from(["en", "kk-Cyrl", "x" * 21]), TEXT),
                "full_text": TEXT,
                "note": TEXT,
            },
        ),
        Actor: (
            {"name": "Base", "kind": "person", "alternative_names": "[]"},
            {"name": TEXT, "slug": SLUG, "alternative_names": JSON_TEXT, "description": TEXT},
        ),
        Place: (
            {"name": "Base", "kind": "city", "country": str(world["country"].pk), "alternative_names": "[]"},
            {"name": TEXT, "slug": SLUG, "alternative_names": JSON_TEXT, "latitude": NUMBER, "longitude": NUMBER},
        ),
        Indicator: (
            {"name": "Base", "unit": "usd", "observations-TOTAL_FORMS": "1", "observations-0-period": "2018"},
            {
                "name": TEXT,
                "slug": SLUG,
                "description": TEXT,
                "observations-0-period": EDTF,
                "observations-0-value": NUMBER,
            },
        ),
        Observation: (
            {"indicator": str(indicator), "period": "2018", "value": "1", **citation},
            {"period": EDTF, "value": NUMBER, "baseline": EDTF, "preferred_reason": TEXT, "note": TEXT, **cited_fields},
        ),
    }


@pytest.mark.parametrize(
    "model", [Event, Agreement, Source, Actor, Place, Indicator, Observation], ids=lambda m: m.__name__
)
@FUZZ
@given(data=st.data())
def test_generated_values_in_the_admin_add_forms_are_saved_or_refused_never_a_500(
    editor_client: Client, world: dict[str, Any], model: type, data: st.DataObject
) -> None:
    """Text, EDTF dates, slugs, URLs, ISSN/ISBN/DOI, numbers and JSON through the real add view."""
    editor_client.raise_request_exception = False
    valid, fuzzed = _admin_case(world)[model]
    changes = data.draw(st.fixed_dictionaries({}, optional=fuzzed))
    post = {**form_data(editor_client.get(admin_url(model, "add"))), "slug": _slug("admin"), **valid, **changes}
    response = editor_client.post(admin_url(model, "add"), post)
    assert response.status_code in (200, 302), response.content[:2000]


@FUZZ
@given(changes=st.fixed_dictionaries({}, optional={"title": TEXT, "date": EDTF, "description": TEXT}))
def test_generated_values_in_the_admin_change_form_are_saved_or_refused_never_a_500(
    editor_client: Client, world: dict[str, Any], changes: dict[str, str]
) -> None:
    editor_client.raise_request_exception = False
    url = admin_url(Event, "change", world["event"].pk)
    response = editor_client.post(url, {**form_data(editor_client.get(url)), **changes})
    assert response.status_code in (200, 302), response.content[:2000]


# --- 1. Generated cells through the import -----------------------------------------------------

CELL = st.one_of(
    TEXT,
    st.sampled_from(['=cmd|" /C calc"!A0', "+1+1", "-2+3", "@SUM(A1)", '"', '""', ",", ";", "\t", '"a,"b"', "\r"]),
)
COLUMNS = list(_row("x"))


@FUZZ
@given(
    cells=st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(COLUMNS, CELL)), min_size=1, max_size=3),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1251"]),
)
def test_generated_csv_cells_are_imported_or_reported_per_row_never_a_500(
    curator_client: Client, world: dict[str, Any], cells: list[dict[str, str]], encoding: str
) -> None:
    """NUL, very long cells, formulas, quotes and delimiters, and files in other encodings."""
    curator_client.raise_request_exception = False
    rows = [{**_row(_slug("imported")), **row} for row in cells]
    content = _csv(*rows).decode().encode(encoding, errors="replace")
    preview = _preview(curator_client, content)
    assert preview.status_code == 200, preview.content[:2000]
    if preview.context.get("confirm_form") is not None:
        _no_server_error(_confirm(curator_client, preview))


@FUZZ
@given(content=st.binary(max_size=300))
def test_a_file_of_random_bytes_is_refused_with_a_form_error(
    curator_client: Client, world: dict[str, Any], content: bytes
) -> None:
    curator_client.raise_request_exception = False
    assert _preview(curator_client, b"slug,title,type,date\r\n" + content).status_code == 200


# --- 1. Generated JSON through the API's writes ------------------------------------------------


def _api_case(world: dict[str, Any]) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Per resource: a valid body and the fields to fuzz (every writable one)."""
    return {
        "events": (
            {"title": "Base", "type": "summit"},
            ["slug", "title", "type", "date", "occurrence", "description", "conflict_note", "places", "topics"],
        ),
        "agreements": (
            {"title": "Base", "type": "treaty"},
            ["title", "short_title", "legal_status", "date_signed", "period_covered", "parties", "summary"],
        ),
        "sources": (
            {"title": "Base", "type": "report"},
            [
                *("title", "container_title", "authors", "editors", "published", "source_url", "accessed"),
                *("issn", "isbn", "doi", "language", "full_text", "full_text_archived_on", "note"),
            ],
        ),
        "actors": ({"name": "Base", "kind": "person"}, ["name", "kind", "alternative_names", "country"]),
        "places": (
            {"name": "Base", "kind": "city", "country": "KZ"},
            ["name", "country", "parent", "alternative_names", "latitude", "longitude", "description"],
        ),
        "indicators": ({"name": "Base", "unit": "usd"}, ["name", "unit", "description", "topic"]),
        "observations": (
            {"indicator": "base-indicator", "period": "2018", "value": "1"},
            [
                *("indicator", "period", "value", "qualifier", "kind", "baseline", "reported_by", "event"),
                *("preferred", "preferred_reason", "note"),
            ],
        ),
        "citations": (
            {"source": "treaty-text", "record_type": "event", "record": "base-event", "locator": "p. 1"},
            ["source", "record_type", "record", "locator", "quote", "quote_prefix", "quote_suffix", "note"],
        ),
    }


API_FIELD_VALUE = st.one_of(API_TEXT, EDTF, NUMBER, JSON_VALUE)


@pytest.mark.parametrize(
    "resource", ["events", "agreements", "sources", "actors", "places", "indicators", "observations", "citations"]
)
@FUZZ
@given(data=st.data())
def test_generated_json_posted_to_the_api_is_created_or_a_400_never_a_500(
    editor_api: APIClient, world: dict[str, Any], resource: str, data: st.DataObject
) -> None:
    valid, fields = _api_case(world)[resource]
    changes = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, API_FIELD_VALUE)))
    body = {"slug": _slug("api"), "quote": "The Treaty of Eternal Friendship", **valid, **changes}
    response = editor_api.post(f"/api/{resource}/", json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400), response.content[:2000]


@FUZZ
@given(body=st.one_of(st.dictionaries(API_TEXT, API_FIELD_VALUE, max_size=4), JSON_VALUE))
def test_generated_json_patched_onto_an_event_is_saved_or_a_400_never_a_500(
    editor_api: APIClient, world: dict[str, Any], body: Any
) -> None:
    response = editor_api.patch(
        "/api/events/base-event/", json.dumps(body), content_type="application/json", HTTP_IF_MATCH="*"
    )
    assert response.status_code in (200, 400), response.content[:2000]


@pytest.mark.parametrize(
    "content",
    [b'{"title": "a', b"\xff\xfe", b'{"title": NaN}', b"[" * 5000, b'{"title": "\\ud800"}', b"\x00"],
    ids=["truncated", "not utf-8", "NaN", "deep nesting", "lone surrogate", "NUL byte"],
)
def test_a_malformed_json_body_is_a_400(editor_api: APIClient, world: dict[str, Any], content: bytes) -> None:
    response = editor_api.post("/api/events/", content, content_type="application/json")
    assert response.status_code == 400, response.content[:2000]


# --- 2. Nasty strings: stored exactly, shown escaped --------------------------------------------


@pytest.mark.parametrize("text", NASTY.values(), ids=NASTY.keys())
def test_nasty_text_written_through_the_api_reads_back_exactly_and_renders_escaped(
    editor_api: APIClient, client: Client, world: dict[str, Any], text: str
) -> None:
    """JSON and CSV return it verbatim (no normalisation, no formula prefix); pages escape it."""
    body = {"slug": "nasty", "title": text, "type": "summit", "description": text, "conflict_note": text}
    response = editor_api.post("/api/events/", body, format="json")
    assert response.status_code == 201, response.json()
    event = Event.objects.get(slug="nasty")
    assert (event.title, event.description, event.conflict_note) == (text, text, text)
    assert Event.objects.filter(title=text).exists(), "the stored bytes match the query's: nothing was normalised"

    detail = editor_api.get("/api/events/nasty/").json()
    assert (detail["title"], detail["description"]) == (text, text)
    export = editor_api.get("/api/events/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert next(row for row in rows if row["slug"] == "nasty")["title"] == text

    Event.objects.filter(pk=event.pk).update(status=PublicationStatus.PUBLISHED)
    for page in (client.get("/events/nasty/"), client.get("/events/"), client.get("/search/", {"q": "DROP"})):
        assert page.status_code == 200
        assert SCRIPT not in page.content.decode()
        assert "<img src=x" not in page.content.decode()
    assert escape(text) in client.get("/events/nasty/").content.decode()


@pytest.mark.parametrize("text", NASTY.values(), ids=NASTY.keys())
def test_nasty_text_saved_in_the_admin_is_stored_exactly_and_escaped_on_its_change_page(
    editor_client: Client, world: dict[str, Any], text: str
) -> None:
    url = admin_url(Event, "change", world["event"].pk)
    post = {**form_data(editor_client.get(url)), "title": text, "description": text}
    post["citations-0-locator"] = post["citations-0-note"] = text
    assert editor_client.post(url, post).status_code == 302
    event = Event.objects.get(pk=world["event"].pk)
    citation = event.citations.get()
    assert (event.title, event.description, citation.locator, citation.note) == (text, text, text, text)

    page = editor_client.get(url).content.decode()
    assert escape(text) in page
    assert SCRIPT not in page
    assert "<img src=x" not in page
    public = Client().get(f"/events/{event.slug}/").content.decode()
    assert escape(text) in public
    assert SCRIPT not in public
    # The SQL was data, not a statement.
    assert Event.objects.count() == 1


def test_combining_marks_are_kept_as_written_not_normalised(editor_api: APIClient, world: dict[str, Any]) -> None:
    """ "e" + U+0301 and the precomposed "é" look alike but are different text; both are kept as sent."""
    for slug, title in (("decomposed", "Cafe\u0301"), ("precomposed", "Café")):
        assert editor_api.post("/api/events/", {"slug": slug, "title": title, "type": "summit"}).status_code == 201
    assert Event.objects.get(slug="decomposed").title == "Cafe\u0301"
    assert Event.objects.get(slug="precomposed").title == "Café"
    assert len(Event.objects.get(slug="decomposed").title) == 5


# Each field's max_length, counted in characters (an astral emoji is one) on both databases.
LIMITS = [
    ("events", {"type": "summit"}, "title", 300),
    ("agreements", {"title": "A", "type": "treaty"}, "short_title", 200),
    ("sources", {"title": "S", "type": "report"}, "title", 500),
    ("sources", {"title": "S", "type": "report"}, "container_title", 300),
    ("actors", {"kind": "person"}, "name", 200),
    ("places", {"kind": "city", "country": "KZ"}, "name", 200),
    ("indicators", {"unit": "usd"}, "name", 300),
]


@pytest.mark.parametrize(("resource", "valid", "field", "limit"), LIMITS, ids=[f"{r[0]}.{r[2]}" for r in LIMITS])
def test_text_at_a_fields_max_length_is_stored_exactly_and_one_more_is_a_400_naming_it(
    editor_api: APIClient, world: dict[str, Any], resource: str, valid: dict[str, str], field: str, limit: int
) -> None:
    at_limit = "😀" * (limit - 1) + "é"
    created = editor_api.post(f"/api/{resource}/", {"slug": "at-limit", **valid, field: at_limit}, format="json")
    assert created.status_code == 201, created.json()
    assert editor_api.get(f"/api/{resource}/at-limit/").json()[field] == at_limit

    too_long = editor_api.post(f"/api/{resource}/", {"slug": "past", **valid, field: at_limit + "x"}, format="json")
    assert too_long.status_code == 400
    assert f"no more than {limit} characters" in too_long.json()[field][0]


def test_a_title_past_its_max_length_is_a_form_error_in_the_admin(editor_client: Client, world: dict[str, Any]) -> None:
    url = admin_url(Event, "change", world["event"].pk)
    post = form_data(editor_client.get(url))
    response = editor_client.post(url, {**post, "title": "😀" * 301})
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert editor_client.post(url, {**post, "title": "😀" * 300}).status_code == 302
    assert Event.objects.get(pk=world["event"].pk).title == "😀" * 300


# --- 2. NUL: refused by name everywhere (PostgreSQL text cannot hold it; SQLite refuses it too) ---

API_NUL_WRITES = [
    ("events", {"slug": "n", "title": NUL, "type": "summit"}, "title"),
    ("events", {"slug": "n", "title": "T", "type": "summit", "places": [NUL]}, "places"),
    ("events", {"slug": "n", "title": "T", "type": "summit", "topics": [NUL]}, "topics"),
    ("sources", {"slug": "n", "title": "T", "type": "report", "authors": [{"family": NUL}]}, "authors"),
    ("sources", {"slug": "n", "title": "T", "type": "report", "authors": [{"literal": "\ud800"}]}, "authors"),
    ("sources", {"slug": "n", "title": "T", "type": "report", "full_text": NUL}, "full_text"),
    ("actors", {"slug": "n", "name": "N", "kind": "person", "alternative_names": [NUL]}, "alternative_names"),
    ("actors", {"slug": "n", "name": "N", "kind": "person", "alternative_names": {NUL: "x"}}, "alternative_names"),
    ("actors", {"slug": "n", "name": "N", "kind": "person", "country": NUL}, "country"),
    (
        "places",
        {"slug": "n", "name": "N", "kind": "city", "country": "KZ", "alternative_names": ["\udfff"]},
        "alternative_names",
    ),
    ("places", {"slug": "n", "name": "N", "kind": "city", "country": NUL}, "country"),
    ("observations", {"indicator": NUL, "period": "2018", "value": "1"}, "indicator"),
    ("citations", {"source": NUL, "record_type": "event", "record": "base-event", "locator": "p"}, "source"),
    ("citations", {"source": "treaty-text", "record_type": "event", "record": NUL, "locator": "p"}, "record"),
]


@pytest.mark.parametrize(("resource", "body", "field"), API_NUL_WRITES, ids=[f"{w[0]}.{w[2]}" for w in API_NUL_WRITES])
def test_nul_or_a_lone_surrogate_in_an_api_write_is_a_400_naming_the_field(
    editor_api: APIClient, world: dict[str, Any], resource: str, body: dict[str, Any], field: str
) -> None:
    response = editor_api.post(f"/api/{resource}/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content[:2000]
    assert field in response.json()
    assert not Event.objects.filter(slug="n").exists()


def test_json_null_posted_as_a_form_field_is_a_400_not_a_database_error(editor_api: APIClient) -> None:
    """A multipart post's "null" decodes to None after DRF's null check; the model refuses it."""
    body = {"slug": "n", "name": "N", "kind": "person", "alternative_names": "null"}
    response = editor_api.post("/api/actors/", body, format="multipart")
    assert response.status_code == 400
    assert response.json()["alternative_names"] == ["This field cannot be null."]
    assert not Actor.objects.filter(slug="n").exists()


def test_a_source_with_full_text_can_be_created_through_the_api(editor_api: APIClient) -> None:
    """Stored exactly as sent (the final newline too); its SHA-256 is computed before validation,
    so the constraint pairing them holds."""
    body = {"slug": "with-text", "title": "T", "type": "report", "full_text": SOURCE_TEXT}
    assert editor_api.post("/api/sources/", body, format="json").status_code == 201
    assert Source.objects.get(slug="with-text").full_text == SOURCE_TEXT


@pytest.mark.parametrize(
    ("model", "field", "valid"),
    [(Event, "title", {}), (Event, "citations-0-quote", {}), (Actor, "alternative_names", {})],
    ids=["event title", "citation quote", "actor alternative names (JSON)"],
)
def test_nul_in_an_admin_form_is_a_form_error_naming_the_field(
    editor_client: Client, world: dict[str, Any], model: type, field: str, valid: dict[str, str]
) -> None:
    record = world["event"] if model is Event else Actor.objects.create(slug="actor", name="A", kind="person")
    url = admin_url(model, "change", record.pk)
    value = '["x\\u0000"]' if field == "alternative_names" else NUL
    response = editor_client.post(url, {**form_data(editor_client.get(url)), field: value})
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors) + str(
        [formset.formset.errors for formset in response.context["inline_admin_formsets"]]
    )
    assert "Null characters are not allowed" in errors


def test_a_lone_surrogate_in_admin_json_is_a_form_error_and_the_page_still_renders(
    editor_client: Client, world: dict[str, Any]
) -> None:
    """Django redisplays JSON unescaped; a lone surrogate would make the error page unencodable."""
    actor = Actor.objects.create(slug="actor", name="A", kind="person")
    url = admin_url(Actor, "change", actor.pk)
    response = editor_client.post(url, {**form_data(editor_client.get(url)), "alternative_names": '["\\ud800"]'})
    assert response.status_code == 200
    assert "Surrogate characters are not allowed" in str(response.context["adminform"].form.errors)
    assert Actor.objects.get(pk=actor.pk).alternative_names == []


@pytest.mark.parametrize("value", ["KZ", NUL, "99999999999999999999999"], ids=["a code, not an id", "NUL", "huge id"])
def test_a_wrong_id_in_an_autocomplete_field_is_a_form_error(
    editor_client: Client, world: dict[str, Any], value: str
) -> None:
    """The autocomplete widget redisplays the submitted ids; one that is not an id must not break it."""
    url = admin_url(Agreement, "add")
    post = {**form_data(editor_client.get(url)), "title": "T", "slug": "t", "type": "treaty", "parties": [value]}
    post |= {"party_steps-TOTAL_FORMS": "1", "party_steps-0-step": "signature", "party_steps-0-country": value}
    response = editor_client.post(url, post)
    assert response.status_code == 200
    assert "parties" in response.context["adminform"].form.errors
    assert not Agreement.objects.filter(slug="t").exists()


def test_nul_in_an_imported_file_is_refused_with_a_form_error(curator_client: Client, world: dict[str, Any]) -> None:
    preview = _preview(curator_client, _csv(_row("with-nul", title=NUL)))
    assert preview.status_code == 200
    assert "NUL" in preview.content.decode()
    assert not Event.objects.filter(slug="with-nul").exists()


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/events/?search=%00", "search"),
        ("/api/events/?actor=a%00", "actor"),
        ("/api/events/?country=%00", "country"),
        ("/api/agreements/?party=%00", "party"),
        ("/api/sources/?search=%00", "search"),
        ("/api/observations/?indicator=%00", "indicator"),
        ("/api/citations/?source=%00", "source"),
        ("/api/events/?format=csv&search=%00", "search"),
        ("/events/?search=%00", "search"),
        ("/events/?place=%00", "place"),
        ("/agreements/?search=%00", "search"),
        ("/sources/?search=%00", "search"),
        ("/search/?q=%00", "q"),
        ("/search/?q=treaty%00", "q"),
    ],
)
def test_nul_in_a_query_parameter_is_a_400_naming_it(
    client: Client, world: dict[str, Any], url: str, parameter: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert parameter in response.content.decode()
    assert "Null characters are not allowed" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/events/%00/", "/api/events/a%00b/", "/api/sources/%00/", "/api/citations/%00/"])
def test_nul_in_a_detail_url_is_a_404(client: Client, world: dict[str, Any], url: str) -> None:
    assert client.get(url).status_code == 404


def test_nul_in_the_admin_list_search_is_answered_without_error(editor_client: Client, world: dict[str, Any]) -> None:
    editor_client.raise_request_exception = False
    assert editor_client.get(admin_url(Event, "changelist"), {"q": NUL}).status_code in (200, 302, 400)


# --- 3. Query parameters on every list --------------------------------------------------------

PUBLIC_LISTS = ["/events/", "/agreements/", "/sources/", "/indicators/", "/search/", "/"]
API_LISTS = [*LIST_PATHS, "/api/changes/"]
PAGE_PARAMETERS = ["page", "page_size", "ordering", "format", "q", "since", "cursor"]
RAW_FRAGMENTS = ["%ff", "%", "%zz", "%c3%28", "%ed%a0%80", "%00", "&&", "=", "a=b=c", "%2500"]
PARAMETER_VALUE = st.one_of(
    TEXT,
    st.sampled_from(["99999999999999999999", "-1", "0", ",,,,", "-", "-,-", "title,-title", "csv", "9" * 5000]),
    st.sampled_from(["2018", "2018-01-01", "2018-13-45", "2026-11-01T00:00:00+99:00", "summit", "kz", "true"]),
)


def _parameters(path: str) -> list[str]:
    view = resolve(path).func
    filterset = getattr(getattr(view, "cls", None), "filterset_class", None)
    names = list(filterset.base_filters) if filterset is not None else []
    if path in PUBLIC_LISTS:
        names += {"/events/": ["type", "date_after", "search"], "/agreements/": ["sort", "type"]}.get(path, [])
    return [*names, *PAGE_PARAMETERS]


@pytest.mark.parametrize("path", PUBLIC_LISTS + API_LISTS)
@FUZZ
@given(data=st.data())
def test_generated_query_parameters_get_a_200_or_a_4xx_never_a_500(
    client: Client, world: dict[str, Any], path: str, data: st.DataObject
) -> None:
    """Every filter, repeated parameters, huge values and invalid percent-encodings."""
    client.raise_request_exception = False
    names = st.sampled_from(_parameters(path))
    pairs = data.draw(st.lists(st.tuples(names, PARAMETER_VALUE), max_size=4))
    raw = data.draw(st.lists(st.sampled_from(RAW_FRAGMENTS), max_size=2))
    query = "&".join([*(f"{quote(name)}={quote(value, safe='')}" for name, value in pairs), *raw])
    response = client.get(f"{path}?{query}")
    if path in PUBLIC_LISTS:
        assert response.status_code in (200, 400), response.content[:2000]
    else:
        _no_server_error(response)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/events/?page=99999999999999999999", 404),
        ("/api/events/?page_size=-1", 400),
        ("/api/events/?page=0", 400),
        ("/api/events/?ordering=,,,,", 200),
        ("/api/events/?ordering=nonsense", 400),
        ("/events/?page=99999999999999999999", 200),
        ("/events/?page_size=-1", 200),
        ("/agreements/?ordering=,,,,", 200),
        ("/agreements/?ordering=-,-", 400),
        ("/events/?search=%ff%fe", 200),
    ],
)
def test_odd_paging_and_ordering_get_a_clear_answer(
    client: Client, world: dict[str, Any], url: str, expected: int
) -> None:
    assert client.get(url).status_code == expected


def test_an_empty_ordering_keeps_the_pages_default_order(client: Client, world: dict[str, Any]) -> None:
    """``ordering=,,,,`` names no field: the default order stays (django-filter would clear it)."""
    AgreementFactory(slug="second", status=PublicationStatus.PUBLISHED)
    default = client.get("/agreements/").context["page"].object_list
    empty = client.get("/agreements/", {"ordering": ",,,,"}).context["page"].object_list
    assert [a.slug for a in empty] == [a.slug for a in default]
    assert empty.ordered
