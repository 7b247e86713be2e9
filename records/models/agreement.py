"""Agreements: treaties, protocols, declarations, strategies, plans, decrees, initiatives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from records.models.actor import Actor
from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    EDTFBoundsMixin,
    EDTFField,
    NaturalSlugManager,
    PublicationStatus,
    SearchableMixin,
    VersionedMixin,
    choices_constraint,
    edtf_constraints,
    edtf_indexes,
)
from records.models.geography import Country, Place
from records.models.topic import Topic


class AgreementQuerySet(CuratedQuerySet):
    # --- The public pages (records/views.py): published relations only, whoever is logged in.

    def for_table(self) -> AgreementQuerySet:
        """Rows of the public table: place signed and parties, without the long texts."""
        return (
            self.without_search_text()
            .defer("summary", "conflict_note")
            .select_related("place_signed")
            .prefetch_related("parties")
        )

    def for_public_page(self) -> AgreementQuerySet:
        """One agreement's page: what it embeds, narrowed to published records and sources."""
        return self.for_api_detail(None)

    def for_api_list(self, user: Any) -> AgreementQuerySet:
        """Agreements with what a list row shows: place signed, parties, topics."""
        return self._with_parties_and_topics().without_search_text().defer("summary", "conflict_note")

    def _with_parties_and_topics(self) -> AgreementQuerySet:
        return self.select_related("place_signed__country").prefetch_related("parties", "topics")

    def for_api_detail(self, user: Any) -> AgreementQuerySet:
        """Agreements with everything a detail embeds, each relation narrowed to what ``user`` may see."""
        from records.models.citation import Citation
        from records.models.event import Event

        visible = Agreement.objects.visible_to(user)
        return (
            self._with_parties_and_topics()
            .without_search_text()
            .prefetch_related(
                Prefetch("party_steps", queryset=PartyStep.objects.select_related("country")),
                Prefetch(
                    "signatures",
                    queryset=AgreementSignatory.objects.filter(actor__in=Actor.objects.visible_to(user)).select_related(
                        "actor", "country"
                    ),
                    to_attr="visible_signatures",
                ),
                Prefetch(
                    "relations_from",
                    queryset=AgreementRelation.objects.filter(to_agreement__in=visible).select_related("to_agreement"),
                    to_attr="visible_relations_from",
                ),
                Prefetch(
                    "relations_to",
                    queryset=AgreementRelation.objects.filter(from_agreement__in=visible).select_related(
                        "from_agreement"
                    ),
                    to_attr="visible_relations_to",
                ),
                Prefetch(
                    "events", queryset=Event.objects.visible_to(user).without_search_text(), to_attr="visible_events"
                ),
                Prefetch(
                    "citations",
                    queryset=Citation.objects.of_visible_sources(user).with_source(),
                    to_attr="visible_citations",
                ),
            )
        )


class AgreementType(models.TextChoices):
    TREATY = "treaty", "Treaty"
    AGREEMENT = "agreement", "Agreement"
    PROTOCOL = "protocol", "Protocol"
    JOINT_DECLARATION = "joint_declaration", "Joint declaration"
    STRATEGY = "strategy", "Strategy or programme"
    PLAN = "plan", "Plan"
    MEMORANDUM = "memorandum", "Memorandum"
    DECREE = "decree", "Decree or resolution"
    INITIATIVE = "initiative", "Initiative"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    UNKNOWN = "unknown", "Unknown"


