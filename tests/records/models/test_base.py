"""What every curated record shares: the published() read path and natural keys."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Event, Observation, PublicationStatus, Source
from tests.factories import EventFactory, ObservationFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Event, EventFactory), (Source, SourceFactory), (Observation, ObservationFactory)],
    ids=["event", "source", "observation"],
)
def test_published_holds_published_records_only(model: Any, factory: Any) -> None:
    published = factory(status=PublicationStatus.PUBLISHED)
    factory(status=PublicationStatus.DRAFT)
    factory(status=PublicationStatus.IN_REVIEW)
    assert list(model.objects.published()) == [published]


def test_records_are_found_by_their_natural_key() -> None:
    event = EventFactory(slug="demarcation-talks")
    observation = ObservationFactory()
    assert Event.objects.get_by_natural_key("demarcation-talks") == event
    assert Observation.objects.get_by_natural_key(str(observation.uuid)) == observation
