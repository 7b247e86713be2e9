"""What the database itself refuses, whatever code writes to it; and what the models do on save and clean.

Each refused write bypasses model validation and ``save()`` (``QuerySet.update()``, or a plain
``save()``/``create()`` where ``save()`` adds nothing to the point), so only the database's own
constraint can stop it. Each is checked against the constraint's name (or, for a unique column
on SQLite, which names columns rather than constraints, the column), so a write refused for some
other reason does not pass.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.models import (
    CITED_RECORD_FIELDS,
    AgreementRelation,
    ChangeUnit,
    Citation,
    Country,
    Event,
    Observation,
    ObservationKind,
    PartyStep,
    Place,
    Qualifier,
    RelationType,
    Source,
    StepKind,
    Unit,
)
from records.models.source import validate_issn, validate_names
from tests.factories import (
    SOURCE_TEXT,
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

D = datetime.date


@contextmanager
def refused_by_the_database(constraint: str) -> Iterator[None]:
    """Expect an ``IntegrityError`` naming ``constraint`` (a regular expression), in a savepoint."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


# Events


def test_event_ending_before_it_starts_is_refused_by_the_database() -> None:
    event = EventFactory(date="2017-03")
    with refused_by_the_database("event_date_ends_after_start"):
        Event.objects.filter(pk=event.pk).update(date_lower=D(2017, 4, 1), date_upper=D(2017, 3, 31))


def test_event_ending_the_day_it_starts_is_accepted_by_the_database() -> None:
    event = EventFactory(date="2017-03")
    Event.objects.filter(pk=event.pk).update(date_lower=D(2017, 3, 31), date_upper=D(2017, 3, 31))
    event.refresh_from_db()
    assert (event.date_lower, event.date_upper) == (D(2017, 3, 31), D(2017, 3, 31))


def test_event_date_without_bounds_is_refused_by_the_database() -> None:
    event = EventFactory(date="2017-03")
    with refused_by_the_database("event_date_bounds_match"):
        Event.objects.filter(pk=event.pk).update(date_lower=None, date_upper=None)


def test_event_with_an_unknown_publication_status_is_refused_by_the_database() -> None:
    event = EventFactory()
    with refused_by_the_database("event_status_valid"):
        Event.objects.filter(pk=event.pk).update(status="secret")


def test_event_with_an_unknown_type_is_refused_by_the_database() -> None:
    event = EventFactory()
    with refused_by_the_database("event_type_valid"):
        Event.objects.filter(pk=event.pk).update(type="party")


@pytest.mark.parametrize("status", ["draft", "in_review", "published"])
def test_event_with_a_known_publication_status_is_accepted_by_the_database(status: str) -> None:
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    assert event.status == status


def test_event_with_a_slug_already_taken_is_refused_by_the_database() -> None:
    EventFactory(slug="tashkent-summit")
    with refused_by_the_database("slug"):
        EventFactory.build(slug="tashkent-summit").save()


@pytest.mark.parametrize("date", ["2017-03", "[..2018-10]", "2019-02/..", ""])
def test_valid_event_is_saved(date: str) -> None:
    """An open-ended date has one bound; a blank date has none; both are valid."""
    event = EventFactory(date=date)
    assert Event.objects.get(pk=event.pk).date == date


# Citations


def test_citation_supporting_two_records_at_once_is_refused_by_the_database() -> None:
    citation = CitationFactory()
    with refused_by_the_database("citation_supports_exactly_one_record"):
        Citation.objects.filter(pk=citation.pk).update(agreement=AgreementFactory())


def test_citation_supporting_no_record_is_refused_by_the_database() -> None:
    citation = CitationFactory()
    with refused_by_the_database("citation_supports_exactly_one_record"):
        Citation.objects.filter(pk=citation.pk).update(event=None)


def test_citation_with_an_empty_quote_is_refused_by_the_database() -> None:
    citation = CitationFactory()
    with refused_by_the_database("citation_quote_given"):
        Citation.objects.filter(pk=citation.pk).update(quote="")


def test_citation_with_an_empty_locator_is_refused_by_the_database() -> None:
    citation = CitationFactory()
    with refused_by_the_database("citation_locator_given"):
        Citation.objects.filter(pk=citation.pk).update(locator="")


_CITED_RECORD_FACTORIES = {
    "event": EventFactory,
    "agreement": AgreementFactory,
    "observation": ObservationFactory,
    "office": OfficeFactory,
}


