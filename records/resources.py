"""Spreadsheet import and export of events, agreements, observations and sources.

Built on django-import-export, so the admin gets its upload, preview-of-changes and download
pages for free; this module decides what a row looks like and what a row may do.

A row is meant to be edited by a person in a spreadsheet, so:

* records are matched by their natural key (``slug``; an observation's ``uuid``), never by the
  database id, which means nothing outside one database;
* relations are written as slugs (countries as ISO codes), several separated by commas, and
  an author list as ``Family, Given; Family, Given`` rather than JSON;
* a date is the EDTF string the source supports (``2017-03``); its computed bounds, the
  status, the time of the last change and the version are exported for reading and sorting,
  and ignored on import;
* an event, agreement or observation row may carry one citation (``source``, ``locator``,
  ``quote``), checked against the source's stored text exactly as the admin checks it.

What an import may do is deliberately narrow:

* every row goes through the model's ``full_clean()``, so a bad date, an unknown type or a
  missing title comes back as an error on that row and column, never as a server error;
* an import applies every row or none: one refused row rolls the whole file back, however
  ``import_data()`` is called (``import_data`` forces the transaction and the rollback);
* new records are drafts (the status column is read-only), and a published record changes
  only for someone who may publish it, the same rule the review workflow enforces;
* every saved record records who imported it (``updated_by`` and its history).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from import_export import fields, resources, widgets
from import_export.results import RowResult
from tablib import Dataset

from records import services
from records.models import (
    CITED_RECORD_FIELDS,
    Actor,
    Agreement,
    Citation,
    Country,
    CuratedRecord,
    Event,
    Indicator,
    Observation,
    Place,
    PublicationStatus,
    Source,
    Topic,
)

PUBLISHED_MESSAGE = "Published records are changed by an editor: withdraw it first."

# The citation a row may carry, as columns named after the Citation fields they fill, so a
# citation's own validation errors land on the column that caused them.
CITATION_COLUMNS = ("source", "locator", "quote", "quote_prefix", "quote_suffix")

# Read-only columns every curated record exports after its own.
RECORD_STATE_COLUMNS = ["status", "updated_at", "version"]


def _text(value: Any) -> str:
    """A cell as text. XLSX cells arrive as None (blank), numbers or dates; CSV cells as text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # A year typed into a spreadsheet ("2016") comes back as 2016.0 from some writers.
        return str(int(value))
    return str(value)


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"“{value}”" for value in values)


# --- Widgets: one cell ⇄ one value ---------------------------------------------------------


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record by its slug; an unknown slug is an error on the column, not a crash.

    The stock widget lets ``DoesNotExist`` escape, which the import reports as a traceback
    instead of a row error a curator can act on.
    """

    def __init__(self, model: type[models.Model], field: str = "slug") -> None:
        super().__init__(model, field=field)

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> models.Model | None:
        key = _text(value).strip()
        if not key:
            return None
        try:
            return self.model._default_manager.get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} has the {self.field} “{key}”.") from None


class SlugManyToManyWidget(widgets.ManyToManyWidget):
    """Several related records as comma-separated slugs (or codes).

    The stock widget silently drops values it cannot find, so a mistyped slug would quietly
    unlink a place; here every value must exist, or the row is refused naming the ones missing.
    """

    def __init__(
        self, model: type[models.Model], field: str = "slug", normalise: Callable[[str], str] | None = None
    ) -> None:
        super().__init__(model, separator=",", field=field)
        self.normalise = normalise

    def keys(self, value: Any) -> list[str]:
        keys: list[str] = []
        for part in _text(value).split(self.separator):
            key = part.strip()
            if self.normalise is not None:
                key = self.normalise(key)
            if key and key not in keys:
                keys.append(key)
        return keys

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> list[models.Model]:
        keys = self.keys(value)
        if not keys:
            return []
        found = {
            str(getattr(obj, self.field)): obj
            for obj in self.model._default_manager.filter(**{f"{self.field}__in": keys})
        }
        missing = [key for key in keys if key not in found]
        if missing:
            opts = self.model._meta
            if len(missing) == 1:
                raise ValueError(f"No {opts.verbose_name} has the {self.field} {_quoted(missing)}.")
            raise ValueError(f"No {opts.verbose_name_plural} have the {self.field}s {_quoted(missing)}.")
        return [found[key] for key in keys]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        # .all() reads the prefetched rows when the export queryset prefetched them.
        return ", ".join(str(getattr(item, self.field)) for item in value.all())


class EDTFWidget(widgets.CharWidget):
    """An EDTF date string. Validation is the model's (``full_clean``), so the message is too."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> str:
        return _text(value).strip()

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        # Always text: a spreadsheet must not turn "2016" into a number or "2017-03" into a day.
        return "" if value is None else str(value)


