"""The domain model, one module per resource; import models from here."""

from records.models.actor import Actor, ActorKind, Office
from records.models.agreement import (
    Agreement,
    AgreementRelation,
    AgreementSignatory,
    AgreementStatus,
    AgreementType,
    PartyStep,
    RelationType,
    StepKind,
)
from records.models.base import CuratedRecord, PublicationStatus
from records.models.citation import CITED_RECORD_FIELDS, Citation
from records.models.event import Event, EventParticipant, EventType, Occurrence, ParticipantRole
from records.models.geography import Country, Place, PlaceKind
from records.models.indicator import ChangeUnit, Indicator, Observation, ObservationKind, Qualifier, Unit
from records.models.source import Source, SourceType
from records.models.topic import Topic

__all__ = [
    "CITED_RECORD_FIELDS",
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementRelation",
    "AgreementSignatory",
    "AgreementStatus",
    "AgreementType",
    "ChangeUnit",
    "Citation",
    "Country",
    "CuratedRecord",
    "Event",
    "EventParticipant",
    "EventType",
    "Indicator",
    "Observation",
    "ObservationKind",
    "Occurrence",
    "Office",
    "ParticipantRole",
    "PartyStep",
    "Place",
    "PlaceKind",
    "PublicationStatus",
    "Qualifier",
    "RelationType",
    "Source",
    "SourceType",
    "StepKind",
    "Topic",
    "Unit",
]
