"""Actors (people and organisations) and the offices people hold."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    EDTFBoundsMixin,
    EDTFField,
    NaturalSlugManager,
    PublicationStatus,
    VersionedMixin,
    choices_constraint,
    edtf_constraints,
)
from records.models.geography import Country


class ActorQuerySet(CuratedQuerySet):
    def for_public_page(self) -> ActorQuerySet:
        """One actor's page: offices, and the published events and agreements they took part in, over time."""
        from records.models.agreement import AgreementSignatory
        from records.models.event import EventParticipant

        published = PublicationStatus.PUBLISHED
        return self.select_related("country").prefetch_related(
            Prefetch("offices", queryset=Office.objects.select_related("organisation", "country")),
            Prefetch(
                "participations",
                queryset=EventParticipant.objects.filter(event__status=published)
                .select_related("event")
                .defer("event__search_document", "event__search_vector", "event__description", "event__conflict_note")
                .order_by("event__date_lower", "event__date_upper", "event__title"),
                to_attr="public_participations",
            ),
            Prefetch(
                "signatures",
                queryset=AgreementSignatory.objects.filter(agreement__status=published)
                .select_related("agreement", "country")
                .defer("agreement__search_document", "agreement__search_vector", "agreement__summary")
                .order_by("agreement__date_signed_lower", "agreement__title"),
                to_attr="public_signatures",
            ),
        )

    def for_api_list(self, user: Any) -> ActorQuerySet:
        return self.select_related("country")

    def for_api_detail(self, user: Any) -> ActorQuerySet:
        """Actors with their offices and the visible events they took part in, over time."""
        from records.models.citation import Citation
        from records.models.event import Event, EventParticipant

        return self.for_api_list(user).prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.select_related("organisation", "country").prefetch_related(
                    Prefetch(
                        "citations",
                        queryset=Citation.objects.of_visible_sources(user).with_source(),
                        to_attr="visible_citations",
                    )
                ),
            ),
            Prefetch(
                "participations",
                queryset=EventParticipant.objects.filter(event__in=Event.objects.visible_to(user))
                .select_related("event")
                .order_by("event__date_lower"),
                to_attr="visible_participations",
            ),
        )


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Actor(CuratedRecord):
    """A person or an organisation that takes part in events, signs, or reports figures."""

    name = models.CharField(max_length=200, help_text="The usual English form of the name.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    alternative_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings and names, as a list — including the spelling each source uses.",
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text="For a person, the country they act for; for an organisation, where it is based.",
    )
    description = models.TextField(blank=True)

    objects = NaturalSlugManager.from_queryset(ActorQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_actor", "Can publish and withdraw actors")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="actor"),
            choices_constraint("kind", ActorKind, model="actor"),
        ]
        indexes = [
            # Public pages and the API list published actors, filtered by kind.
            models.Index(fields=["status", "kind"], name="actor_status_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class OfficeManager(models.Manager):
    def get_by_natural_key(self, actor_slug: str, title: str, start: str) -> Office:
        return self.get(actor__slug=actor_slug, title=title, start=start)


class Office(VersionedMixin, EDTFBoundsMixin, models.Model):
    """A position a person held, e.g. acting President of Kazakhstan, from/to dates.

    Either date may be blank when the sources do not give it; ``note`` says what they do
    give ("in office when the article appeared, July 2019"). Cite the claim like any other.
    """

    actor = models.ForeignKey(
        Actor,
        # An office is part of its holder's record.
        on_delete=models.CASCADE,
        related_name="offices",
        limit_choices_to={"kind": ActorKind.PERSON},
    )
    title = models.CharField(max_length=200, help_text="e.g. President, Acting President, Chairwoman.")
    organisation = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_holders",
        limit_choices_to={"kind": ActorKind.ORGANISATION},
        help_text="The body the office belongs to, e.g. the Senate of Kazakhstan.",
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="offices")
    start = EDTFField(blank=True)
    start_lower = models.DateField(null=True, blank=True, editable=False)
    start_upper = models.DateField(null=True, blank=True, editable=False)
    end = EDTFField(blank=True)
    end_lower = models.DateField(null=True, blank=True, editable=False)
    end_upper = models.DateField(null=True, blank=True, editable=False)
    note = models.TextField(blank=True, help_text="What the sources say about the dates, if they give none.")

    objects = OfficeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["actor", "start_lower"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "title", "start"], name="office_unique_per_start"),
            *edtf_constraints("start", model="office"),
            *edtf_constraints("end", model="office"),
            models.CheckConstraint(
                condition=Q(start_lower__isnull=True)
                | Q(end_upper__isnull=True)
                | Q(end_upper__gte=models.F("start_lower")),
                name="office_ends_after_start",
                violation_error_message="The office ends before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} — {self.title}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.actor.slug, self.title, self.start)

    natural_key.dependencies = ["records.actor"]  # type: ignore[attr-defined]
