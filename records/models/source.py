"""Sources: the citable documents every claim rests on."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from records.models.base import (
    CuratedQuerySet,
    CuratedRecord,
    EDTFField,
    NaturalSlugManager,
    PublicationStatus,
    SearchableMixin,
    choices_constraint,
    edtf_constraints,
    edtf_indexes,
)

ISSN_PATTERN = r"^[0-9]{4}-[0-9]{3}[0-9X]$"
ISBN_PATTERN = r"^(97[89])?[0-9]{9}[0-9X]$"
DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class SourceQuerySet(CuratedQuerySet):
    def for_public_page(self) -> SourceQuerySet:
        """One source's page: its full text, and every citation of it from a published record."""
        from records.models.citation import Citation

        return self.without_search_text().prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.visible_to(None).with_records().order_by("id"),
                to_attr="public_citations",
            )
        )

    def for_api_list(self, user: Any) -> SourceQuerySet:
        """Sources without their (possibly long) full text, which lists never show."""
        return self.without_search_text().defer("full_text")

    def for_api_detail(self, user: Any) -> SourceQuerySet:
        """Sources with every record citing them that ``user`` may see."""
        from records.models.citation import Citation

        return self.without_search_text().prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.visible_to(user).with_records().order_by("id"),
                to_attr="visible_citations",
            )
        )


class SourceType(models.TextChoices):
    ARTICLE = "article", "Article"
    REPORT = "report", "Report"
    INTERVIEW = "interview", "Interview"
    OFFICIAL_DOCUMENT = "official_document", "Official document"
    NEWS_ITEM = "news_item", "News item"
    DATASET = "dataset", "Dataset"
    WEB_PAGE = "web_page", "Web page"