class PlainDecimalWidget(widgets.DecimalWidget):
    """A figure written plainly ("3000000000", "1.5"), exported as exact text.

    Exported as text even to XLSX, because a spreadsheet number is a binary float and would
    round a 20-digit figure; read strictly, because "1,500" could mean 1.5 or 1500.
    """

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> Decimal | None:
        if isinstance(value, Decimal | int):
            return Decimal(value)
        text = _text(value).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(
                f"“{text}” is not a number: write digits with a point for decimals and no thousands separators."
            )
        return number

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return format(Decimal(value).normalize(), "f")


class YesNoWidget(widgets.BooleanWidget):
    """true/false (also yes/no, 1/0); blank is false. Anything else is an error.

    The stock widget reads every unrecognised word, "yes" included, as false.
    """

    TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
    FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).strip().lower()
        if text in self.TRUE_WORDS:
            return True
        if text in self.FALSE_WORDS:
            return False
        raise ValueError(f"“{value}” is neither true nor false.")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return bool(value)
        return "true" if value else "false"


class UUIDWidget(widgets.Widget):
    """An observation's UUID; blank means "a new observation"."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> uuid.UUID | None:
        text = _text(value).strip()
        if not text:
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a UUID. Leave it blank for a new observation.") from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(value) if value else ""


class IsoDateWidget(widgets.DateWidget):
    """A calendar date as YYYY-MM-DD only: 03/04/2019 means different days in different countries."""

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            # XLSX date cells arrive as datetimes; the model field holds the day.
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(f"“{value}” is not a date: write it as YYYY-MM-DD, e.g. 2019-07-16.") from None


class TimestampWidget(widgets.Widget):
    """A read-only timestamp as ISO 8601 text in UTC.

    Text rather than a native cell because openpyxl refuses time-zone-aware datetimes.
    """

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds")


def parse_names(text: str) -> list[dict[str, str]]:
    """ "Muratbekova, Albina; {Caspian Policy Center}" → CSL names.

    "Family, Given" is a person; a name without a comma, or one in braces (needed when an
    organisation's name contains a comma or semicolon), is a literal name.
    """
    names: list[dict[str, str]] = []
    for item in _split_names(text):
        if item.startswith("{") and item.endswith("}"):
            names.append({"literal": item[1:-1].strip()})
        elif "," in item:
            family, _, given = item.partition(",")
            name = {"family": family.strip()}
            if given.strip():
                name["given"] = given.strip()
            names.append(name)
        else:
            names.append({"literal": item})
    return names


def _split_names(text: str) -> list[str]:
    items, current, depth = [], [], 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                break
        if char == ";" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise ValueError(f"“{text}” has unbalanced braces: put an organisation's name in {{ and }}.")
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def format_names(names: Any) -> str:
    """CSL names → "Family, Given; Literal", the inverse of ``parse_names``.

    A family name without a given name keeps its comma ("Nazarbayev,"), or it would come
    back as an organisation.
    """
    parts = []
    for name in names or []:
        if name.get("literal"):
            literal = name["literal"]
            parts.append(f"{{{literal}}}" if any(char in literal for char in ",;{}") else literal)
        elif name.get("given"):
            parts.append(f"{name.get('family', '')}, {name['given']}")
        else:
            parts.append(f"{name.get('family', '')},")
    return "; ".join(parts)


class NamesWidget(widgets.Widget):
    """Authors or editors as "Family, Given; Family, Given"; see ``parse_names``."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> list[dict[str, str]]:
        return parse_names(_text(value))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return format_names(value)


# --- Fields --------------------------------------------------------------------------------


def edtf_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=EDTFWidget())