@pytest.mark.parametrize("field", CITED_RECORD_FIELDS)
def test_citation_supporting_exactly_one_record_of_any_kind_is_saved(field: str) -> None:
    record = _CITED_RECORD_FACTORIES[field]()
    citation = CitationFactory(**{"event": None, field: record})
    saved = Citation.objects.get(pk=citation.pk)
    assert (saved.record_type, saved.record) == (field, record)


# Observations


def test_change_without_a_change_unit_is_refused_by_the_database() -> None:
    observation = ObservationFactory(kind=ObservationKind.ACTUAL)
    with refused_by_the_database("observation_change_has_unit"):
        Observation.objects.filter(pk=observation.pk).update(kind=ObservationKind.CHANGE)


def test_actual_observation_with_a_change_unit_is_refused_by_the_database() -> None:
    observation = ObservationFactory(kind=ObservationKind.ACTUAL)
    with refused_by_the_database("observation_change_has_unit"):
        Observation.objects.filter(pk=observation.pk).update(change_unit=ChangeUnit.PERCENT)


def test_actual_observation_with_a_baseline_is_refused_by_the_database() -> None:
    observation = ObservationFactory(kind=ObservationKind.ACTUAL)
    with refused_by_the_database("observation_change_has_unit"):
        Observation.objects.filter(pk=observation.pk).update(
            baseline="2017", baseline_lower=D(2017, 1, 1), baseline_upper=D(2017, 12, 31)
        )


def test_change_with_a_change_unit_and_baseline_is_saved() -> None:
    observation = ObservationFactory(
        kind=ObservationKind.CHANGE, change_unit=ChangeUnit.PERCENT, value=47, baseline="2017"
    )
    saved = Observation.objects.get(pk=observation.pk)
    assert (saved.change_unit, saved.baseline_lower) == (ChangeUnit.PERCENT, D(2017, 1, 1))


def test_second_preferred_observation_for_the_same_indicator_period_and_kind_is_refused_by_the_database() -> None:
    indicator = IndicatorFactory()
    ObservationFactory(indicator=indicator, period="2018", is_preferred=True, preferred_reason="Official figure.")
    with refused_by_the_database(
        r"observation_one_preferred_per_period|UNIQUE constraint failed: records_observation\.indicator_id"
    ):
        ObservationFactory.build(
            indicator=indicator, period="2018", is_preferred=True, preferred_reason="Also official."
        ).save()


def test_preferred_observations_of_other_periods_and_kinds_and_unpreferred_ones_are_saved() -> None:
    """Only one figure per indicator, period and kind is preferred; disagreeing figures are all kept."""
    indicator = IndicatorFactory()
    ObservationFactory(indicator=indicator, period="2018", is_preferred=True, preferred_reason="Official figure.")
    ObservationFactory(indicator=indicator, period="2018", value=2_900_000_000)
    ObservationFactory(indicator=indicator, period="2019", is_preferred=True, preferred_reason="Official figure.")
    ObservationFactory(
        indicator=indicator, period="2018", kind=ObservationKind.TARGET, is_preferred=True, preferred_reason="Set."
    )
    assert indicator.observations.filter(period="2018").count() == 3
    assert indicator.observations.filter(is_preferred=True).count() == 3


def test_preferred_observation_without_a_reason_is_refused_by_the_database() -> None:
    observation = ObservationFactory(preferred_reason="")
    with refused_by_the_database("observation_preferred_has_reason"):
        Observation.objects.filter(pk=observation.pk).update(is_preferred=True)


def test_observation_without_a_period_is_refused_by_the_database() -> None:
    observation = ObservationFactory()
    with refused_by_the_database("observation_period_given"):
        Observation.objects.filter(pk=observation.pk).update(period="", period_lower=None, period_upper=None)


# Places and countries


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (Decimal("43.2"), None),
        (None, Decimal("69.2")),
        (Decimal("91"), Decimal("69.2")),
        (Decimal("41.3"), Decimal("181")),
    ],
)
def test_place_with_half_or_impossible_coordinates_is_refused_by_the_database(
    latitude: Decimal | None, longitude: Decimal | None
) -> None:
    place = PlaceFactory()
    with refused_by_the_database("place_coordinates_valid"):
        Place.objects.filter(pk=place.pk).update(latitude=latitude, longitude=longitude)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(None, None), (Decimal("41.311081"), Decimal("69.240562")), (Decimal("-90"), Decimal("180"))],
)
def test_place_with_both_coordinates_or_neither_is_saved(latitude: Decimal | None, longitude: Decimal | None) -> None:
    place = PlaceFactory(latitude=latitude, longitude=longitude)
    saved = Place.objects.get(pk=place.pk)
    assert (saved.latitude, saved.longitude) == (latitude, longitude)


