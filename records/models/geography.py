"""Countries and places (cities, regions) where things happen."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    NaturalSlugManager,
    PublicationStatus,
    VersionedMixin,
    choices_constraint,
)


class CountryManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Country:
        return self.get(code=code)


class Country(VersionedMixin, models.Model):
    """A state, identified by its ISO 3166-1 codes. Reference data: always public."""

    code = models.CharField(
        max_length=2,
        unique=True,
        help_text="ISO 3166-1 alpha-2 code in capitals, e.g. KZ.",
    )
    code_alpha3 = models.CharField("ISO 3166-1 alpha-3 code", max_length=3, unique=True, help_text="e.g. KAZ.")
    name = models.CharField(max_length=100, unique=True, help_text="Short English name, e.g. Kazakhstan.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_is_alpha2",
                violation_error_message="An ISO 3166-1 alpha-2 code is two capital letters.",
            ),
            models.CheckConstraint(
                condition=Q(code_alpha3__regex=r"^[A-Z]{3}$"),
                name="country_code_alpha3_is_alpha3",
                violation_error_message="An ISO 3166-1 alpha-3 code is three capital letters.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class PlaceQuerySet(CuratedQuerySet):
    def for_public_page(self) -> PlaceQuerySet:
        """One place's page: the published events held there and agreements signed there, over time."""
        from records.models.agreement import Agreement
        from records.models.event import Event

        return self.select_related("country", "parent").prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.published()
                .without_search_text()
                .defer("description", "conflict_note")
                .order_by("date_lower", "date_upper", "title"),
                to_attr="public_events",
            ),
            Prefetch(
                "agreements_signed",
                queryset=Agreement.objects.published()
                .without_search_text()
                .defer("summary", "conflict_note")
                .order_by("date_signed_lower", "title"),
                to_attr="public_agreements",
            ),
        )

    def for_api_list(self, user: Any) -> PlaceQuerySet:
        return self.select_related("country", "parent")

    def for_api_detail(self, user: Any) -> PlaceQuerySet:
        """Places with the visible events held there, over time."""
        from records.models.event import Event

        return self.for_api_list(user).prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.visible_to(user).without_search_text().order_by("date_lower", "title"),
                to_attr="visible_events",
            )
        )


class PlaceKind(models.TextChoices):
    CITY = "city", "City or town"
    REGION = "region", "Region or province"
    COUNTRY = "country", "Country as a whole (no place named)"
    SITE = "site", "Site or building"


class Place(CuratedRecord):
    """A city, region or site, in one country. Coordinates are optional."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.CITY)
    country = models.ForeignKey(
        Country,
        # A country with places recorded in it is not deleted by accident.
        on_delete=models.PROTECT,
        related_name="places",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The region this place lies in, if recorded.",
    )
    alternative_names = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names and spellings (e.g. former names), as a list.",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(blank=True)

    objects = NaturalSlugManager.from_queryset(PlaceQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_place", "Can publish and withdraw places")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="place"),
            choices_constraint("kind", PlaceKind, model="place"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_valid",
                violation_error_message="Give both latitude (−90…90) and longitude (−180…180), or neither.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="place_not_own_parent",
                violation_error_message="A place cannot lie within itself.",
            ),
        ]
        indexes = [
            # The public list and the API show published places only.
            models.Index(fields=["status"], name="place_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
