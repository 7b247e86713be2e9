"""factory_boy factories: the smallest valid record of each kind, for unit tests.

The seed fixtures are for tests about the seed data; everything else builds its own data here.
"""

from __future__ import annotations

import factory

from records.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementType,
    Citation,
    Country,
    Event,
    EventType,
    Indicator,
    Observation,
    Office,
    Place,
    PublicationStatus,
    Source,
    SourceType,
    Topic,
    Unit,
)

SOURCE_TEXT = (
    "The Treaty of Eternal Friendship was signed in 1998. Trade grew to\n"
    "USD 3 billion in 2018, while the two sides set a target of USD 5 bil-\n"
    "lion by 2020. The “Silk Visa” was planned. The Treaty of Eternal Friendship was praised.\n"
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "KZ"
    code_alpha3 = "KAZ"
    name = "Kazakhstan"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    country = factory.SubFactory(CountryFactory)
    status = PublicationStatus.PUBLISHED


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = ActorKind.PERSON
    status = PublicationStatus.PUBLISHED


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    actor = factory.SubFactory(ActorFactory)
    title = "President"
    start = "2016-12"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    type = SourceType.ARTICLE
    published = "2019-07-16"
    status = PublicationStatus.PUBLISHED


class SourceWithTextFactory(SourceFactory):
    full_text = SOURCE_TEXT


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    type = EventType.OFFICIAL_VISIT
    date = "2017-03"
    status = PublicationStatus.PUBLISHED


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Agreement {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    type = AgreementType.TREATY
    date_signed = "1998"
    status = PublicationStatus.PUBLISHED


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    name = factory.Sequence(lambda n: f"Indicator {n}")
    slug = factory.Sequence(lambda n: f"indicator-{n}")
    unit = Unit.USD
    status = PublicationStatus.PUBLISHED


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2018"
    value = 3_000_000_000
    status = PublicationStatus.PUBLISHED


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceWithTextFactory)
    event = factory.SubFactory(EventFactory)
    locator = "p. 1"
    quote = "The Treaty of Eternal Friendship was signed in 1998."


# --- Links between records (added for the API read tests; models named by label, so the imports
# above stay as they are) -----------------------------------------------------------------------


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "records.EventParticipant"

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "participant"


class AgreementSignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "records.AgreementSignatory"

    agreement = factory.SubFactory(AgreementFactory)
    actor = factory.SubFactory(ActorFactory)


class AgreementRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "records.AgreementRelation"

    from_agreement = factory.SubFactory(AgreementFactory)
    to_agreement = factory.SubFactory(AgreementFactory)
    relation = "builds_on"
