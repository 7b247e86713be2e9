"""Drafts and records in review never reach anonymous clients, by any read path of the API.

Each test puts unpublished records on top of the seed, checks that an anonymous client cannot
find them (lists and counts, details, search, CSV, the export, embedded relations, citations,
the changes feed, the reference-manager formats), and that a curator or an editor can, so
every test would fail if the rule "only staff who may view unpublished records see them" broke
either way.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from records.models import Agreement, Citation, Event, Indicator, Observation, PublicationStatus, Source
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    EventFactory,
    IndicatorFactory,
    ObservationFactory,
    SourceWithTextFactory,
)
from tests.records.api.changes_feed import changes_feed

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED
QUOTE = "The Treaty of Eternal Friendship was signed in 1998."

# Published seed records the drafts attach themselves to.
PUBLISHED_EVENT = "mirziyoyev-visit-astana-2017-03"
PUBLISHED_AGREEMENT = "joint-declaration-2017"
PUBLISHED_SOURCE = "cpc-border-brothers-2019"
PUBLISHED_INDICATOR = "trade-turnover"


@dataclass(frozen=True)
class Drafts:
    """The unpublished records of a test, and the citations that tie them to published ones."""

    event: Event  # a draft, related to a published agreement and cited from a published source
    agreement: Agreement  # in review, related to a published event
    source: Source  # a draft, cited by a published event
    observation: Observation  # a draft figure of a published indicator
    event_citation: Citation  # the draft event's citation of a published source
    draft_source_citation: Citation  # a published event's citation of the draft source
    observation_citation: Citation  # the draft observation's citation of a published source

    @property
    def citations(self) -> set[str]:
        return {str(c.uuid) for c in (self.event_citation, self.draft_source_citation, self.observation_citation)}


@pytest.fixture
def drafts(seed: None) -> Drafts:
    published_event = Event.objects.get(slug=PUBLISHED_EVENT)
    published_source = Source.objects.get(slug=PUBLISHED_SOURCE)
    event = EventFactory(slug="zanzibarian-summit", title="A Zanzibarian summit", status=DRAFT)
    event.agreements.add(Agreement.objects.get(slug=PUBLISHED_AGREEMENT))
    agreement = AgreementFactory(slug="quagga-accord", title="The Quagga accord", status=IN_REVIEW)
    published_event.agreements.add(agreement)
    source = SourceWithTextFactory(slug="xylophone-dossier", title="The Xylophone dossier", status=DRAFT)
    observation = ObservationFactory(
        indicator=Indicator.objects.get(slug=PUBLISHED_INDICATOR), period="2031", status=DRAFT
    )
    return Drafts(
        event=event,
        agreement=agreement,
        source=source,
        observation=observation,
        event_citation=CitationFactory(event=event, source=published_source, quote=QUOTE),
        draft_source_citation=CitationFactory(event=published_event, source=source, quote=QUOTE),
        observation_citation=CitationFactory(event=None, observation=observation, source=published_source, quote=QUOTE),
    )


def _rows(client: Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a list (one page of up to 500), checking that ``count`` agrees."""
    response = client.get(path, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def _keys(client: Client, path: str, key: str, **params: Any) -> set[str]:
    return {row[key] for row in _rows(client, path, **params)}


def _csv_keys(client: Client, path: str, key: str) -> set[str]:
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return {row[key] for row in csv.DictReader(io.StringIO(text))}


def _draft_ids(drafts: Drafts) -> list[tuple[str, str, str]]:
    """(list path, identifying field, id) of each unpublished record."""
    return [
        ("/api/events/", "slug", drafts.event.slug),
        ("/api/agreements/", "slug", drafts.agreement.slug),
        ("/api/sources/", "slug", drafts.source.slug),
        ("/api/observations/", "uuid", str(drafts.observation.uuid)),
        *[("/api/citations/", "uuid", uuid) for uuid in sorted(drafts.citations)],
    ]


# --- Lists, counts and details -----------------------------------------------------------------


def test_anonymous_lists_and_counts_leave_out_every_unpublished_record(client: Client, drafts: Drafts) -> None:
    for path, key, identifier in _draft_ids(drafts):
        assert identifier not in _keys(client, path, key), path


def test_curators_and_editors_see_unpublished_records_in_lists_and_counts(
    client: Client, curator_client: Client, editor_client: Client, drafts: Drafts
) -> None:
    """The staff count is the public count plus the unpublished records of that kind."""
    unpublished_by_list: dict[str, int] = {}
    for path, _, _ in _draft_ids(drafts):
        unpublished_by_list[path] = unpublished_by_list.get(path, 0) + 1
    for staff in (curator_client, editor_client):
        for path, key, identifier in _draft_ids(drafts):
            assert identifier in _keys(staff, path, key), path
        for path, unpublished in unpublished_by_list.items():
            public = client.get(path, {"page_size": 1}).json()["count"]
            assert staff.get(path, {"page_size": 1}).json()["count"] == public + unpublished, path


def test_an_unpublished_record_is_a_404_for_anonymous_clients_and_a_200_for_staff(
    client: Client, curator_client: Client, editor_client: Client, drafts: Drafts
) -> None:
    for path, _, identifier in _draft_ids(drafts):
        url = f"{path}{identifier}/"
        anonymous = client.get(url)
        assert anonymous.status_code == 404, url
        assert "detail" in anonymous.json()
        assert curator_client.get(url).status_code == 200, url
        assert editor_client.get(url).status_code == 200, url


def test_an_anonymous_filter_by_publication_status_finds_no_unpublished_agreement(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    assert _keys(client, "/api/agreements/", "slug", publication_status="in_review") == set()
    assert _keys(editor_client, "/api/agreements/", "slug", publication_status="in_review") == {"quagga-accord"}


# --- Search --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "word", "slug"),
    [
        ("/api/events/", "zanzibarian", "zanzibarian-summit"),
        ("/api/agreements/", "quagga", "quagga-accord"),
        ("/api/sources/", "xylophone", "xylophone-dossier"),
    ],
)
def test_search_by_a_word_of_an_unpublished_title_finds_nothing_for_anonymous_clients(
    client: Client, editor_client: Client, drafts: Drafts, path: str, word: str, slug: str
) -> None:
    assert _keys(client, path, "slug", search=word) == set()
    assert _keys(editor_client, path, "slug", search=word) == {slug}


def test_search_does_not_find_a_published_event_by_a_quote_only_a_draft_source_holds(
    client: Client, editor_client: Client, seed: None
) -> None:
    """A draft source's words must not decide what the public search returns: that would let anyone
    probe the text of an unpublished source one word at a time. The stored search document is one
    per record, so the quote counts for nobody until the source is published."""
    source = SourceWithTextFactory(status=DRAFT, full_text="The okapi protocol was initialled in secret.")
    CitationFactory(event=Event.objects.get(slug=PUBLISHED_EVENT), source=source, quote="okapi protocol")
    assert _keys(client, "/api/events/", "slug", search="okapi") == set()
    assert _keys(editor_client, "/api/events/", "slug", search="okapi") == set()

    source.status = PUBLISHED
    source.save()
    assert _keys(client, "/api/events/", "slug", search="okapi") == {PUBLISHED_EVENT}


# --- CSV and the export --------------------------------------------------------------------------


def test_csv_lists_leave_out_unpublished_records_for_anonymous_clients(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    for path, key, identifier in _draft_ids(drafts):
        assert identifier not in _csv_keys(client, path, key), path
        assert identifier in _csv_keys(editor_client, path, key), path


def _export(client: Client) -> zipfile.ZipFile:
    response = client.get("/api/export/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table_keys(archive: zipfile.ZipFile, table: str, key: str) -> set[str]:
    text = archive.read(f"{table}.csv").decode()
    return {row[key] for row in csv.DictReader(io.StringIO(text))}


def test_the_export_leaves_out_unpublished_records_for_anonymous_clients(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    public, staff = _export(client), _export(editor_client)
    for path, key, identifier in _draft_ids(drafts):
        table = path.strip("/").split("/")[-1]
        assert identifier not in _table_keys(public, table, key), table
        assert identifier in _table_keys(staff, table, key), table
    assert "xylophone-dossier" not in public.read("sources.bib").decode()
    assert "xylophone-dossier" in staff.read("sources.bib").decode()


# --- Embedded relations --------------------------------------------------------------------------


def _detail(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_published_event_embeds_no_citation_of_a_draft_source_and_no_agreement_in_review(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    url = f"/api/events/{PUBLISHED_EVENT}/"
    public, staff = _detail(client, url), _detail(editor_client, url)
    assert str(drafts.draft_source_citation.uuid) not in {c["uuid"] for c in public["citations"]}
    assert "xylophone-dossier" not in {c["source"]["slug"] for c in public["citations"]}
    assert "quagga-accord" not in {a["slug"] for a in public["agreements"]}
    assert str(drafts.draft_source_citation.uuid) in {c["uuid"] for c in staff["citations"]}
    assert "quagga-accord" in {a["slug"] for a in staff["agreements"]}


def test_a_published_source_is_not_cited_by_a_draft_record(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    url = f"/api/sources/{PUBLISHED_SOURCE}/"
    public = {c["uuid"] for c in _detail(client, url)["cited_by"]}
    staff = {c["uuid"] for c in _detail(editor_client, url)["cited_by"]}
    hidden = {str(drafts.event_citation.uuid), str(drafts.observation_citation.uuid)}
    assert public & hidden == set()
    assert hidden <= staff
    assert len(public) == Citation.objects.filter(source__slug=PUBLISHED_SOURCE).count() - len(hidden)


def test_a_published_agreement_lists_no_draft_event(client: Client, editor_client: Client, drafts: Drafts) -> None:
    url = f"/api/agreements/{PUBLISHED_AGREEMENT}/"
    assert "zanzibarian-summit" not in {e["slug"] for e in _detail(client, url)["events"]}
    assert "zanzibarian-summit" in {e["slug"] for e in _detail(editor_client, url)["events"]}


def test_a_published_indicator_embeds_no_draft_observation(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    url = f"/api/indicators/{PUBLISHED_INDICATOR}/"
    draft = str(drafts.observation.uuid)
    assert draft not in {o["uuid"] for o in _detail(client, url)["observations"]}
    assert draft in {o["uuid"] for o in _detail(editor_client, url)["observations"]}


def test_a_published_observation_names_no_draft_event_or_agreement(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    observation = ObservationFactory(
        indicator=Indicator.objects.get(slug=PUBLISHED_INDICATOR),
        period="2032",
        event=drafts.event,
        agreement=drafts.agreement,
    )
    url = f"/api/observations/{observation.uuid}/"
    public, staff = _detail(client, url), _detail(editor_client, url)
    assert (public["event"], public["agreement"]) == (None, None)
    assert (staff["event"]["slug"], staff["agreement"]["slug"]) == ("zanzibarian-summit", "quagga-accord")


def test_the_citations_list_holds_no_citation_of_an_unpublished_record_or_source(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    public = _keys(client, "/api/citations/", "uuid")
    assert public & drafts.citations == set()
    assert drafts.citations <= _keys(editor_client, "/api/citations/", "uuid")
    assert "xylophone-dossier" not in {row["source"]["slug"] for row in _rows(client, "/api/citations/")}


# --- The changes feed ----------------------------------------------------------------------------


def test_the_changes_feed_tells_anonymous_clients_nothing_about_unpublished_records(
    client: Client, editor_client: Client, drafts: Drafts
) -> None:
    hidden = {identifier for _, _, identifier in _draft_ids(drafts)}
    public = changes_feed(client, page_size=500)
    assert PUBLISHED_EVENT in {identifier for _, identifier, _ in public}  # the feed does reach the seed
    assert [entry for entry in public if entry[1] in hidden] == []
    assert hidden <= {identifier for _, identifier, _ in changes_feed(editor_client, page_size=500)}


def test_a_published_figure_of_a_draft_indicator_stays_hidden_with_its_indicator(
    client: Client, editor_client: Client, seed: None
) -> None:
    """An observation is visible only when its indicator is too, whatever its own status."""
    figure = ObservationFactory(indicator=IndicatorFactory(slug="okapi-index", status=DRAFT))
    url = f"/api/observations/{figure.uuid}/"
    assert str(figure.uuid) not in _keys(client, "/api/observations/", "uuid")
    assert client.get(url).status_code == 404
    assert str(figure.uuid) not in {identifier for _, identifier, _ in changes_feed(client, page_size=500)}
    assert str(figure.uuid) in _keys(editor_client, "/api/observations/", "uuid")
    assert editor_client.get(url).status_code == 200


# --- Reference-manager formats -------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["bibtex", "ris", "csl-json"])
def test_reference_manager_lists_leave_out_a_draft_source(
    client: Client, editor_client: Client, drafts: Drafts, format_name: str
) -> None:
    public = client.get("/api/sources/", {"format": format_name})
    staff = editor_client.get("/api/sources/", {"format": format_name})
    assert (public.status_code, staff.status_code) == (200, 200)
    assert "Xylophone" not in public.content.decode()
    assert "Caspian Policy Center" in public.content.decode()  # a published source is there
    assert "Xylophone" in staff.content.decode()
    if format_name == "csl-json":
        assert "xylophone-dossier" not in {item["id"] for item in json.loads(public.content)}


@pytest.mark.parametrize("format_name", ["bibtex", "ris", "csl-json"])
def test_a_draft_source_in_a_reference_manager_format_is_a_404_for_anonymous_clients(
    client: Client, editor_client: Client, drafts: Drafts, format_name: str
) -> None:
    url = "/api/sources/xylophone-dossier/"
    assert client.get(url, {"format": format_name}).status_code == 404
    staff = editor_client.get(url, {"format": format_name})
    assert staff.status_code == 200
    assert "Xylophone" in staff.content.decode()