class Agreement(SearchableMixin, CuratedRecord):
    """A document two (or more) states agreed, or one state issued, or an initiative proposed.

    ``status`` is the overall standing; each party's own signature, ratification and entry
    into force are ``PartyStep`` rows, since the two states rarely take them on one day.
    """

    search_fields = ("title", "short_title", "summary", "conflict_note")

    title = models.CharField(max_length=500)
    short_title = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=AgreementType.choices)
    legal_status = models.CharField(
        "legal status",
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.UNKNOWN,
        help_text="Its overall legal standing, as far as the sources say. Unknown is an honest answer.",
    )
    date_signed = EDTFField(blank=True)
    date_signed_lower = models.DateField(null=True, blank=True, editable=False)
    date_signed_upper = models.DateField(null=True, blank=True, editable=False)
    period_covered = EDTFField(
        blank=True,
        help_text="For a strategy, plan or programme: the period it covers, e.g. 2017/2019.",
    )
    period_covered_lower = models.DateField(null=True, blank=True, editable=False)
    period_covered_upper = models.DateField(null=True, blank=True, editable=False)
    place_signed = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements_signed"
    )
    parties = models.ManyToManyField(
        Country, blank=True, related_name="agreements", help_text="The states party to it (one, for a decree)."
    )
    signatories = models.ManyToManyField(
        Actor, through="AgreementSignatory", blank=True, related_name="agreements_signed"
    )
    related = models.ManyToManyField(
        "self", through="AgreementRelation", symmetrical=False, blank=True, related_name="related_from"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="agreements")
    summary = models.TextField(blank=True)
    conflict_note = models.TextField(
        blank=True,
        help_text="Where the sources disagree or are unclear (about the date, title, status…): "
        "say how, and cite each claim.",
    )

    objects = NaturalSlugManager.from_queryset(AgreementQuerySet)()
    history = HistoricalRecords(m2m_fields=[parties, topics], excluded_fields=["search_document", "search_vector"])

    class Meta:
        ordering = ["date_signed_lower", "title"]
        permissions = [("publish_agreement", "Can publish and withdraw agreements")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="agreement"),
            choices_constraint("type", AgreementType, model="agreement"),
            choices_constraint("legal_status", AgreementStatus, model="agreement"),
            *edtf_constraints("date_signed", model="agreement"),
            *edtf_constraints("period_covered", model="agreement"),
        ]
        indexes = [
            *edtf_indexes("date_signed", model="agreement"),
            # Published list filtered by type and by status of the agreement.
            models.Index(fields=["status", "type"], name="agreement_status_type_idx"),
            models.Index(fields=["legal_status"], name="agreement_legal_status_idx"),
            # updated_after sync filter.
            models.Index(fields=["updated_at"], name="agreement_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def date_signed_display(self) -> str:
        return self.describe_date("date_signed")


class StepKind(models.TextChoices):
    SIGNATURE = "signature", "Signature"
    RATIFICATION = "ratification", "Ratification or approval"
    ENTRY_INTO_FORCE = "entry_into_force", "Entry into force"
    WITHDRAWAL = "withdrawal", "Withdrawal or denunciation"


class PartyStepManager(models.Manager):
    def get_by_natural_key(self, agreement_slug: str, country_code: str, step: str) -> PartyStep:
        return self.get(agreement__slug=agreement_slug, country__code=country_code, step=step)


class PartyStep(VersionedMixin, EDTFBoundsMixin, models.Model):
    """One party's own step on an agreement: its signature, ratification or entry into force."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_steps")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="agreement_steps")
    step = models.CharField(max_length=20, choices=StepKind.choices)
    date = EDTFField(blank=True, help_text="Blank when the sources say it happened but not when.")
    date_lower = models.DateField(null=True, blank=True, editable=False)
    date_upper = models.DateField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=300, blank=True)

    objects = PartyStepManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "date_lower", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "country", "step"], name="party_step_once_per_party"),
            choices_constraint("step", StepKind, model="party_step"),
            *edtf_constraints("date", model="party_step"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.get_step_display()}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.agreement.slug, self.country.code, self.step)

    natural_key.dependencies = ["records.agreement", "records.country"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        super().clean()
        if self.agreement_id and self.country_id and not self.agreement.parties.filter(pk=self.country_id).exists():
            raise ValidationError({"country": "Only a party to the agreement takes steps on it."})


class AgreementSignatoryManager(models.Manager):
    def get_by_natural_key(self, agreement_slug: str, actor_slug: str) -> AgreementSignatory:
        return self.get(agreement__slug=agreement_slug, actor__slug=actor_slug)


class AgreementSignatory(VersionedMixin, models.Model):
    """Who signed, and for which party."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="signatures")
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        help_text="The party signed for.",
    )
    capacity = models.CharField(max_length=200, blank=True, help_text='e.g. "President of Uzbekistan".')

    objects = AgreementSignatoryManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "agreement signatories"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "actor"], name="signatory_once_per_agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} signed {self.agreement}"

    def natural_key(self) -> tuple[str, str]:
        return (self.agreement.slug, self.actor.slug)

    natural_key.dependencies = ["records.agreement", "records.actor"]  # type: ignore[attr-defined]


class RelationType(models.TextChoices):
    AMENDS = "amends", "Amends"
    SUPERSEDES = "supersedes", "Supersedes"
    IMPLEMENTS = "implements", "Implements"
    BUILDS_ON = "builds_on", "Builds on"


class AgreementRelationManager(models.Manager):
    def get_by_natural_key(self, from_slug: str, to_slug: str, relation: str) -> AgreementRelation:
        return self.get(from_agreement__slug=from_slug, to_agreement__slug=to_slug, relation=relation)


class AgreementRelation(VersionedMixin, models.Model):
    """A link read as "<from_agreement> <relation> <to_agreement>", e.g. a protocol amends a treaty."""

    from_agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="relations_from")
    to_agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="relations_to")
    relation = models.CharField(max_length=20, choices=RelationType.choices)
    note = models.CharField(max_length=300, blank=True)

    objects = AgreementRelationManager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_agreement", "to_agreement", "relation"], name="agreement_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_agreement=models.F("to_agreement")),
                name="agreement_relation_not_to_itself",
                violation_error_message="An agreement cannot relate to itself.",
            ),
            choices_constraint("relation", RelationType, model="agreement_relation"),
        ]

    def __str__(self) -> str:
        return f"{self.from_agreement} {self.get_relation_display().lower()} {self.to_agreement}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.from_agreement.slug, self.to_agreement.slug, self.relation)

    natural_key.dependencies = ["records.agreement"]  # type: ignore[attr-defined]
