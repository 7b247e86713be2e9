"""Citations: one curated record, one source, a locator and a verbatim quote."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from records.models.base import PublicationStatus, VersionedMixin, may_view_unpublished
from records.models.source import Source
from records.quotes import Span, closest_passage, find_quote

# The records a citation can support, each a nullable foreign key; exactly one is set.
CITED_RECORD_FIELDS = ("event", "agreement", "observation", "office")


def _exactly_one_record() -> Q:
    condition = Q()
    for field in CITED_RECORD_FIELDS:
        only_this = Q(**{f"{field}__isnull": False})
        for other in CITED_RECORD_FIELDS:
            if other != field:
                only_this &= Q(**{f"{other}__isnull": True})
        condition |= only_this
    return condition


# Columns a citation never shows of what it joins: a source's stored text (often a whole
# interview, once per citation) and what search alone reads.
SEARCH_TEXT = ("search_document", "search_vector")
SOURCE_TEXT = ("source__full_text", *(f"source__{field}" for field in SEARCH_TEXT))


class CitationQuerySet(models.QuerySet):
    def of_visible_sources(self, user: Any) -> CitationQuerySet:
        """Citations whose source ``user`` may see: what a visible record may embed."""
        if may_view_unpublished(user, Source):
            return self
        return self.filter(source__status=PublicationStatus.PUBLISHED)

    def visible_to(self, user: Any) -> CitationQuerySet:
        """Citations whose source and record ``user`` may both see."""
        if may_view_unpublished(user, Source):
            return self
        published = PublicationStatus.PUBLISHED
        return self.of_visible_sources(user).filter(
            Q(event__status=published)
            | Q(agreement__status=published)
            | Q(observation__status=published, observation__indicator__status=published)
            | Q(office__actor__status=published)
        )

    def with_source(self) -> CitationQuerySet:
        """Each citation with its source joined, as a citation embedded in its record shows it."""
        return self.select_related("source").defer(*SOURCE_TEXT)

    def with_records(self) -> CitationQuerySet:
        """Each citation's source and record, joined: for lists of citations."""
        return self.select_related("source", "event", "agreement", "observation__indicator", "office__actor").defer(
            *SOURCE_TEXT, *(f"{record}__{field}" for record in ("event", "agreement") for field in SEARCH_TEXT)
        )


class CitationManager(models.Manager.from_queryset(CitationQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, key: str) -> Citation:
        return self.get(uuid=key)


class Citation(VersionedMixin, models.Model):
    """Ties one record to one source: where in it (locator) and what it says (quote).

    The quote is anchored like a W3C Web Annotation TextQuoteSelector: the exact passage,
    and optionally the words just before and after it when the passage occurs more than
    once. When the source has a stored full text the quote must occur in it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(
        Source,
        # A source that supports claims cannot be deleted out from under them.
        on_delete=models.PROTECT,
        related_name="citations",
    )
    event = models.ForeignKey(
        "records.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    agreement = models.ForeignKey(
        "records.Agreement", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    observation = models.ForeignKey(
        "records.Observation", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    office = models.ForeignKey(
        "records.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    locator = models.CharField(
        max_length=200,
        help_text='Where in the source: "p. 4", "pp. 1-3, 20", "footnote 1", "para. 2".',
    )
    quote = models.TextField(
        help_text="The passage, copied exactly. Line breaks and hyphenation from a PDF do not matter.",
    )
    quote_prefix = models.CharField(
        max_length=200,
        blank=True,
        help_text="A few words just before the quote, when the same passage occurs more than once.",
    )
    quote_suffix = models.CharField(
        max_length=200,
        blank=True,
        help_text="A few words just after the quote, when the same passage occurs more than once.",
    )
    note = models.TextField(
        blank=True,
        help_text="What this citation supports, or how its claim differs from the record's other sources.",
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the API's updated_after (sync)

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_record(),
                name="citation_supports_exactly_one_record",
                violation_error_message="A citation supports exactly one record.",
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="citation_quote_given",
                violation_error_message="A citation needs the quoted passage.",
            ),
            models.CheckConstraint(
                condition=~Q(locator=""),
                name="citation_locator_given",
                violation_error_message="A citation needs a locator (page, footnote, paragraph).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.locator})"

    def natural_key(self) -> tuple[str]:
        return (str(self.uuid),)

    @property
    def record(self) -> models.Model | None:
        """The record this citation supports."""
        for field in CITED_RECORD_FIELDS:
            value = getattr(self, field)
            if value is not None:
                return value
        return None

    @property
    def record_type(self) -> str:
        for field in CITED_RECORD_FIELDS:
            if getattr(self, f"{field}_id") is not None:
                return field
        return ""

    def locate(self) -> list[Span]:
        """Where the quote lies in the source's full text; empty if it has none or it is absent."""
        return find_quote(self.source.full_text, self.quote, self.quote_prefix, self.quote_suffix)

    def clean(self) -> None:
        # "Exactly one record" is left to the database constraint: an inline form validates its
        # citation before the record it belongs to has an id.
        super().clean()
        if self.source_id is None or not self.quote or not self.source.full_text:
            return
        if self.locate():
            return
        if find_quote(self.source.full_text, self.quote):
            raise ValidationError(
                {
                    "quote_prefix": "The quote occurs in the source, but not with these words before and after it.",
                }
            )
        nearest = closest_passage(self.source.full_text, self.quote)
        message = "This quote does not occur in the stored text of “%(source)s”."
        if nearest:
            message += " The closest passage is: “%(nearest)s”."
        raise ValidationError(
            {
                "quote": ValidationError(
                    message, code="quote_not_in_source", params={"source": self.source, "nearest": nearest}
                )
            }
        )