def test_place_within_itself_is_refused_by_the_database() -> None:
    place = PlaceFactory()
    with refused_by_the_database("place_not_own_parent"):
        Place.objects.filter(pk=place.pk).update(parent=place)


@pytest.mark.parametrize(("code", "code_alpha3"), [("kz", "KAZ"), ("K", "KAZ"), ("K1", "KAZ")])
def test_country_code_that_is_not_two_capital_letters_is_refused_by_the_database(code: str, code_alpha3: str) -> None:
    with refused_by_the_database("country_code_is_alpha2"):
        Country.objects.create(code=code, code_alpha3=code_alpha3, name="Kazakhstan")


def test_country_alpha3_code_in_lower_case_is_refused_by_the_database() -> None:
    with refused_by_the_database("country_code_alpha3_is_alpha3"):
        Country.objects.create(code="KZ", code_alpha3="kaz", name="Kazakhstan")


def test_country_with_capital_iso_codes_is_saved() -> None:
    Country.objects.create(code="UZ", code_alpha3="UZB", name="Uzbekistan")
    assert Country.objects.get_by_natural_key("UZ").code_alpha3 == "UZB"


# Sources


def test_source_with_full_text_but_no_sha256_is_refused_by_the_database() -> None:
    source = SourceWithTextFactory()
    with refused_by_the_database("source_full_text_has_sha256"):
        Source.objects.filter(pk=source.pk).update(full_text_sha256="")


def test_source_with_a_sha256_but_no_full_text_is_refused_by_the_database() -> None:
    source = SourceWithTextFactory()
    with refused_by_the_database("source_full_text_has_sha256"):
        Source.objects.filter(pk=source.pk).update(full_text="")


@pytest.mark.parametrize("issn", ["26277190", "2627-719", "2627-719x", "ISSN 2627"])
def test_source_with_an_issn_in_a_bad_format_is_refused_by_the_database(issn: str) -> None:
    source = SourceFactory()
    with refused_by_the_database("source_issn_format"):
        Source.objects.filter(pk=source.pk).update(issn=issn)


@pytest.mark.parametrize("issn", ["", "2627-7190", "1050-124X"])
def test_source_with_a_well_formed_or_no_issn_is_saved(issn: str) -> None:
    source = SourceFactory(issn=issn)
    assert Source.objects.get(pk=source.pk).issn == issn


def test_source_with_full_text_is_saved_with_its_sha256() -> None:
    source = SourceWithTextFactory()
    assert Source.objects.get(pk=source.pk).full_text_sha256 == hashlib.sha256(SOURCE_TEXT.encode()).hexdigest()


# Agreements


def test_agreement_related_to_itself_is_refused_by_the_database() -> None:
    agreement = AgreementFactory()
    with refused_by_the_database("agreement_relation_not_to_itself"):
        AgreementRelation.objects.create(from_agreement=agreement, to_agreement=agreement, relation=RelationType.AMENDS)


def test_agreement_relation_of_an_unknown_kind_is_refused_by_the_database() -> None:
    with refused_by_the_database("agreement_relation_relation_valid"):
        AgreementRelation.objects.create(
            from_agreement=AgreementFactory(), to_agreement=AgreementFactory(), relation="contradicts"
        )


def test_agreement_relation_between_two_agreements_is_saved() -> None:
    protocol, treaty = AgreementFactory(), AgreementFactory()
    AgreementRelation.objects.create(from_agreement=protocol, to_agreement=treaty, relation=RelationType.AMENDS)
    assert list(protocol.related.all()) == [treaty]


# Model behaviour: bounds, hashes, validators


def test_saving_an_event_fills_its_date_bounds_from_the_date() -> None:
    event = EventFactory(date="2018-21")
    event.refresh_from_db()
    assert (event.date_lower, event.date_upper) == (D(2018, 3, 1), D(2018, 5, 31))


def test_saving_an_event_with_update_fields_date_also_updates_its_bounds() -> None:
    event = EventFactory(date="2017-03")
    event.date = "2019-07-01/2019-07-05"
    event.save(update_fields=["date"])
    event.refresh_from_db()
    assert (event.date, event.date_lower, event.date_upper) == ("2019-07-01/2019-07-05", D(2019, 7, 1), D(2019, 7, 5))