def bound_field(name: str) -> fields.Field:
    """A date's computed lower or upper bound: exported for sorting, never imported."""
    return fields.Field(attribute=name, column_name=name, widget=IsoDateWidget(), readonly=True)


def slug_field(name: str, model: type[models.Model], key: str = "slug") -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=SlugForeignKeyWidget(model, key))


def slugs_field(
    name: str, model: type[models.Model], key: str = "slug", normalise: Callable[[str], str] | None = None
) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=SlugManyToManyWidget(model, key, normalise))


def _row_citation(instance: models.Model) -> Citation | None:
    """The citation a row shows: the one it is about to add, else the record's first (by id)."""
    pending = instance.__dict__.get("_import_citation")
    if pending is not None:
        return pending
    if instance.pk is None:
        return None
    # Citation.Meta.ordering is ["id"]; .all() reads the prefetched citations when there are any.
    return next(iter(instance.citations.all()), None)


class CitationColumn(fields.Field):
    """One part of the row's citation.

    It has no model attribute, so import-export never writes it to the record; the resource
    reads these columns itself (``CitedResource.citation_from_row``). Its value, for export and
    for the preview's diff, is the citation the row shows (see ``_row_citation``).
    """

    def __init__(self, part: str) -> None:
        super().__init__(attribute=None, column_name=part, widget=widgets.CharWidget())
        self.part = part

    def get_value(self, instance: models.Model) -> Any:
        citation = _row_citation(instance)
        if citation is None:
            return None
        if self.part == "source":
            return citation.source.slug
        return getattr(citation, self.part)


# --- Resources -----------------------------------------------------------------------------


