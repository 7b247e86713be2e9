"""Indicators (series such as trade turnover) and their observations (one figure each)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from records.models.actor import Actor
from records.models.agreement import Agreement
from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    EDTFField,
    NaturalSlugManager,
    PublicationStatus,
    choices_constraint,
    edtf_constraints,
    edtf_indexes,
    may_view_unpublished,
)
from records.models.event import Event
from records.models.topic import Topic


class IndicatorQuerySet(CuratedQuerySet):
    # --- The public pages (records/views.py): published observations only, whoever is logged in.

    def for_index(self) -> IndicatorQuerySet:
        """Indicators with the number of their published observations, for the public list."""
        return self.select_related("topic").annotate(
            public_observation_count=models.Count(
                "observations", filter=Q(observations__status=PublicationStatus.PUBLISHED)
            )
        )

    def for_chart(self) -> IndicatorQuerySet:
        """Indicators with their published observations in period order, each with its reporter,
        links and citations of published sources: what the chart and its table show."""
        from records.models.citation import Citation

        return self.select_related("topic").prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.visible_to(None)
                .select_related("indicator", "reported_by", "agreement", "event")
                .prefetch_related(
                    Prefetch(
                        "citations",
                        queryset=Citation.objects.of_visible_sources(None).with_source(),
                        to_attr="public_citations",
                    )
                )
                .order_by("period_lower", "period_upper", "kind", "pk"),
                to_attr="public_observations",
            )
        )

    def for_api_list(self, user: Any) -> IndicatorQuerySet:
        return self.select_related("topic")

    def for_api_detail(self, user: Any) -> IndicatorQuerySet:
        """Indicators with their visible observations, each with its citations, in period order."""
        return self.for_api_list(user).prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.visible_to(user).for_api_list(user).order_by("period_lower", "kind"),
                to_attr="visible_observations",
            )
        )


class Unit(models.TextChoices):
    USD = "usd", "US dollars"
    PERCENT = "percent", "Percent"
    PERSONS = "persons", "Persons"
    COUNT = "count", "Count"
    SQUARE_MILES = "square_miles", "Square miles"
    RATIO = "ratio", "Ratio"
    RANK = "rank", "Rank"


class Indicator(CuratedRecord):
    """A series of figures about the relationship, e.g. bilateral trade turnover in USD."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    unit = models.CharField(
        max_length=20,
        choices=Unit.choices,
        help_text="The unit of its actual and target values. Changes state their own unit.",
    )
    description = models.TextField(blank=True, help_text="What is counted, and what is not.")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators")

    objects = NaturalSlugManager.from_queryset(IndicatorQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_indicator", "Can publish and withdraw indicators")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="indicator"),
            choices_constraint("unit", Unit, model="indicator"),
        ]
        indexes = [
            models.Index(fields=["status"], name="indicator_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Qualifier(models.TextChoices):
    EXACT = "exact", "Exact"
    APPROXIMATELY = "approximately", "Approximately"
    MORE_THAN = "more_than", "More than"
    LESS_THAN = "less_than", "Less than"


class ObservationKind(models.TextChoices):
    ACTUAL = "actual", "Actual"
    TARGET = "target", "Target"
    CHANGE = "change", "Change"


class ChangeUnit(models.TextChoices):
    PERCENT = "percent", "Percent"
    RATIO = "ratio", "Ratio (times)"
    ABSOLUTE = "absolute", "In the indicator's unit"


class ObservationQuerySet(CuratedQuerySet):
    def visible_to(self, user: Any) -> ObservationQuerySet:
        """Published observations of published indicators, unless ``user`` may see drafts."""
        if may_view_unpublished(user, Observation):
            return self
        return self.published().filter(indicator__status=PublicationStatus.PUBLISHED)

    def for_api_list(self, user: Any) -> ObservationQuerySet:
        """Observations with their indicator, reporter, links and citations (of visible sources)."""
        from records.models.citation import Citation

        return self.select_related("indicator", "reported_by", "agreement", "event").prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.of_visible_sources(user).with_source(),
                to_attr="visible_citations",
            )
        )


