"""Events: visits, summits, commission sessions, forums and the like."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch
from simple_history.models import HistoricalRecords

from records.models.actor import Actor
from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    EDTFField,
    NaturalSlugManager,
    PublicationStatus,
    SearchableMixin,
    VersionedMixin,
    choices_constraint,
    edtf_constraints,
    edtf_indexes,
)
from records.models.geography import Place
from records.models.topic import Topic

_DATE_HELP = (
    "EDTF, as precise as the source and no more: 2016 · 2017-03 · 2018-21 (spring) · "
    "2019-07-01/2019-07-05 · 2018~ (about) · [..2018-10] (on or before). "
    "Leave blank only when the sources give no date at all."
)


class EventType(models.TextChoices):
    OFFICIAL_VISIT = "official_visit", "Official visit"
    SUMMIT = "summit", "Summit"
    COMMISSION_SESSION = "commission_session", "Commission session"
    FORUM = "forum", "Forum or business meeting"
    CONFERENCE = "conference", "Conference or round table"
    SIGNING = "signing", "Signing"
    CULTURAL_EVENT = "cultural_event", "Cultural event"
    AWARD = "award", "Award or honour"
    APPOINTMENT = "appointment", "Appointment or change of office"
    STATEMENT = "statement", "Statement"
    POLICY_MEASURE = "policy_measure", "Decision or policy measure"
    PROJECT = "project", "Joint project"
    OTHER = "other", "Other"


class EventQuerySet(CuratedQuerySet):
    # --- The public pages (records/views.py): published relations only, whoever is logged in.

    def for_timeline(self) -> EventQuerySet:
        """Timeline rows in date order, each with its published places and its topics.

        ``timeline_date`` is the earliest day the event can mean, or the latest when only that is
        known ("on or before October 2018"), so an open-ended date still falls into a year;
        undated events come last.
        """
        from django.db.models.functions import Coalesce

        return (
            self.without_search_text()
            .defer("description", "conflict_note")
            .prefetch_related(
                Prefetch(
                    "places", queryset=Place.objects.published().select_related("country"), to_attr="public_places"
                ),
                "topics",
            )
            .annotate(timeline_date=Coalesce("date_lower", "date_upper"))
            .order_by(models.F("timeline_date").asc(nulls_last=True), "title", "pk")
        )

    def for_public_page(self) -> EventQuerySet:
        """One event's page: published places, participants and agreements, citations of published sources."""
        from records.models.agreement import Agreement
        from records.models.citation import Citation

        return self.without_search_text().prefetch_related(
            Prefetch("places", queryset=Place.objects.published().select_related("country"), to_attr="public_places"),
            "topics",
            Prefetch(
                "participations",
                queryset=EventParticipant.objects.filter(actor__status=PublicationStatus.PUBLISHED)
                .select_related("actor")
                .order_by("role", "actor__name"),
                to_attr="public_participations",
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.published().without_search_text(),
                to_attr="public_agreements",
            ),
            Prefetch(
                "citations",
                queryset=Citation.objects.of_visible_sources(None).with_source(),
                to_attr="public_citations",
            ),
        )

    def for_api_list(self, user: Any) -> EventQuerySet:
        """Events with what a list row shows: their visible places and their topics."""
        # A row shows neither the long texts nor the text it is found by; a CSV of every event
        # would otherwise read each one's quotes too.
        return self._with_places_and_topics(user).without_search_text().defer("description", "conflict_note")

    def _with_places_and_topics(self, user: Any) -> EventQuerySet:
        return self.prefetch_related(
            Prefetch(
                "places",
                queryset=Place.objects.visible_to(user).select_related("country"),
                to_attr="visible_places",
            ),
            "topics",
        )

    def for_api_detail(self, user: Any) -> EventQuerySet:
        """Events with everything a detail embeds, each relation narrowed to what ``user`` may see."""
        from records.models.agreement import Agreement
        from records.models.citation import Citation

        return (
            self._with_places_and_topics(user)
            .without_search_text()
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=EventParticipant.objects.filter(actor__in=Actor.objects.visible_to(user)).select_related(
                        "actor"
                    ),
                    to_attr="visible_participations",
                ),
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.visible_to(user).without_search_text(),
                    to_attr="visible_agreements",
                ),
                Prefetch(
                    "citations",
                    queryset=Citation.objects.of_visible_sources(user).with_source(),
                    to_attr="visible_citations",
                ),
            )
        )