def test_clearing_an_event_date_clears_its_bounds() -> None:
    event = EventFactory(date="2017-03")
    event.date = ""
    event.save(update_fields=["date"])
    event.refresh_from_db()
    assert (event.date_lower, event.date_upper) == (None, None)


def test_saving_an_event_with_a_date_that_is_not_edtf_raises_and_writes_nothing() -> None:
    with pytest.raises(ValidationError, match="is not a valid EDTF date"):
        EventFactory(date="March 2017")
    assert not Event.objects.exists()


def test_saving_a_source_computes_the_sha256_of_its_full_text() -> None:
    source = SourceFactory(full_text="")
    source.full_text = "Товарооборот вырос до 3 млрд долларов."
    source.save()
    source.refresh_from_db()
    assert source.full_text_sha256 == hashlib.sha256("Товарооборот вырос до 3 млрд долларов.".encode()).hexdigest()


def test_saving_a_source_with_update_fields_full_text_also_updates_its_sha256() -> None:
    source = SourceWithTextFactory()
    source.full_text = "A corrected snapshot."
    source.save(update_fields=["full_text"])
    source.refresh_from_db()
    assert source.full_text_sha256 == hashlib.sha256(b"A corrected snapshot.").hexdigest()


def test_removing_a_source_full_text_clears_its_sha256() -> None:
    source = SourceWithTextFactory()
    source.full_text = ""
    source.save()
    source.refresh_from_db()
    assert source.full_text_sha256 == ""


@pytest.mark.parametrize("issn", ["2627-7190", "1050-124X"])
def test_validate_issn_accepts_an_issn_with_the_right_check_digit(issn: str) -> None:
    validate_issn(issn)