class ObservationManager(models.Manager.from_queryset(ObservationQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, key: str) -> Observation:
        return self.get(uuid=key)


class Observation(CuratedRecord):
    """One figure of an indicator for one period, as one source and reporter give it.

    Several observations of the same indicator and period are data, not errors: different
    sources and reporters disagree, and both claims are kept. A curator marks the one
    preferred for charts and says why; at most one is preferred per indicator, period and kind.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(
        Indicator,
        # Deleting a series must be a deliberate act on its observations first.
        on_delete=models.PROTECT,
        related_name="observations",
    )
    period = EDTFField(help_text="The period the figure covers: 2018, or 2018-01/2018-09 for January–September 2018.")
    period_lower = models.DateField(null=True, blank=True, editable=False)
    period_upper = models.DateField(null=True, blank=True, editable=False)
    value = models.DecimalField(max_digits=20, decimal_places=4)
    qualifier = models.CharField(
        max_length=20,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text='As the source words it: "around" is approximately, "more than"/"exceeded" is more than.',
    )
    kind = models.CharField(max_length=10, choices=ObservationKind.choices, default=ObservationKind.ACTUAL)
    change_unit = models.CharField(
        max_length=10,
        choices=ChangeUnit.choices,
        blank=True,
        help_text="For a change only: percent (+47), ratio (1.5 times) or the indicator's own unit.",
    )
    baseline = EDTFField(
        blank=True,
        help_text="For a change only: the period compared with, e.g. 2017-01/2017-09.",
    )
    baseline_lower = models.DateField(null=True, blank=True, editable=False)
    baseline_upper = models.DateField(null=True, blank=True, editable=False)
    reported_by = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_observations",
        help_text="Who gives the figure: a government body, an interviewee, a think tank.",
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        help_text="For a target: the agreement that set it. Otherwise the agreement the figure is about, if any.",
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        help_text="For a target: the event that set it. Otherwise the event the figure describes, if any.",
    )
    is_preferred = models.BooleanField(
        "preferred",
        default=False,
        help_text="The figure to use for this indicator, period and kind when the sources differ.",
    )
    preferred_reason = models.TextField(blank=True, help_text="Why this figure is preferred. Required when preferred.")
    note = models.TextField(blank=True)

    objects = ObservationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_lower", "kind"]
        permissions = [("publish_observation", "Can publish and withdraw observations")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="observation"),
            choices_constraint("qualifier", Qualifier, model="observation"),
            choices_constraint("kind", ObservationKind, model="observation"),
            choices_constraint("change_unit", ChangeUnit, model="observation", blank=True),
            *edtf_constraints("period", model="observation", required=True),
            *edtf_constraints("baseline", model="observation"),
            models.CheckConstraint(
                condition=Q(kind=ObservationKind.CHANGE, change_unit__in=ChangeUnit.values)
                | (~Q(kind=ObservationKind.CHANGE) & Q(change_unit="", baseline="")),
                name="observation_change_has_unit",
                violation_error_message="A change states its unit; an actual or a target has none of its own.",
            ),
            models.CheckConstraint(
                condition=Q(is_preferred=False) | ~Q(preferred_reason=""),
                name="observation_preferred_has_reason",
                violation_error_message="Say why this figure is preferred.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "kind", "change_unit"],
                condition=Q(is_preferred=True),
                name="observation_one_preferred_per_period",
                violation_error_message="Another figure is already preferred for this indicator, period and kind.",
            ),
        ]
        indexes = [
            # The indicator page and API: an indicator's observations in period order.
            models.Index(fields=["indicator", "period_lower"], name="observation_indicator_idx"),
            *edtf_indexes("period", model="observation"),
            # kind and preferred filters.
            models.Index(fields=["kind", "is_preferred"], name="observation_kind_pref_idx"),
            # updated_after sync filter.
            models.Index(fields=["updated_at"], name="observation_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}, {self.describe_date('period')}: {self.value_display}"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)

    @property
    def value_display(self) -> str:
        """The figure as a reader expects it: "more than USD 2,000,000,000", "+47 %", "1.5 times".

        Reads the indicator's unit: select_related("indicator") when listing many.
        """
        number = _format_number(self.value)
        if self.kind == ObservationKind.CHANGE:
            if self.change_unit == ChangeUnit.PERCENT:
                text = f"{'+' if self.value > 0 else ''}{number} %"
            elif self.change_unit == ChangeUnit.RATIO:
                text = f"{number} times"
            else:
                text = f"{'+' if self.value > 0 else ''}{_with_unit(number, self.indicator.unit)}"
        else:
            text = _with_unit(number, self.indicator.unit)
        prefix = {
            Qualifier.APPROXIMATELY: "about ",
            Qualifier.MORE_THAN: "more than ",
            Qualifier.LESS_THAN: "less than ",
        }.get(self.qualifier, "")
        return prefix + text

    def clean(self) -> None:
        super().clean()
        if self.kind == ObservationKind.CHANGE and not self.change_unit:
            raise ValidationError(
                {"change_unit": "Say whether the change is in percent, a ratio, or the indicator's unit."}
            )
        if self.kind != ObservationKind.CHANGE and (self.change_unit or self.baseline):
            raise ValidationError("Only a change has its own unit and baseline period.")
        if self.is_preferred and not self.preferred_reason.strip():
            raise ValidationError({"preferred_reason": "Say why this figure is preferred."})


def _format_number(value: Decimal | float | int) -> str:
    # An unsaved observation may still hold the int or float it was given.
    normalised = Decimal(str(value)).normalize()
    if normalised == normalised.to_integral():
        return f"{int(normalised):,}"
    return f"{normalised:,f}"


def _with_unit(number: str, unit: str) -> str:
    if unit == Unit.USD:
        return f"USD {number}"
    if unit == Unit.PERCENT:
        return f"{number} %"
    if unit == Unit.RANK:
        return f"rank {number}"
    label = Unit(unit).label.lower() if unit in Unit.values else unit
    return f"{number} {label}"