class Occurrence(models.TextChoices):
    TOOK_PLACE = "took_place", "Took place"
    PLANNED = "planned", "Planned or announced"
    UNCERTAIN = "uncertain", "Unclear whether it took place"


class Event(SearchableMixin, CuratedRecord):
    """Something that happened (or was announced) between the two states, on a date."""

    search_fields = ("title", "description", "conflict_note")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=EventType.choices)
    date = EDTFField(blank=True, help_text=_DATE_HELP)
    date_lower = models.DateField(null=True, blank=True, editable=False)
    date_upper = models.DateField(null=True, blank=True, editable=False)
    occurrence = models.CharField(
        max_length=20,
        choices=Occurrence.choices,
        default=Occurrence.TOOK_PLACE,
        help_text="Whether the sources say it happened, or only that it was planned.",
    )
    places = models.ManyToManyField(Place, blank=True, related_name="events")
    participants = models.ManyToManyField(Actor, through="EventParticipant", blank=True, related_name="events")
    agreements = models.ManyToManyField(
        "records.Agreement",
        blank=True,
        related_name="events",
        help_text="Agreements signed at, discussed at or implemented by this event.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    description = models.TextField(blank=True)
    conflict_note = models.TextField(
        blank=True,
        help_text="Where the sources disagree or are unclear (about the date, place, or anything else): "
        "say how, and cite each claim.",
    )

    objects = NaturalSlugManager.from_queryset(EventQuerySet)()
    history = HistoricalRecords(
        m2m_fields=[places, agreements, topics], excluded_fields=["search_document", "search_vector"]
    )

    class Meta:
        ordering = ["date_lower", "title"]
        permissions = [("publish_event", "Can publish and withdraw events")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="event"),
            choices_constraint("type", EventType, model="event"),
            choices_constraint("occurrence", Occurrence, model="event"),
            *edtf_constraints("date", model="event"),
        ]
        indexes = [
            *edtf_indexes("date", model="event"),
            # The public timeline: published events in date order.
            models.Index(fields=["status", "date_lower"], name="event_status_date_idx"),
            # The type filter.
            models.Index(fields=["type"], name="event_type_idx"),
            # updated_after sync filter.
            models.Index(fields=["updated_at"], name="event_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def date_display(self) -> str:
        return self.describe_date("date")


class ParticipantRole(models.TextChoices):
    HOST = "host", "Host"
    VISITOR = "visitor", "Visitor"
    PARTICIPANT = "participant", "Participant"
    ORGANISER = "organiser", "Organiser"
    SPEAKER = "speaker", "Speaker"
    SIGNATORY = "signatory", "Signatory"
    AWARDEE = "awardee", "Awardee"
    SUBJECT = "subject", "Subject"


class EventParticipantManager(models.Manager):
    def get_by_natural_key(self, event_slug: str, actor_slug: str, role: str) -> EventParticipant:
        return self.get(event__slug=event_slug, actor__slug=actor_slug, role=role)


class EventParticipant(VersionedMixin, models.Model):
    """An actor's part in an event: who hosted, who visited, who spoke."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(
        Actor,
        # An actor who took part in recorded events is not deleted by accident.
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    note = models.CharField(max_length=300, blank=True, help_text='e.g. "as acting President".')

    objects = EventParticipantManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="participant_unique_role"),
            choices_constraint("role", ParticipantRole, model="participant"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()}) at {self.event}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.slug, self.actor.slug, self.role)

    natural_key.dependencies = ["records.event", "records.actor"]  # type: ignore[attr-defined]
