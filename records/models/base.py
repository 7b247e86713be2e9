"""What every curated record shares: publication status, timestamps, EDTF dates."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from records.dates import Bounds, describe_edtf, edtf_bounds, validate_edtf


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


def choices_constraint(
    field: str, choices: type[models.TextChoices], *, model: str, blank: bool = False
) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices`` (or is blank, if allowed).

    Adding a value to a vocabulary therefore needs a migration, which is the point: the
    database, not only the forms, refuses a value nobody defined.
    """
    values = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": values}),
        name=f"{model}_{field}_valid",
        violation_error_message=f"Unknown {field.replace('_', ' ')}.",
    )


def edtf_constraints(field: str, *, model: str, required: bool = False) -> list[models.CheckConstraint]:
    """Database checks for an EDTF date and its bound columns.

    The bounds are filled exactly when a date is given (at least one side: "[..2018-10]" has
    no lower bound), the date does not end before it starts, and a required date is given.
    """
    lower, upper = f"{field}_lower", f"{field}_upper"
    label = field.replace("_", " ")
    constraints = [
        models.CheckConstraint(
            condition=Q(**{f"{lower}__isnull": True})
            | Q(**{f"{upper}__isnull": True})
            | Q(**{f"{upper}__gte": models.F(lower)}),
            name=f"{model}_{field}_ends_after_start",
            violation_error_message=f"The {label} ends before it starts.",
        ),
        models.CheckConstraint(
            condition=Q(**{field: "", f"{lower}__isnull": True, f"{upper}__isnull": True})
            | (~Q(**{field: ""}) & (Q(**{f"{lower}__isnull": False}) | Q(**{f"{upper}__isnull": False}))),
            name=f"{model}_{field}_bounds_match",
            violation_error_message=f"The {label} and its bounds disagree.",
        ),
    ]
    if required:
        constraints.append(
            models.CheckConstraint(
                condition=~Q(**{field: ""}),
                name=f"{model}_{field}_given",
                violation_error_message=f"The {label} is required.",
            )
        )
    return constraints


def edtf_indexes(field: str, *, model: str) -> list[models.Index]:
    """Indexes on an EDTF date's bounds, for the range filters (``*_after`` compares the upper
    bound, ``*_before`` the lower one, so a record overlapping the range matches) and sorting."""
    return [
        models.Index(fields=[f"{field}_lower"], name=f"{model}_{field}_lower"),
        models.Index(fields=[f"{field}_upper"], name=f"{model}_{field}_upper"),
    ]


class EDTFField(models.CharField):
    """An EDTF date string whose bounds live in two sibling ``DateField`` columns.

    Declare ``<name>_lower`` and ``<name>_upper`` beside it; ``EDTFBoundsMixin.save()`` keeps
    them in step with the string, and ``edtf_constraints`` guards them in the database.
    """

    description = "A date in Library of Congress EDTF"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "help_text",
            "EDTF, as precise as the source and no more: 2016 · 2017-03 · 2017-03-22 · "
            "2018-21 (spring) · 2019-07-01/2019-07-05 · 2018~ (about) · 2018? (uncertain) · "
            "[..2018-10] (on or before).",
        )
        super().__init__(*args, **kwargs)
        if validate_edtf not in self.validators:
            self.validators.append(validate_edtf)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        # The validator is added by __init__; keeping it out of migrations keeps them stable.
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        model_fields = {field.name for field in self.model._meta.get_fields()}
        for suffix in ("lower", "upper"):
            sibling = f"{self.name}_{suffix}"
            if sibling not in model_fields:
                errors.append(
                    checks.Error(
                        f"EDTFField '{self.name}' needs a DateField '{sibling}' beside it.",
                        obj=self,
                        id="records.E001",
                    )
                )
        return errors


def unstorable_character(value: Any) -> str | None:
    """The first character in ``value`` (text, or the strings and keys of JSON at any depth) that
    no database column can hold, or None: NUL, which PostgreSQL refuses in text and jsonb, and a
    lone surrogate, which is not UTF-8 (JSON's ``"\\ud800"`` decodes to one)."""
    if isinstance(value, str):
        return next((char for char in value if char == "\x00" or "\ud800" <= char <= "\udfff"), None)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        return next((char for item in value if (char := unstorable_character(item)) is not None), None)
    return None


def unstorable_message(char: str) -> str:
    if char == "\x00":
        return "Null characters are not allowed."
    return f"Surrogate characters are not allowed: U+{ord(char):04X}."