class CuratedResource(resources.ModelResource):
    """What every curated record's import shares: natural keys, drafts, the publish rule,
    ``updated_by``, blank lines, and all-or-nothing."""

    status = fields.Field(attribute="status", column_name="status", readonly=True, widget=widgets.CharWidget())
    updated_at = fields.Field(attribute="updated_at", column_name="updated_at", readonly=True, widget=TimestampWidget())
    version = fields.Field(attribute="version", column_name="version", readonly=True, widget=widgets.IntegerWidget())

    # select_related / prefetch_related for export, so it runs the same queries for 3 rows or 3,000.
    related: ClassVar[tuple[str, ...]] = ()
    prefetched: ClassVar[tuple[str | Prefetch, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._import_user: Any = None
        self._change_reason = "Imported"

    @classmethod
    def widget_from_django_field(cls, f: models.Field, default: type[widgets.Widget] = widgets.Widget) -> Any:
        # import-export maps no widget to TextField, so a blank XLSX cell (None) would reach a
        # NOT NULL column and differ from the stored "" (the round trip would see a change).
        if isinstance(f, models.TextField):
            return widgets.CharWidget
        return super().widget_from_django_field(f, default)

    # Export -------------------------------------------------------------------------------

    def with_relations(self, queryset: QuerySet) -> QuerySet:
        # prefetch_related(None) first: adding the same Prefetch twice is an error in Django.
        return queryset.select_related(*self.related).prefetch_related(None).prefetch_related(*self.prefetched)

    def get_queryset(self) -> QuerySet:
        """Also what the import looks rows up in: prefetched, the preview's diff reads no more rows."""
        return self.with_relations(self._meta.model._default_manager.all())

    def filter_export(self, queryset: QuerySet, **kwargs: Any) -> QuerySet:
        """The admin exports its own (filtered) changelist queryset; add the prefetches to it."""
        return self.with_relations(queryset)

    # Import -------------------------------------------------------------------------------

    def import_data(
        self,
        dataset: Dataset,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Import every row or none.

        import-export rolls back on an exception but, by default, keeps the valid rows of a
        file that has invalid ones. The issue asks for all or nothing, so the transaction and
        the rollback on validation errors are forced here, whatever the caller passes.
        """
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        # The admin passes the signed-in user as import_data(user=...); keep it for the rows.
        self._import_user = kwargs.get("user")
        file_name = kwargs.get("file_name")
        self._change_reason = f"Imported from {file_name}" if file_name else "Imported"

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> RowResult:
        """Skip a blank line instead of refusing it as a record with no title.

        Spreadsheets often carry empty rows below the data; the file's row numbers stay as
        they are (rows are not removed), so errors still point at the right line.
        """
        if all(not _text(value).strip() for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    def after_init_instance(self, instance: CuratedRecord, new: bool, row: dict[str, Any], **kwargs: Any) -> None:
        # Noted before the row touches the record; status is read-only, but be explicit.
        instance._import_was_published = not new and instance.status == PublicationStatus.PUBLISHED
        # The version the file was exported at, if it says: a row from an older export must
        # not overwrite what was saved since (no edit is silently lost).
        seen = _text(row.get("version")).strip()
        instance._import_seen_version = int(seen) if seen.isdigit() and not new else None

    def import_instance(self, instance: CuratedRecord, row: dict[str, Any], **kwargs: Any) -> None:
        """Set the record's fields from the row, collecting every problem of the row at once.

        import-export only reads many-to-many columns after saving, where an unknown slug
        would be an exception; they are checked here so it is an error on the column.
        """
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(error), code="invalid"))
        try:
            self.import_extra(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_extra(self, instance: CuratedRecord, row: dict[str, Any]) -> None:
        """Hook for what a row carries beyond the record's own fields (a citation)."""

    def validate_instance(
        self,
        instance: CuratedRecord,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        """``full_clean()`` (Meta.clean_model_instances), plus the rule on published records.

        Called only for rows that change something, so re-importing an unchanged published
        record is not refused.
        """
        errors = dict(import_validation_errors or {})
        seen = getattr(instance, "_import_seen_version", None)
        if seen is not None and seen != instance.version:
            who, when = services.last_change(instance)
            stale = services.StaleRecordError(str(instance), who, when, deleted=False)
            errors[NON_FIELD_ERRORS] = [
                *errors.get(NON_FIELD_ERRORS, []),
                ValidationError(
                    f"{stale} The file holds version {seen}, the database version {instance.version}: "
                    "export it again and redo this row's changes there.",
                    code="stale",
                ),
            ]
        if getattr(instance, "_import_was_published", False) and not self.may_change_published():
            errors[NON_FIELD_ERRORS] = [
                *errors.get(NON_FIELD_ERRORS, []),
                ValidationError(PUBLISHED_MESSAGE, code="published"),
            ]
        super().validate_instance(instance, errors, validate_unique)

    def may_change_published(self) -> bool:
        """Whether the importing user holds the Editor's publish permission for this model."""
        user = self._import_user
        opts = self._meta.model._meta
        return bool(user is not None and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"))

    def before_save_instance(self, instance: CuratedRecord, row: dict[str, Any], **kwargs: Any) -> None:
        user = self._import_user if getattr(self._import_user, "is_authenticated", False) else None
        instance.updated_by = user
        # django-simple-history reads these for the history entry of this save.
        instance._history_user = user
        instance._change_reason = self._change_reason


class CitedResource(CuratedResource):
    """An event, agreement or observation: a row may also carry one citation."""

    source = CitationColumn("source")
    locator = CitationColumn("locator")
    quote = CitationColumn("quote")
    quote_prefix = CitationColumn("quote_prefix")
    quote_suffix = CitationColumn("quote_suffix")

    # The Citation foreign key that points at this resource's model.
    citation_field: ClassVar[str] = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sources: dict[str, Source | None] = {}

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._sources = {}

    def find_source(self, slug: str) -> Source | None:
        if slug not in self._sources:
            self._sources[slug] = Source.objects.filter(slug=slug).first()
        return self._sources[slug]

    def import_extra(self, instance: CuratedRecord, row: dict[str, Any]) -> None:
        instance._import_citation = self.citation_from_row(instance, row)

    def citation_from_row(self, instance: CuratedRecord, row: dict[str, Any]) -> Citation | None:
        """The citation to add for this row: None when the row gives none or the record has it.

        Validated with ``Citation.full_clean()``, so a quote missing from the source's stored
        text is refused with the closest passage, as in the admin. The record's foreign key
        is left out of that check: a new record has no id yet.
        """
        values = {column: _text(row.get(column)) for column in CITATION_COLUMNS}
        slug = values["source"].strip()
        if not slug:
            if any(values[column].strip() for column in CITATION_COLUMNS[1:]):
                raise ValidationError({"source": "Give the slug of the source the locator and quote come from."})
            return None
        source = self.find_source(slug)
        if source is None:
            raise ValidationError({"source": f"No source has the slug “{slug}”."})
        citation = Citation(
            source=source,
            locator=values["locator"],
            quote=values["quote"],
            quote_prefix=values["quote_prefix"],
            quote_suffix=values["quote_suffix"],
        )
        if (
            instance.pk is not None
            and Citation.objects.filter(
                **{self.citation_field: instance}, source=source, locator=citation.locator, quote=citation.quote
            ).exists()
        ):
            return None
        citation.full_clean(exclude=list(CITED_RECORD_FIELDS))
        return citation

    def skip_row(
        self,
        instance: CuratedRecord,
        original: CuratedRecord,
        row: dict[str, Any],
        import_validation_errors: dict[str, Any] | None = None,
    ) -> bool:
        # A new citation is a change even when the record's own fields are not.
        if instance.__dict__.get("_import_citation") is not None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance: CuratedRecord, is_create: bool) -> None:
        super().do_instance_save(instance, is_create)
        citation = instance.__dict__.get("_import_citation")
        if citation is not None:
            setattr(citation, self.citation_field, instance)
            citation._history_user = instance.updated_by
            citation._change_reason = self._change_reason
            citation.save()


def _citations() -> Prefetch:
    return Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("id"))


class EventResource(CitedResource):
    """Events: places, topics and agreements as comma-separated slugs."""

    date = edtf_field("date")
    date_lower = bound_field("date_lower")
    date_upper = bound_field("date_upper")
    places = slugs_field("places", Place)
    agreements = slugs_field("agreements", Agreement)
    topics = slugs_field("topics", Topic)

    citation_field = "event"
    prefetched = ("places", "agreements", "topics", _citations())

    class Meta:
        model = Event
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "type",
            "date",
            "date_lower",
            "date_upper",
            "occurrence",
            "places",
            "agreements",
            "topics",
            "description",
            "conflict_note",
            *CITATION_COLUMNS,
            *RECORD_STATE_COLUMNS,
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class AgreementResource(CitedResource):
    """Agreements: parties as ISO codes ("KZ, UZ"), topics and the place signed as slugs."""

    date_signed = edtf_field("date_signed")
    date_signed_lower = bound_field("date_signed_lower")
    date_signed_upper = bound_field("date_signed_upper")
    period_covered = edtf_field("period_covered")
    period_covered_lower = bound_field("period_covered_lower")
    period_covered_upper = bound_field("period_covered_upper")
    place_signed = slug_field("place_signed", Place)
    parties = slugs_field("parties", Country, key="code", normalise=str.upper)
    topics = slugs_field("topics", Topic)

    citation_field = "agreement"
    related = ("place_signed",)
    prefetched = ("parties", "topics", _citations())

    class Meta:
        model = Agreement
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "short_title",
            "type",
            "legal_status",
            "date_signed",
            "date_signed_lower",
            "date_signed_upper",
            "period_covered",
            "period_covered_lower",
            "period_covered_upper",
            "place_signed",
            "parties",
            "topics",
            "summary",
            "conflict_note",
            *CITATION_COLUMNS,
            *RECORD_STATE_COLUMNS,
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ObservationResource(CitedResource):
    """Observations, matched by ``uuid``; a blank uuid (or no uuid column) adds a new one.

    A uuid the database does not know also adds one, keeping that uuid, so a file exported
    from one copy of the database re-creates the same observations in another.
    """

    uuid = fields.Field(attribute="uuid", column_name="uuid", widget=UUIDWidget(), saves_null_values=False)
    indicator = slug_field("indicator", Indicator)
    period = edtf_field("period")
    period_lower = bound_field("period_lower")
    period_upper = bound_field("period_upper")
    value = fields.Field(attribute="value", column_name="value", widget=PlainDecimalWidget())
    baseline = edtf_field("baseline")
    baseline_lower = bound_field("baseline_lower")
    baseline_upper = bound_field("baseline_upper")
    reported_by = slug_field("reported_by", Actor)
    agreement = slug_field("agreement", Agreement)
    event = slug_field("event", Event)
    is_preferred = fields.Field(attribute="is_preferred", column_name="is_preferred", widget=YesNoWidget())

    citation_field = "observation"
    related = ("indicator", "reported_by", "agreement", "event")
    prefetched = (_citations(),)

    class Meta:
        model = Observation
        import_id_fields = ["uuid"]
        fields = [
            "uuid",
            "indicator",
            "period",
            "period_lower",
            "period_upper",
            "value",
            "qualifier",
            "kind",
            "change_unit",
            "baseline",
            "baseline_lower",
            "baseline_upper",
            "reported_by",
            "agreement",
            "event",
            "is_preferred",
            "preferred_reason",
            "note",
            *CITATION_COLUMNS,
            *RECORD_STATE_COLUMNS,
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        # A sheet of new figures needs no uuid column; import-export insists on the key column.
        if dataset.headers and "uuid" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="uuid")
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader: Any, row: dict[str, Any]) -> Observation | None:
        """No lookup for a blank uuid (new) or a malformed one (the uuid column reports it)."""
        try:
            key = self.fields["uuid"].clean(row)
        except (KeyError, ValueError):
            return None
        if key is None:
            return None
        return super().get_instance(instance_loader, row)


class SourceResource(CuratedResource):
    """Sources, with authors and editors as "Family, Given; Family, Given".

    The stored full text is neither imported nor exported (its SHA-256 is, read-only): it can
    run to hundreds of thousands of characters, more than a spreadsheet cell holds (32,767 in
    Excel), and a truncated copy re-imported would no longer contain the quotes citing it.
    """

    authors = fields.Field(attribute="authors", column_name="authors", widget=NamesWidget())
    editors = fields.Field(attribute="editors", column_name="editors", widget=NamesWidget())
    published = edtf_field("published")
    published_lower = bound_field("published_lower")
    published_upper = bound_field("published_upper")
    accessed = fields.Field(attribute="accessed", column_name="accessed", widget=IsoDateWidget())
    full_text_sha256 = fields.Field(
        attribute="full_text_sha256", column_name="full_text_sha256", readonly=True, widget=widgets.CharWidget()
    )

    class Meta:
        model = Source
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "type",
            "authors",
            "editors",
            "container_title",
            "number",
            "publisher",
            "place_published",
            "published",
            "published_lower",
            "published_upper",
            "url",
            "accessed",
            "issn",
            "isbn",
            "doi",
            "language",
            "note",
            "full_text_sha256",
            *RECORD_STATE_COLUMNS,
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
