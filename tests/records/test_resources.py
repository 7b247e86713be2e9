"""Spreadsheet import and export (records.resources): round trips, good files, refused files.

Every import here goes through ``import_data(dataset, dry_run=False, use_transactions=True,
raise_errors=False, user=...)``, the call the admin makes once a curator confirms the preview.
"""

from __future__ import annotations

import csv
import datetime
import io
import textwrap
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import XLSX

from records.models import Agreement, Citation, Event, Observation, PublicationStatus, Source
from records.resources import (
    PUBLISHED_MESSAGE,
    AgreementResource,
    EventResource,
    ObservationResource,
    SourceResource,
    format_names,
    parse_names,
)
from tests.factories import (
    ActorFactory,
    AgreementFactory,
    CitationFactory,
    CountryFactory,
    EventFactory,
    IndicatorFactory,
    ObservationFactory,
    PlaceFactory,
    SourceFactory,
    SourceWithTextFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

GOOD_QUOTE = "The Treaty of Eternal Friendship was signed in 1998."
BAD_QUOTE = "The Treaty of Eternal Friendship was signed in 1999."

MODELS = ("event", "agreement", "observation", "source")


def load_csv(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(textwrap.dedent(text).strip() + "\n", format="csv")


def import_rows(resource: Any, dataset: tablib.Dataset, user: Any = None) -> Any:
    return resource.import_data(dataset, dry_run=False, use_transactions=True, raise_errors=False, user=user)


def records_csv(*rows: dict[str, str]) -> tablib.Dataset:
    """CSV text with a column for every key any row has (blank where a row has none), read back."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=headers, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return tablib.Dataset().load(text.getvalue(), format="csv")


def assert_imported(result: Any) -> None:
    """No row failed, and none was refused."""
    assert not result.has_errors(), [error.error for row in result.error_rows for error in row.errors]
    assert not result.has_validation_errors(), [(row.number, row.error_dict) for row in result.invalid_rows]


def as_csv_file(dataset: tablib.Dataset) -> tablib.Dataset:
    """What a curator's download turns into when uploaded again: CSV text, read back."""
    return tablib.Dataset().load(dataset.export("csv"), format="csv")


def _user(django_user_model: Any, name: str, codenames: list[str]) -> Any:
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-test-password")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="records", codename__in=codenames))
    # A fresh copy: has_perm() caches permissions on the instance.
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def curator(django_user_model: Any) -> Any:
    """Adds and changes records; may not publish."""
    return _user(django_user_model, "curator", [f"{verb}_{model}" for model in MODELS for verb in ("add", "change")])


@pytest.fixture
def publisher(django_user_model: Any) -> Any:
    """A curator who also holds the Editor's publish permissions."""
    codenames = [f"{verb}_{model}" for model in MODELS for verb in ("add", "change", "publish")]
    return _user(django_user_model, "publisher", codenames)


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """The reference records the CSV files below refer to by slug or code."""
    kz = CountryFactory(code="KZ", code_alpha3="KAZ", name="Kazakhstan")
    uz = CountryFactory(code="UZ", code_alpha3="UZB", name="Uzbekistan")
    return {
        "kz": kz,
        "uz": uz,
        "astana": PlaceFactory(slug="astana", name="Astana", country=kz),
        "tashkent": PlaceFactory(slug="tashkent", name="Tashkent", country=uz),
        "trade": TopicFactory(slug="trade", name="Trade"),
        "borders": TopicFactory(slug="borders", name="Borders"),
        "report": SourceWithTextFactory(slug="report", title="The report"),
        "treaty": AgreementFactory(slug="treaty-1998", title="Treaty of Eternal Friendship"),
        "indicator": IndicatorFactory(slug="trade-turnover", name="Trade turnover"),
        "ministry": ActorFactory(slug="ministry", name="Ministry"),
        "visit": EventFactory(slug="visit-2016", title="Visit"),
    }


# --- Records to export, one builder per resource ---------------------------------------------


def make_events(world: dict[str, Any], count: int) -> None:
    for n in range(count):
        event = EventFactory(date=["2017-03", "2018-21", "2019-07-01/2019-07-05", "[..2018-10]"][n % 4])
        event.places.set([world["astana"], world["tashkent"]][: n % 3])
        event.topics.set([world["trade"]])
        event.agreements.set([world["treaty"]] if n % 2 else [])
        if n % 3 != 2:
            CitationFactory(event=event, source=world["report"], locator=f"p. {n}", quote=GOOD_QUOTE)
            # A second citation: the export shows the first (by id) only.
            CitationFactory(event=event, source=world["report"], locator="p. 9", quote="Trade grew to USD 3 billion")


def make_agreements(world: dict[str, Any], count: int) -> None:
    for n in range(count):
        agreement = AgreementFactory(
            date_signed="2017-03-22", period_covered="2017/2019" if n % 2 else "", place_signed=world["tashkent"]
        )
        agreement.parties.set([world["kz"], world["uz"]])
        agreement.topics.set([world["trade"], world["borders"]][: n % 3])
        CitationFactory(event=None, agreement=agreement, source=world["report"], quote=GOOD_QUOTE)


def make_observations(world: dict[str, Any], count: int) -> None:
    for n in range(count):
        if n % 2:
            observation = ObservationFactory(
                indicator=world["indicator"],
                kind="change",
                change_unit="percent",
                baseline="2017",
                value=Decimal("47.5"),
                qualifier="approximately",
            )
        else:
            observation = ObservationFactory(
                indicator=world["indicator"],
                period="2018-01/2018-09",
                value=Decimal("3000000000"),
                reported_by=world["ministry"],
                agreement=world["treaty"],
                event=world["visit"],
            )
        CitationFactory(event=None, observation=observation, source=world["report"], quote="USD 3 billion in 2018")


def make_sources(world: dict[str, Any], count: int) -> None:
    for n in range(count):
        SourceFactory(
            authors=[{"family": "Muratbekova", "given": "Albina"}, {"literal": "Caspian Policy Center"}],
            editors=[{"literal": "Ministry of Foreign Affairs, Kazakhstan"}, {"family": "Nazarbayev"}][: n % 3],
            published=["2019-07-16", "2019", "2019~"][n % 3],
            accessed=datetime.date(2020, 1, 2),
            issn="2627-7190",
            doi=f"10.1000/xyz{n}",
            url="https://example.org/a",
        )


RESOURCES: dict[str, tuple[type, type, Callable[[dict[str, Any], int], None]]] = {
    "event": (EventResource, Event, make_events),
    "agreement": (AgreementResource, Agreement, make_agreements),
    "observation": (ObservationResource, Observation, make_observations),
    "source": (SourceResource, Source, make_sources),
}


def _counts() -> dict[str, int]:
    return {
        "event": Event.objects.count(),
        "agreement": Agreement.objects.count(),
        "observation": Observation.objects.count(),
        "source": Source.objects.count(),
        "citation": Citation.objects.count(),
    }


# --- Round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", RESOURCES)
def test_export_then_import_changes_nothing(world: dict[str, Any], curator: Any, name: str) -> None:
    """A download uploaded again is all "skip": no record, citation or version changes.

    The records are published and the curator may not publish: unchanged rows are not changes.
    """
    resource_class, model, make = RESOURCES[name]
    make(world, 4)
    counts = _counts()
    versions = dict(model.objects.values_list("pk", "version"))

    result = import_rows(resource_class(), as_csv_file(resource_class().export()), user=curator)

    assert_imported(result)
    assert [row.import_type for row in result.rows] == ["skip"] * model.objects.count()
    assert _counts() == counts
    assert dict(model.objects.values_list("pk", "version")) == versions


def test_xlsx_round_trip_of_events_changes_nothing(world: dict[str, Any], curator: Any) -> None:
    """As the admin does for XLSX: native cell types on export, read back with openpyxl."""
    make_events(world, 4)
    counts = _counts()
    xlsx = XLSX()
    data = xlsx.export_data(EventResource().export(force_native_type=True))

    result = import_rows(EventResource(), xlsx.create_dataset(data), user=curator)

    assert_imported(result)
    assert {row.import_type for row in result.rows} == {"skip"}
    assert _counts() == counts


def test_export_columns_are_flat_and_by_natural_key(world: dict[str, Any]) -> None:
    event = EventFactory(slug="summit-2018", date="2018-21")
    event.places.set([world["astana"], world["tashkent"]])
    event.topics.set([world["trade"]])
    event.agreements.set([world["treaty"]])
    first = CitationFactory(event=event, source=world["report"], locator="p. 1", quote=GOOD_QUOTE)
    CitationFactory(event=event, source=world["report"], locator="p. 2", quote="Trade grew")

    dataset = EventResource().export(queryset=Event.objects.filter(pk=event.pk))

    assert "id" not in dataset.headers
    row = dataset.dict[0]
    assert row["slug"] == "summit-2018"
    assert row["places"] == "astana, tashkent"
    assert row["topics"] == "trade"
    assert row["agreements"] == "treaty-1998"
    assert (row["date"], row["date_lower"], row["date_upper"]) == ("2018-21", "2018-03-01", "2018-05-31")
    assert (row["source"], row["locator"], row["quote"]) == ("report", first.locator, first.quote)
    assert (row["status"], row["version"]) == ("published", "1")
    assert row["updated_at"].endswith("+00:00")


def test_source_names_are_written_the_way_a_person_writes_them() -> None:
    names = [
        {"family": "Muratbekova", "given": "Albina"},
        {"literal": "Caspian Policy Center"},
        {"literal": "Ministry of Foreign Affairs, Kazakhstan"},
        {"family": "Nazarbayev"},
    ]
    text = format_names(names)
    assert text == "Muratbekova, Albina; Caspian Policy Center; {Ministry of Foreign Affairs, Kazakhstan}; Nazarbayev,"
    assert parse_names(text) == names
    assert parse_names("") == []


# --- Good files ------------------------------------------------------------------------------


def test_a_good_events_csv_creates_drafts_with_relations_and_citations(world: dict[str, Any], curator: Any) -> None:
    dataset = records_csv(
        {
            "slug": "visit-2017",
            "title": "State visit",
            "type": "official_visit",
            "date": "2017-03",
            "occurrence": "took_place",
            "places": "astana, tashkent",
            "agreements": "treaty-1998",
            "topics": "trade",
            "source": "report",
            "locator": "p. 1",
            "quote": GOOD_QUOTE,
            "status": "published",
        },
        {"slug": "summit-2018", "title": "Summit", "type": "summit", "date": "2018-21"},
    )
    result = import_rows(EventResource(), dataset, user=curator)

    assert_imported(result)
    assert [row.import_type for row in result.rows] == ["new", "new"]
    visit = Event.objects.get(slug="visit-2017")
    assert visit.status == PublicationStatus.DRAFT  # the status column is not imported
    assert (visit.date_lower, visit.date_upper) == (datetime.date(2017, 3, 1), datetime.date(2017, 3, 31))
    assert {place.slug for place in visit.places.all()} == {"astana", "tashkent"}
    assert [topic.slug for topic in visit.topics.all()] == ["trade"]
    assert [agreement.slug for agreement in visit.agreements.all()] == ["treaty-1998"]
    assert [(c.source.slug, c.locator, c.quote) for c in visit.citations.all()] == [("report", "p. 1", GOOD_QUOTE)]
    assert visit.updated_by == curator
    assert visit.history.first().history_user == curator
    summit = Event.objects.get(slug="summit-2018")
    assert summit.occurrence == "took_place"  # blank is the model's default
    assert not summit.citations.exists()


def test_a_good_agreements_csv_creates_drafts_with_parties_and_citations(world: dict[str, Any], curator: Any) -> None:
    dataset = records_csv(
        {
            "slug": "strategy-2017",
            "title": "Strategy 2017–2019",
            "type": "strategy",
            "legal_status": "",
            "date_signed": "2017-03-22",
            "period_covered": "2017/2019",
            "place_signed": "tashkent",
            "parties": "kz, UZ",
            "topics": "trade, borders",
            "source": "report",
            "locator": "p. 1",
            "quote": GOOD_QUOTE,
        }
    )
    result = import_rows(AgreementResource(), dataset, user=curator)

    assert_imported(result)
    agreement = Agreement.objects.get(slug="strategy-2017")
    assert agreement.status == PublicationStatus.DRAFT
    assert agreement.legal_status == "unknown"
    assert agreement.place_signed == world["tashkent"]
    assert {country.code for country in agreement.parties.all()} == {"KZ", "UZ"}
    assert {topic.slug for topic in agreement.topics.all()} == {"trade", "borders"}
    assert (agreement.period_covered_lower, agreement.period_covered_upper) == (
        datetime.date(2017, 1, 1),
        datetime.date(2019, 12, 31),
    )
    assert agreement.date_signed_lower == agreement.date_signed_upper == datetime.date(2017, 3, 22)
    assert agreement.citations.get().quote == GOOD_QUOTE
    assert agreement.updated_by == curator


def test_a_good_observations_csv_creates_new_figures(world: dict[str, Any], curator: Any) -> None:
    """Blank uuid: a new observation. An unknown uuid: a new one keeping that uuid."""
    kept = uuid.uuid4()
    dataset = records_csv(
        {
            "uuid": "",
            "indicator": "trade-turnover",
            "period": "2018",
            "value": "3000000000",
            "qualifier": "more_than",
            "kind": "actual",
            "reported_by": "ministry",
            "agreement": "treaty-1998",
            "event": "visit-2016",
            "is_preferred": "yes",
            "preferred_reason": "Official",
            "source": "report",
            "locator": "p. 1",
            "quote": "Trade grew to USD 3 billion in 2018",
        },
        {
            "uuid": str(kept),
            "indicator": "trade-turnover",
            "period": "2018-01/2018-09",
            "value": "47.5",
            "kind": "change",
            "change_unit": "percent",
            "baseline": "2017-01/2017-09",
        },
    )
    result = import_rows(ObservationResource(), dataset, user=curator)

    assert_imported(result)
    actual = Observation.objects.get(kind="actual")
    assert actual.value == Decimal("3000000000")
    assert (actual.qualifier, actual.is_preferred) == ("more_than", True)
    assert (actual.reported_by, actual.agreement, actual.event) == (world["ministry"], world["treaty"], world["visit"])
    assert actual.period_lower == datetime.date(2018, 1, 1)
    assert actual.status == PublicationStatus.DRAFT
    assert actual.citations.get().locator == "p. 1"
    change = Observation.objects.get(uuid=kept)
    assert (change.value, change.change_unit, change.qualifier) == (Decimal("47.5"), "percent", "exact")
    assert change.baseline_upper == datetime.date(2017, 9, 30)
    assert change.updated_by == curator


def test_observations_without_a_uuid_column_are_new(world: dict[str, Any], curator: Any) -> None:
    dataset = load_csv(
        """
        indicator,period,value
        trade-turnover,2019,1
        trade-turnover,2020,2
        """
    )
    result = import_rows(ObservationResource(), dataset, user=curator)

    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert Observation.objects.count() == 2


def test_a_good_sources_csv_creates_sources_with_their_authors(world: dict[str, Any], curator: Any) -> None:
    dataset = load_csv(
        """
        slug,title,type,authors,editors,published,url,accessed,language,status
        new-report,New report,report,"Muratbekova, Albina; Caspian Policy Center",,2019-07,https://example.org/r,2020-01-02,en,published
        """
    )
    result = import_rows(SourceResource(), dataset, user=curator)

    assert_imported(result)
    source = Source.objects.get(slug="new-report")
    assert source.authors == [{"family": "Muratbekova", "given": "Albina"}, {"literal": "Caspian Policy Center"}]
    assert source.editors == []
    assert (source.published_lower, source.published_upper) == (datetime.date(2019, 7, 1), datetime.date(2019, 7, 31))
    assert source.accessed == datetime.date(2020, 1, 2)
    assert source.status == PublicationStatus.DRAFT
    assert source.updated_by == curator


def test_a_row_adds_its_citation_once(world: dict[str, Any], curator: Any) -> None:
    """The same citation in a second upload is found, not added again."""
    event = EventFactory(slug="talks", status=PublicationStatus.DRAFT)
    text = f"""
        slug,title,type,date,source,locator,quote
        talks,{event.title},official_visit,2017-03,report,p. 4,{GOOD_QUOTE}
        """
    first = import_rows(EventResource(), load_csv(text), user=curator)
    second = import_rows(EventResource(), load_csv(text), user=curator)

    assert [row.import_type for row in first.rows] == ["update"]
    assert [row.import_type for row in second.rows] == ["skip"]
    assert event.citations.count() == 1


def test_blank_lines_are_skipped_and_a_dry_run_writes_nothing(world: dict[str, Any], curator: Any) -> None:
    dataset = load_csv(
        """
        slug,title,type,date
        ,,,
        new-event,New,summit,2020
        """
    )
    result = EventResource().import_data(dataset, dry_run=True, user=curator)

    assert [row.import_type for row in result.rows] == ["skip", "new"]
    assert not Event.objects.filter(slug="new-event").exists()


# --- Refused files: nothing is written, the row and the reason are reported --------------------

# (resource, header, good row, bad row, column, part of the message)
GOOD_EVENT = f"good-event,Good,summit,2017-03,astana,trade,report,p. 1,{GOOD_QUOTE}"
GOOD_AGREEMENT = f"good-agreement,Good,treaty,1998,KZ,trade,report,p. 1,{GOOD_QUOTE}"
GOOD_OBSERVATION = f",trade-turnover,2018,5,actual,report,p. 1,{GOOD_QUOTE}"
GOOD_SOURCE = 'good-source,Good,report,2019,"Muratbekova, Albina"'
EVENT_HEADER = "slug,title,type,date,places,topics,source,locator,quote"
AGREEMENT_HEADER = "slug,title,type,date_signed,parties,topics,source,locator,quote"
OBSERVATION_HEADER = "uuid,indicator,period,value,kind,source,locator,quote"
SOURCE_HEADER = "slug,title,type,published,authors"

REFUSED = {
    # Events
    "event-bad-date": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,Bad,summit,March 2017,,,report,p. 1,{GOOD_QUOTE}",
        "date",
        "“March 2017” is not a valid EDTF date",
    ),
    "event-unknown-type": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,Bad,banquet,2017,,,report,p. 1,{GOOD_QUOTE}",
        "type",
        "Value 'banquet' is not a valid choice.",
    ),
    "event-unknown-source": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,Bad,summit,2017,,,no-such-source,p. 1,{GOOD_QUOTE}",
        "source",
        "No source has the slug “no-such-source”.",
    ),
    "event-missing-title": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,,summit,2017,,,report,p. 1,{GOOD_QUOTE}",
        "title",
        "This field cannot be blank.",
    ),
    "event-quote-not-in-source": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,Bad,summit,2017,,,report,p. 1,{BAD_QUOTE}",
        "quote",
        "does not occur in the stored text of “The report”. The closest passage is: “The Treaty",
    ),
    "event-unknown-place": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f'bad,Bad,summit,2017,"astana, atlantis",,report,p. 1,{GOOD_QUOTE}',
        "places",
        "No place has the slug “atlantis”.",
    ),
    "event-citation-without-locator": (
        EventResource,
        EVENT_HEADER,
        GOOD_EVENT,
        f"bad,Bad,summit,2017,,,report,,{GOOD_QUOTE}",
        "locator",
        "This field cannot be blank.",
    ),
    # Agreements
    "agreement-bad-date": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f"bad,Bad,treaty,March 2017,KZ,,report,p. 1,{GOOD_QUOTE}",
        "date_signed",
        "“March 2017” is not a valid EDTF date",
    ),
    "agreement-unknown-type": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f"bad,Bad,pact,1998,KZ,,report,p. 1,{GOOD_QUOTE}",
        "type",
        "Value 'pact' is not a valid choice.",
    ),
    "agreement-unknown-source": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f"bad,Bad,treaty,1998,KZ,,no-such-source,p. 1,{GOOD_QUOTE}",
        "source",
        "No source has the slug “no-such-source”.",
    ),
    "agreement-missing-type": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f"bad,Bad,,1998,KZ,,report,p. 1,{GOOD_QUOTE}",
        "type",
        "This field cannot be blank.",
    ),
    "agreement-quote-not-in-source": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f"bad,Bad,treaty,1998,KZ,,report,p. 1,{BAD_QUOTE}",
        "quote",
        "does not occur in the stored text of “The report”",
    ),
    "agreement-unknown-party": (
        AgreementResource,
        AGREEMENT_HEADER,
        GOOD_AGREEMENT,
        f'bad,Bad,treaty,1998,"KZ, XX, YY",,report,p. 1,{GOOD_QUOTE}',
        "parties",
        "No countries have the codes “XX”, “YY”.",
    ),
    # Observations
    "observation-bad-date": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",trade-turnover,March 2017,5,actual,report,p. 1,{GOOD_QUOTE}",
        "period",
        "“March 2017” is not a valid EDTF date",
    ),
    "observation-unknown-kind": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",trade-turnover,2018,5,guess,report,p. 1,{GOOD_QUOTE}",
        "kind",
        "Value 'guess' is not a valid choice.",
    ),
    "observation-unknown-source": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",trade-turnover,2018,5,actual,no-such-source,p. 1,{GOOD_QUOTE}",
        "source",
        "No source has the slug “no-such-source”.",
    ),
    "observation-missing-indicator": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",,2018,5,actual,report,p. 1,{GOOD_QUOTE}",
        "indicator",
        "This field cannot be null.",
    ),
    "observation-missing-value": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",trade-turnover,2018,,actual,report,p. 1,{GOOD_QUOTE}",
        "value",
        "This field cannot be null.",
    ),
    "observation-quote-not-in-source": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",trade-turnover,2018,5,actual,report,p. 1,{BAD_QUOTE}",
        "quote",
        "does not occur in the stored text of “The report”",
    ),
    "observation-unknown-indicator": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f",gdp,2018,5,actual,report,p. 1,{GOOD_QUOTE}",
        "indicator",
        "No indicator has the slug “gdp”.",
    ),
    "observation-value-not-a-number": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f',trade-turnover,2018,"3,000",actual,report,p. 1,{GOOD_QUOTE}',
        "value",
        "“3,000” is not a number",
    ),
    "observation-malformed-uuid": (
        ObservationResource,
        OBSERVATION_HEADER,
        GOOD_OBSERVATION,
        f"not-a-uuid,trade-turnover,2018,5,actual,report,p. 1,{GOOD_QUOTE}",
        "uuid",
        "“not-a-uuid” is not a UUID.",
    ),
    # Sources
    "source-bad-date": (
        SourceResource,
        SOURCE_HEADER,
        GOOD_SOURCE,
        "bad,Bad,report,March 2017,",
        "published",
        "“March 2017” is not a valid EDTF date",
    ),
    "source-unknown-type": (
        SourceResource,
        SOURCE_HEADER,
        GOOD_SOURCE,
        "bad,Bad,blog_post,2019,",
        "type",
        "Value 'blog_post' is not a valid choice.",
    ),
    "source-missing-title": (
        SourceResource,
        SOURCE_HEADER,
        GOOD_SOURCE,
        "bad,,report,2019,",
        "title",
        "This field cannot be blank.",
    ),
    "source-author-without-family-name": (
        SourceResource,
        SOURCE_HEADER,
        GOOD_SOURCE,
        'bad,Bad,report,2019,", Albina"',
        "authors",
        "Each name needs a family name",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_one_bad_last_row_refuses_the_whole_file(world: dict[str, Any], curator: Any, case: str) -> None:
    """Two good rows (each with a citation) and a bad last one: nothing is written at all."""
    resource_class, header, good, bad, column, message = REFUSED[case]
    second_good = good.replace("good-", "second-good-")
    dataset = load_csv("\n".join([header, good, second_good, bad]))
    counts = _counts()

    result = import_rows(resource_class(), dataset, user=curator)

    assert _counts() == counts
    assert not result.has_errors(), [error.error for row in result.error_rows for error in row.errors]
    assert [row.number for row in result.invalid_rows] == [3]
    errors = result.invalid_rows[0].error_dict
    assert column in errors, errors
    assert any(message in text for text in errors[column]), errors[column]


def test_a_bad_first_row_refuses_the_whole_file_too(world: dict[str, Any], curator: Any) -> None:
    dataset = load_csv(
        f"""
        {EVENT_HEADER}
        bad,Bad,summit,March 2017,,,,,
        {GOOD_EVENT}
        """
    )
    result = import_rows(EventResource(), dataset, user=curator)

    assert [row.number for row in result.invalid_rows] == [1]
    assert not Event.objects.filter(slug="good-event").exists()


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_holds_with_real_commits(curator: Any) -> None:
    """Without the test's wrapping transaction: the good rows are not committed either."""
    source = SourceWithTextFactory(slug="report")
    dataset = load_csv(
        f"""
        {EVENT_HEADER}
        good-1,Good,summit,2017,,,report,p. 1,{GOOD_QUOTE}
        good-2,Good,summit,2018,,,report,p. 2,{GOOD_QUOTE}
        bad,Bad,summit,2019,,,report,p. 3,{BAD_QUOTE}
        """
    )
    result = import_rows(EventResource(), dataset, user=curator)

    assert [row.number for row in result.invalid_rows] == [3]
    assert not Event.objects.exists()
    assert not Citation.objects.filter(source=source).exists()
    assert not Event.history.exists()


# --- Published records -----------------------------------------------------------------------

# Per resource: a text column a curator might correct.
EDITED_COLUMN = {"event": "title", "agreement": "title", "observation": "note", "source": "title"}


def _edited_export(name: str) -> tablib.Dataset:
    resource_class, _, _ = RESOURCES[name]
    dataset = as_csv_file(resource_class().export())
    column = EDITED_COLUMN[name]
    rows = dataset.dict
    rows[0][column] = "Corrected"
    edited = tablib.Dataset(headers=dataset.headers)
    for row in rows:
        edited.append([row[header] for header in dataset.headers])
    return edited


@pytest.mark.parametrize("name", RESOURCES)
def test_changing_a_published_record_is_refused_without_the_publish_permission(
    world: dict[str, Any], curator: Any, name: str
) -> None:
    resource_class, model, make = RESOURCES[name]
    make(world, 2)
    before = {obj.pk: (getattr(obj, EDITED_COLUMN[name]), obj.version) for obj in model.objects.all()}

    result = import_rows(resource_class(), _edited_export(name), user=curator)

    assert [row.number for row in result.invalid_rows] == [1]
    assert result.invalid_rows[0].error_dict == {NON_FIELD_ERRORS: [PUBLISHED_MESSAGE]}
    assert {obj.pk: (getattr(obj, EDITED_COLUMN[name]), obj.version) for obj in model.objects.all()} == before


@pytest.mark.parametrize("name", RESOURCES)
def test_a_user_who_may_publish_changes_a_published_record(world: dict[str, Any], publisher: Any, name: str) -> None:
    resource_class, model, make = RESOURCES[name]
    make(world, 2)

    result = import_rows(resource_class(), _edited_export(name), user=publisher)

    assert_imported(result)
    assert [row.import_type for row in result.rows] == ["update"] + ["skip"] * (model.objects.count() - 1)
    changed = model.objects.get(pk=result.rows[0].object_id)
    assert getattr(changed, EDITED_COLUMN[name]) == "Corrected"
    assert (changed.status, changed.version, changed.updated_by) == (PublicationStatus.PUBLISHED, 2, publisher)


def test_adding_a_citation_to_a_published_record_is_a_change(world: dict[str, Any], curator: Any) -> None:
    event = EventFactory(slug="published-event")
    dataset = load_csv(
        f"""
        slug,source,locator,quote
        published-event,report,p. 7,{GOOD_QUOTE}
        """
    )
    result = import_rows(EventResource(), dataset, user=curator)

    assert result.invalid_rows[0].error_dict == {NON_FIELD_ERRORS: [PUBLISHED_MESSAGE]}
    assert not event.citations.exists()


def test_a_draft_is_changed_by_a_curator(world: dict[str, Any], curator: Any) -> None:
    event = EventFactory(slug="draft-event", status=PublicationStatus.IN_REVIEW)
    result = import_rows(EventResource(), load_csv("slug,title\ndraft-event,Renamed"), user=curator)

    assert [row.import_type for row in result.rows] == ["update"]
    event.refresh_from_db()
    assert (event.title, event.status, event.updated_by) == ("Renamed", PublicationStatus.IN_REVIEW, curator)


def test_the_preview_shows_what_will_change_and_writes_nothing(world: dict[str, Any], publisher: Any) -> None:
    """The admin's first step: a dry run whose rows carry the diff it shows."""
    make_events(world, 2)
    result = EventResource().import_data(_edited_export("event"), dry_run=True, user=publisher)

    changed = [row for row in result.rows if row.import_type == "update"]
    assert len(changed) == 1
    assert any("Corrected" in cell for cell in changed[0].diff)
    assert not Event.objects.filter(title="Corrected").exists()


def test_read_only_columns_are_ignored_on_import(world: dict[str, Any], curator: Any) -> None:
    event = EventFactory(slug="draft-event", date="2017-03", status=PublicationStatus.DRAFT)
    dataset = records_csv(
        {
            "slug": "draft-event",
            "title": event.title,
            "type": event.type,
            "date": "2017-03",
            "date_lower": "1900-01-01",
            "date_upper": "not even a date",
            "status": "published",
            "updated_at": "yesterday",
            "version": "99",
        }
    )
    result = import_rows(EventResource(), dataset, user=curator)

    assert [row.import_type for row in result.rows] == ["skip"]
    event.refresh_from_db()
    assert (event.status, event.version, event.date_lower) == ("draft", 1, datetime.date(2017, 3, 1))


# --- Query counts ----------------------------------------------------------------------------


def _export_queries(resource_class: type, model: type, admin_queryset: bool) -> int:
    resource = resource_class()
    with CaptureQueriesContext(connection) as queries:
        dataset = resource.export(queryset=model.objects.all()) if admin_queryset else resource.export()
    assert len(dataset) == model.objects.count()
    return len(queries)


@pytest.mark.parametrize("admin_queryset", [False, True], ids=["own-queryset", "admin-queryset"])
@pytest.mark.parametrize("name", RESOURCES)
def test_export_runs_the_same_queries_for_3_and_12_records(
    world: dict[str, Any], name: str, admin_queryset: bool
) -> None:
    """No query per row, whether the resource picks the records or the admin's changelist does."""
    resource_class, model, make = RESOURCES[name]
    make(world, 3 - model.objects.count())  # the world holds one source, agreement and event already
    small = _export_queries(resource_class, model, admin_queryset)
    make(world, 9)
    large = _export_queries(resource_class, model, admin_queryset)

    assert model.objects.count() == 12
    assert small == large