def validate_issn(value: str) -> None:
    """ISSN with its check digit (ISO 3297): 2627-7190 is valid, 2627-7191 is not."""
    if not re.fullmatch(ISSN_PATTERN, value):
        raise ValidationError("An ISSN is written NNNN-NNNC, e.g. 2627-7190.", code="invalid_issn")
    digits = value.replace("-", "")
    remainder = sum(int(digit) * weight for digit, weight in zip(digits[:7], range(8, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    expected = "X" if check == 10 else str(check)
    if digits[7] != expected:
        raise ValidationError(
            "ISSN %(value)s has a wrong check digit (expected %(expected)s).",
            code="invalid_issn",
            params={"value": value, "expected": expected},
        )


def validate_names(value: Any) -> None:
    """Authors and editors: a list of {"family", "given"} or {"literal"} (CSL's name model)."""
    if not isinstance(value, list):
        raise ValidationError("Give a list of names.", code="invalid_names")
    for name in value:
        if not isinstance(name, dict) or not name:
            raise ValidationError("Each name is an object with family/given or literal.", code="invalid_names")
        unknown = set(name) - {"family", "given", "literal"}
        if unknown:
            raise ValidationError(
                "Unknown name part(s): %(parts)s.", code="invalid_names", params={"parts": ", ".join(sorted(unknown))}
            )
        if not (name.get("family") or name.get("literal")):
            raise ValidationError(
                "Each name needs a family name or, for an organisation, a literal name.", code="invalid_names"
            )
        if any(not isinstance(part, str) for part in name.values()):
            raise ValidationError("Name parts are text.", code="invalid_names")


def format_name(name: dict[str, str]) -> str:
    if name.get("literal"):
        return name["literal"]
    return " ".join(part for part in (name.get("given", ""), name.get("family", "")) if part)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Source(SearchableMixin, CuratedRecord):
    """A citable document. Its stored full text, when there is one, is its archived snapshot.

    Citations to a source with full text must quote it verbatim; the snapshot's SHA-256 is
    kept so anyone can check that the text quoted is the text archived.
    """

    search_fields = ("title", "container_title", "publisher", "authors", "note")

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=SourceType.choices)
    container_title = models.CharField(
        max_length=300, blank=True, help_text="The series, journal or website it appeared in."
    )
    number = models.CharField(max_length=50, blank=True, help_text="Issue or number within the series.")
    authors = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_names],
        help_text='A list such as [{"family": "Muratbekova", "given": "Albina"}], '
        'or [{"literal": "Caspian Policy Center"}] for an organisation.',
    )
    editors = models.JSONField(default=list, blank=True, validators=[validate_names])
    publisher = models.CharField(max_length=300, blank=True)
    place_published = models.CharField(max_length=200, blank=True)
    published = EDTFField("publication date", blank=True)
    published_lower = models.DateField(null=True, blank=True, editable=False)
    published_upper = models.DateField(null=True, blank=True, editable=False)
    url = models.URLField("URL", max_length=1000, blank=True)
    accessed = models.DateField(null=True, blank=True, help_text="When the URL was last read.")
    issn = models.CharField(
        "ISSN", max_length=9, blank=True, validators=[validate_issn], help_text="NNNN-NNNC, e.g. 2627-7190."
    )
    isbn = models.CharField(
        "ISBN", max_length=13, blank=True, help_text="ISBN-10 or ISBN-13, digits only (X allowed last)."
    )
    doi = models.CharField(
        "DOI", max_length=200, blank=True, help_text="e.g. 10.1000/xyz123, without https://doi.org/."
    )
    language = models.CharField(max_length=20, default="en", help_text="BCP 47 code, e.g. en, ru, kk, uz.")
    full_text = models.TextField(
        blank=True,
        help_text="The archived text of the document, exactly as obtained. "
        "Quotes from this source are checked against it.",
    )
    full_text_sha256 = models.CharField("SHA-256 of the full text", max_length=64, blank=True, editable=False)
    full_text_archived_on = models.DateField(null=True, blank=True, help_text="When the full text was archived.")
    note = models.TextField(blank=True, help_text="How the source was obtained, and anything a reader should know.")

    objects = NaturalSlugManager.from_queryset(SourceQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_document", "search_vector"])

    class Meta:
        ordering = ["-published_lower", "title"]
        permissions = [("publish_source", "Can publish and withdraw sources")]
        constraints = [
            choices_constraint("status", PublicationStatus, model="source"),
            choices_constraint("type", SourceType, model="source"),
            *edtf_constraints("published", model="source"),
            models.CheckConstraint(
                condition=Q(issn="") | Q(issn__regex=ISSN_PATTERN),
                name="source_issn_format",
                violation_error_message="An ISSN is written NNNN-NNNC.",
            ),
            models.CheckConstraint(
                condition=Q(isbn="") | Q(isbn__regex=ISBN_PATTERN),
                name="source_isbn_format",
                violation_error_message="An ISBN is 10 or 13 digits (X allowed last).",
            ),
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=DOI_PATTERN),
                name="source_doi_format",
                violation_error_message="A DOI starts with 10. and a registrant code.",
            ),
            models.CheckConstraint(
                condition=Q(language__regex=LANGUAGE_PATTERN),
                name="source_language_format",
                violation_error_message="The language is a BCP 47 code such as en or ru.",
            ),
            models.CheckConstraint(
                condition=Q(full_text="", full_text_sha256="")
                | (~Q(full_text="") & Q(full_text_sha256__regex=SHA256_PATTERN)),
                name="source_full_text_has_sha256",
                violation_error_message="A stored full text is kept with its SHA-256.",
            ),
        ]
        indexes = [
            # The API's type filter over published sources.
            models.Index(fields=["status", "type"], name="source_status_type_idx"),
            *edtf_indexes("published", model="source"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        # full_clean() checks the constraint that pairs the text with its hash before save() would
        # compute it; without this an API write that sets full_text is always refused.
        self.full_text_sha256 = sha256_of(self.full_text) if self.full_text else ""
        super().clean()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_text_sha256 = sha256_of(self.full_text) if self.full_text else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "full_text_sha256"}
        super().save(*args, **kwargs)

    @property
    def author_names(self) -> str:
        return "; ".join(format_name(name) for name in self.authors)