@pytest.mark.parametrize(
    ("issn", "message"),
    [
        ("2627-7191", "ISSN 2627-7191 has a wrong check digit (expected 0)."),
        ("2627-719", "An ISSN is written NNNN-NNNC, e.g. 2627-7190."),
        ("ABCD-7190", "An ISSN is written NNNN-NNNC, e.g. 2627-7190."),
        ("26277190", "An ISSN is written NNNN-NNNC, e.g. 2627-7190."),
        ("2-6-2-77190", "An ISSN is written NNNN-NNNC, e.g. 2627-7190."),
    ],
)
def test_validate_issn_refuses_a_wrong_check_digit_or_format(issn: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_issn(issn)
    assert refused.value.messages == [message]
    assert refused.value.code == "invalid_issn"


@pytest.mark.parametrize(
    "names",
    [[], [{"family": "Muratbekova", "given": "Albina"}], [{"literal": "Caspian Policy Center"}], [{"family": "Kim"}]],
)
def test_validate_names_accepts_csl_names(names: list[dict[str, str]]) -> None:
    validate_names(names)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([{"given": "Albina"}], "Each name needs a family name or, for an organisation, a literal name."),
        ([{"family": "", "given": "Albina"}], "Each name needs a family name or, for an organisation, a literal name."),
        ([{"family": "Muratbekova", "middle": "A."}], "Unknown name part(s): middle."),
        ([{}], "Each name is an object with family/given or literal."),
        ("Muratbekova, Albina", "Give a list of names."),
        ([{"family": 7}], "Name parts are text."),
    ],
)
def test_validate_names_refuses_a_name_it_cannot_cite(names: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_names(names)
    assert refused.value.messages == [message]


# Observation.value_display


@pytest.mark.parametrize(
    ("unit", "kind", "change_unit", "qualifier", "value", "reading"),
    [
        (
            Unit.USD,
            ObservationKind.ACTUAL,
            "",
            Qualifier.MORE_THAN,
            Decimal("2000000000"),
            "more than USD 2,000,000,000",
        ),
        (Unit.USD, ObservationKind.ACTUAL, "", Qualifier.EXACT, Decimal("3000000000"), "USD 3,000,000,000"),
        (Unit.USD, ObservationKind.CHANGE, ChangeUnit.PERCENT, Qualifier.EXACT, Decimal("47"), "+47 %"),
        (Unit.USD, ObservationKind.CHANGE, ChangeUnit.PERCENT, Qualifier.EXACT, Decimal("-12.5"), "-12.5 %"),
        (Unit.USD, ObservationKind.CHANGE, ChangeUnit.RATIO, Qualifier.EXACT, Decimal("1.5"), "1.5 times"),
        (
            Unit.SQUARE_MILES,
            ObservationKind.ACTUAL,
            "",
            Qualifier.APPROXIMATELY,
            Decimal("1900"),
            "about 1,900 square miles",
        ),
        (Unit.PERSONS, ObservationKind.TARGET, "", Qualifier.LESS_THAN, Decimal("5000"), "less than 5,000 persons"),
    ],
)
def test_value_display_reads_the_figure_as_a_reader_expects_it(
    unit: str, kind: str, change_unit: str, qualifier: str, value: Decimal, reading: str
) -> None:
    """The value is read back from the database, as every page and API response reads it."""
    observation = ObservationFactory(
        indicator=IndicatorFactory(unit=unit), kind=kind, change_unit=change_unit, qualifier=qualifier, value=value
    )
    observation.refresh_from_db()
    assert observation.value_display == reading


# Citation.full_clean


def _citation(source: Source, quote: str, prefix: str = "", suffix: str = "") -> Citation:
    return Citation(
        source=source, event=EventFactory(), locator="p. 1", quote=quote, quote_prefix=prefix, quote_suffix=suffix
    )


@pytest.mark.parametrize(
    "quote",
    [
        "The Treaty of Eternal Friendship was signed in 1998.",
        "target of USD 5 billion by 2020",
        'The "Silk Visa" was planned.',
    ],
)
def test_citation_quoting_its_source_text_is_valid(quote: str) -> None:
    _citation(SourceWithTextFactory(), quote).full_clean()


def test_citation_quoting_a_passage_with_a_word_changed_is_refused_with_the_closest_passage() -> None:
    citation = _citation(SourceWithTextFactory(), "The Treaty of Eternal Friendship was signed in 1999.")
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    [message] = refused.value.message_dict["quote"]
    assert "does not occur in the stored text" in message
    assert "The closest passage is: “The Treaty of Eternal Friendship was signed in 1998.”" in message


def test_citation_with_a_prefix_that_does_not_precede_its_quote_is_refused() -> None:
    citation = _citation(SourceWithTextFactory(), "The Treaty of Eternal Friendship was", prefix="Trade grew.")
    with pytest.raises(ValidationError) as refused:
        citation.full_clean()
    assert list(refused.value.message_dict) == ["quote_prefix"]


def test_citation_with_a_prefix_that_precedes_one_of_its_repeated_quote_is_valid() -> None:
    _citation(SourceWithTextFactory(), "The Treaty of Eternal Friendship was", prefix="was planned.").full_clean()


def test_citation_of_a_source_without_full_text_may_quote_anything() -> None:
    _citation(SourceFactory(full_text=""), "Words no stored text holds.").full_clean()


# PartyStep.full_clean


def test_party_step_by_a_country_that_is_not_a_party_is_refused() -> None:
    """The steps are dateless, so that only the party rule is at stake."""
    agreement = AgreementFactory()
    agreement.parties.add(CountryFactory())
    uzbekistan = CountryFactory(code="UZ", code_alpha3="UZB", name="Uzbekistan")
    step = PartyStep(agreement=agreement, country=uzbekistan, step=StepKind.SIGNATURE, date="")
    with pytest.raises(ValidationError) as refused:
        step.full_clean()
    assert refused.value.message_dict == {"country": ["Only a party to the agreement takes steps on it."]}


def test_party_step_by_a_party_is_valid() -> None:
    agreement = AgreementFactory()
    kazakhstan = CountryFactory()
    agreement.parties.add(kazakhstan)
    PartyStep(agreement=agreement, country=kazakhstan, step=StepKind.SIGNATURE, date="").full_clean()


def test_full_clean_of_an_unsaved_dated_record_fills_its_bounds_first() -> None:
    """Scripts, imports and the API validate before saving: the bounds checks must not trip."""
    event = Event(title="T", slug="t", type="summit", date="2017-03")
    event.full_clean()
    assert (event.date_lower, event.date_upper) == (datetime.date(2017, 3, 1), datetime.date(2017, 3, 31))


def test_full_clean_of_an_invalid_date_reports_the_date_alone() -> None:
    event = Event(title="T", slug="t", type="summit", date="March 2017")
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert set(refused.value.message_dict) == {"date"}


def test_value_display_of_an_unsaved_observation_given_an_int() -> None:
    observation = ObservationFactory.build(value=3_000_000_000)
    assert observation.value_display == "USD 3,000,000,000"