class EDTFBoundsMixin(models.Model):
    """Fills the bound columns of every ``EDTFField`` from its string before saving."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_edtf_bounds()
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            for field in self.edtf_fields():
                if field.name in names:
                    names |= {f"{field.name}_lower", f"{field.name}_upper"}
            kwargs["update_fields"] = names
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # full_clean() checks the bounds constraints after this; fill them first, leniently:
        # an invalid date is reported by its own field, and Django then skips its constraints.
        for field in self.edtf_fields():
            value = (getattr(self, field.attname) or "").strip()
            try:
                bounds = edtf_bounds(value) if value else Bounds(None, None)
            except ValidationError:
                bounds = Bounds(None, None)
            setattr(self, f"{field.name}_lower", bounds.lower)
            setattr(self, f"{field.name}_upper", bounds.upper)
        super().clean_fields(exclude=exclude)

    @classmethod
    def edtf_fields(cls) -> list[EDTFField]:
        return [field for field in cls._meta.concrete_fields if isinstance(field, EDTFField)]

    def fill_edtf_bounds(self) -> None:
        for field in self.edtf_fields():
            value = (getattr(self, field.attname) or "").strip()
            setattr(self, field.attname, value)
            bounds = edtf_bounds(value) if value else Bounds(None, None)
            setattr(self, f"{field.name}_lower", bounds.lower)
            setattr(self, f"{field.name}_upper", bounds.upper)

    def describe_date(self, field_name: str) -> str:
        """The date in ``field_name`` as a person writes it ("spring 2018")."""
        return describe_edtf(getattr(self, field_name) or "")


class VersionedMixin(models.Model):
    """A version number raised on every save, for optimistic locking.

    A form or API client sends back the version it started from; ``records.services`` refuses
    the write when the record has moved on since, so no edit is silently overwritten.
    """

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every save of this record."
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            # Count from what the database holds, not from this (possibly stale) copy.
            current = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = (current or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class CuratedQuerySet(models.QuerySet):
    def published(self) -> CuratedQuerySet:
        """What the public and anonymous API clients may see."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def visible_to(self, user: Any) -> CuratedQuerySet:
        """Everything for staff who may view these records in the admin; published ones for anyone else.

        Every read path for the public and the API starts here, so a draft never leaks.
        """
        if may_view_unpublished(user, self.model):
            return self
        return self.published()

    def without_search_text(self) -> CuratedQuerySet:
        """Leaves out what only search reads: a record's text again, with all its quotes, and its words."""
        if issubclass(self.model, SearchableMixin):
            return self.defer("search_document", "search_vector")
        return self


def may_view_unpublished(user: Any, model: type[models.Model]) -> bool:
    """Curators, editors and viewers see drafts and records in review; nobody else does."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


class SearchableMixin(models.Model):
    """A record found by full-text search (records/search.py) over ``search_fields`` and its quotes."""

    search_fields: tuple[str, ...] = ()
    search_document = models.TextField(
        blank=True, editable=False, help_text="Kept up to date automatically, for search."
    )
    # PostgreSQL only: search_document as words, kept by a trigger (migration 0006) and GIN-indexed.
    # Stored, not computed per query, so a search sorted by date does not re-parse every row it
    # passes. Always NULL on SQLite, which searches search_document itself.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        abstract = True


class NaturalSlugManager(models.Manager):
    """Finds records by slug, their natural key, so fixtures load without clobbering ids."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


SlugManager = NaturalSlugManager.from_queryset(CuratedQuerySet)


class CuratedRecord(VersionedMixin, EDTFBoundsMixin, models.Model):
    """A record researchers curate: it has a publication status, a version and a change trail.

    Subclasses declare ``history = HistoricalRecords(...)`` (so each lists its own many-to-many
    fields) and a ``publish_<model>`` permission, which the Editor role holds.
    """

    status = models.CharField(
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="Published records are visible to everyone; drafts and records in review only to curators.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Removing an account must never remove the records it touched.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The user who last changed this record.",
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Text fields refuse NUL and surrogates through their form and serializer fields; JSON
        # fields have no such validator, and the database would fail on the write instead. Nor is
        # JSON null refused by Django when the field may be blank (an API form post of "null").
        errors: dict[str, list[str]] = {}
        for field in self._meta.concrete_fields:
            if isinstance(field, models.JSONField) and field.name not in (exclude or ()):
                value = getattr(self, field.attname)
                char = unstorable_character(value)
                if char is not None:
                    errors[field.name] = [unstorable_message(char)]
                elif value is None and not field.null:
                    errors[field.name] = [str(field.error_messages["null"])]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
