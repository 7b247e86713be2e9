"""The machinery behind the curators' admin (records/admin.py registers the models).

- ``CuratedAdmin``: history (django-simple-history), the review workflow as actions and as
  buttons on the change form, published records read-only for curators, restoring deleted
  records, and who changed what.
- ``VersionedModelForm``: refuses a save when someone else saved the record since the form
  was opened, keeping the input on the form (the same check guards every inline row).
- ``EDTFInput``: a date field that shows how the EDTF it holds reads ("spring 2018").
- ``SpreadsheetMixin``: CSV and XLSX import (previewed, all rows or none) and export.
- List filters by year, staleness and citations.
"""

from __future__ import annotations

import datetime
import json
import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from records import services
from records.dates import describe_edtf
from records.models import CuratedRecord, PublicationStatus
from records.models.base import EDTFField, unstorable_character, unstorable_message

STALE_DRAFT_AGE = datetime.timedelta(days=30)

OVERWRITE_HINT = (
    "Your input is kept below. Compare it with the current version (open the record in another tab), "
    "then save again to overwrite it, or reload this page to discard your changes."
)


# --- Forms and widgets -----------------------------------------------------------------------


class EDTFInput(forms.TextInput):
    """A text input for an EDTF date, followed by how it reads, updated as the curator types."""

    template_name = "records/widgets/edtf_input.html"

    class Media:
        js = ["records/admin/edtf_reading.js"]
        css = {"all": ["records/admin/records.css"]}

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, {**(attrs or {}), "data-edtf-reading": ""})
        try:
            reading = describe_edtf(str(value or ""))
        except ValueError:
            reading = ""
        context["widget"]["reading"] = reading
        context["widget"]["reading_url"] = reverse("admin:edtf_reading")
        return context


class VersionedModelForm(forms.ModelForm):
    """A form that will not overwrite a change it has not seen (optimistic locking).

    It carries the version the person started from; on save it locks the row and compares.
    After a refusal the hidden version moves to the current one, so saving again is a
    deliberate overwrite, never a silent one.
    """

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # What the database holds now: a form opened on an older copy (a history
            # version being reverted to) still only guards against later changes.
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.fields["seen_version"].initial = current.first() or self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is None or seen is None:
            return cleaned
        try:
            services.ensure_unchanged(model=type(self.instance), pk=self.instance.pk, seen_version=seen)
        except services.StaleRecordError as error:
            if error.deleted:
                raise ValidationError(f"{error} Restore it from its deleted records to work on it again.") from error
            data = self.data.copy()
            data[self.add_prefix("seen_version")] = str(
                type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).get()
            )
            self.data = data
            raise ValidationError(f"{error} {OVERWRITE_HINT}") from error
        return cleaned


# --- List filters ----------------------------------------------------------------------------


def year_filter(field: str) -> type[admin.SimpleListFilter]:
    """A filter by year on an EDTF date: a record dated 2017/2019 is listed under each of its years."""

    class YearFilter(admin.SimpleListFilter):
        title = "year"
        parameter_name = "year"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            bounds = model_admin.model._base_manager.aggregate(
                first=models.Min(f"{field}_lower"), last=models.Max(f"{field}_upper")
            )
            if not bounds["first"] or not bounds["last"]:
                return []
            return [(str(year), str(year)) for year in range(bounds["last"].year, bounds["first"].year - 1, -1)]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            if not self.value():
                return queryset
            try:
                year = int(self.value())
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            except ValueError:
                return queryset.none()
            return queryset.filter(
                models.Q(**{f"{field}_lower__lte": end}) | models.Q(**{f"{field}_lower__isnull": True}),
                models.Q(**{f"{field}_upper__gte": start}) | models.Q(**{f"{field}_upper__isnull": True}),
            ).exclude(**{field: ""})

    return YearFilter


class HasCitationFilter(admin.SimpleListFilter):
    title = "citations"
    parameter_name = "cited"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has a citation"), ("no", "Has no citation")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        return queryset


class StaleDraftFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("in_review", "In review"), ("stale", f"Drafts older than {STALE_DRAFT_AGE.days} days")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "in_review":
            return queryset.filter(status=PublicationStatus.IN_REVIEW)
        if self.value() == "stale":
            return queryset.filter(status=PublicationStatus.DRAFT, created_at__lt=timezone.now() - STALE_DRAFT_AGE)
        return queryset


# --- Role rules ------------------------------------------------------------------------------


def locked_for(request: HttpRequest, obj: Any) -> bool:
    """A published record is changed only by someone who may withdraw it (an editor)."""
    return (
        isinstance(obj, CuratedRecord)
        and obj.status == PublicationStatus.PUBLISHED
        and not services.can_publish(request.user, type(obj))
    )


class StorableJSONField(forms.JSONField):
    """JSON refused by name when it holds text no column can store (``"\\u0000"``, ``"\\ud800"``),
    and redisplayed with such characters escaped: Django writes them raw, and a page holding a lone
    surrogate cannot be encoded, so the form error would be a 500."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        char = unstorable_character(value)
        if char is not None:
            raise ValidationError(unstorable_message(char), code="unstorable")

    def prepare_value(self, value: Any) -> Any:
        text = super().prepare_value(value)
        if isinstance(text, str) and unstorable_character(text) is not None:
            return json.dumps(value, ensure_ascii=True, cls=self.encoder)
        return text


class ShownAgainOnlyIfValid:
    """Django's autocomplete widgets look the submitted ids up again to redisplay them; an id that
    is not one ("KZ" for a number, a NUL on PostgreSQL) makes that lookup raise, turning the form's
    own "select a valid choice" error into a 500. Such values are left out of the redisplay."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        remote = self.field.remote_field  # type: ignore[attr-defined]
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if _is_key(target, item)], attr)  # type: ignore[misc]


def _out_of_range(value: Any) -> bool:
    """An id no database integer can hold: SQLite raises OverflowError on it, which Django's
    model choice fields do not catch."""
    try:
        return abs(int(str(value))) >= 2**63
    except ValueError:
        return False


def _is_key(target: models.Field, value: Any) -> bool:
    if unstorable_character(value) is not None or _out_of_range(value):
        return False
    try:
        target.to_python(value)
    except ValidationError:
        return False
    return True


class RangeCheckedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RangeCheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if _out_of_range(pk):
                message = self.error_messages["invalid_pk_value"]
                raise ValidationError(message, code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class SafeAutocompleteSelect(ShownAgainOnlyIfValid, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ShownAgainOnlyIfValid, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Every admin and inline here uses the range-checked choice fields and, for
    ``autocomplete_fields``, the autocomplete widgets above."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))  # type: ignore[attr-defined]
        kwargs.setdefault("form_class", RangeCheckedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))  # type: ignore[attr-defined]
        kwargs.setdefault("form_class", RangeCheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class VersionedInline(SafeAutocompleteMixin):
    """Mixin for inlines: stale rows are refused, and a curator cannot touch a published parent's rows."""

    form = VersionedModelForm
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not locked_for(request, obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not locked_for(request, obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not locked_for(request, obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class HistoryAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Every change kept (who, when, which fields), any version restorable, deleted ones too."""

    form = VersionedModelForm
    formfield_overrides = {
        EDTFField: {"widget": EDTFInput},
        models.URLField: {"assume_scheme": "https"},
        models.JSONField: {"form_class": StorableJSONField},
    }
    change_list_template = "admin/records/change_list.html"

    def get_urls(self) -> list[Any]:
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<path:object_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Noted for get_form: the revert form shows that version's links, not today's.
        request.reverting_to = version_id  # type: ignore[attr-defined]
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        version_id = getattr(request, "reverting_to", None)
        if version_id is None:
            return form
        version = self.model.history.get(history_id=version_id)

        class RevertForm(form):  # type: ignore[misc, valid-type]
            """The form for reverting to ``version``, many-to-many links included."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                for field in getattr(version, "_history_m2m_fields", []):
                    if field.name in self.fields:
                        target = f"{field.m2m_reverse_field_name()}_id"
                        self.initial[field.name] = list(getattr(version, field.name).values_list(target, flat=True))

        return RevertForm

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """Deleted records of this kind, each with a button that restores it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "deleted": services.deleted_records(self.model),
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/records/deleted_records.html", context)

    def restore_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        try:
            record = services.restore_deleted(model=self.model, pk=object_id, by=request.user)
        except services.WorkflowError as error:
            for problem in error.problems:
                self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"))
        self.message_user(request, f"“{record}” is restored, with what was deleted with it.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))


class CuratedAdmin(HistoryAdmin):
    """For records with a publication status: the review workflow and its role rules."""

    readonly_fields = ["status", "created_at", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    actions = ["submit_for_review", "publish", "withdraw"]
    history_list_display = ["status"]
    change_form_template = "admin/records/change_form.html"

    # Buttons on the change form: POST name, label, service, needs the publish permission, outcome.
    WORKFLOW_BUTTONS = [
        ("_submit_for_review", "Save and submit for review", services.submit_for_review, False, "submitted for review"),
        ("_publish", "Save and publish", services.publish, True, "published"),
        ("_withdraw", "Save and withdraw to draft", services.withdraw, True, "withdrawn to draft"),
    ]

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return services.can_publish(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not locked_for(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not locked_for(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="changed by", ordering="updated_by__username")
    def changed_by(self, obj: CuratedRecord) -> str:
        return obj.updated_by.get_username() if obj.updated_by else "—"

    # --- workflow: actions over many rows, all or nothing

    @admin.action(description="Submit the selected records for review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, services.submit_for_review, queryset, "submitted for review")

    @admin.action(description="Publish the selected records", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, services.publish, queryset, "published")

    @admin.action(description="Withdraw the selected records to draft", permissions=["publish"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, services.withdraw, queryset, "withdrawn to draft")

    def _run(self, request: HttpRequest, transition: Any, records: Any, done: str) -> bool:
        try:
            count = transition(records=records, by=request.user)
        except services.WorkflowError as error:
            self.message_user(request, "Nothing was changed:", messages.ERROR)
            for problem in error.problems:
                self.message_user(request, problem, messages.ERROR)
            return False
        self.message_user(request, f"{count} {self.model._meta.verbose_name_plural} {done}.", messages.SUCCESS)
        return True

    # --- workflow: buttons on the change form

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        obj = kwargs.get("obj") or context.get("original")
        status = getattr(obj, "status", PublicationStatus.DRAFT)
        allowed = {
            "_submit_for_review": status == PublicationStatus.DRAFT,
            "_publish": status == PublicationStatus.IN_REVIEW,
            "_withdraw": status in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED),
        }
        context["workflow_buttons"] = [
            (name, label)
            for name, label, _, needs_publish, _ in self.WORKFLOW_BUTTONS
            if allowed[name] and (not needs_publish or self.has_publish_permission(request))
        ]
        return super().render_change_form(request, context, *args, **kwargs)

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: str | None = None) -> HttpResponse:
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request: HttpRequest, obj: Any) -> HttpResponse | None:
        for name, _, transition, _, done in self.WORKFLOW_BUTTONS:
            if name in request.POST:
                self.message_user(request, f"“{obj}” was saved.", messages.SUCCESS)
                self._run(request, transition, [obj], done)
                opts = self.model._meta
                return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        return None


class CitedAdmin(CuratedAdmin):
    """For records that carry citations: their count in the list."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(citation_count=models.Count("citations", distinct=True))

    @admin.display(description="citations", ordering="citation_count")
    def citations(self, obj: Any) -> int:
        return obj.citation_count


def _spreadsheet_problem(upload: Any, format_title: str) -> str | None:
    """Why an import file is refused before it is parsed, or None.

    Reads the file (at most IMPORT_MAX_BYTES of it) or, for XLSX, only its zip directory and the
    start of each part, and leaves it rewound for the import.
    """
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        return (
            f"The file is {filesizeformat(upload.size)}; an import takes at most {filesizeformat(limit)}. "
            "Split it into smaller files."
        )
    try:
        if format_title == "xlsx":
            return _xlsx_problem(upload)
        content = upload.read()
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return "This is not a CSV file in UTF-8: save the spreadsheet as “CSV UTF-8” and import that."
        if b"\x00" in content:
            return "This is not a CSV file: it holds binary data (NUL bytes)."
        return None
    finally:
        upload.seek(0)


def _xlsx_problem(upload: Any) -> str | None:
    if not zipfile.is_zipfile(upload):
        return "This is not an XLSX file (an Excel workbook is a zip archive): choose the format the file is in."
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            # The sizes a zip declares are the most its parts decompress to (reading checks them).
            unpacked = sum(part.file_size for part in parts)
            if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
                return (
                    f"The XLSX file unpacks to {filesizeformat(unpacked)}; an import takes at most "
                    f"{filesizeformat(settings.IMPORT_MAX_UNPACKED_BYTES)}. Split it into smaller files."
                )
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    with archive.open(part) as xml:
                        # A DTD comes before the first element; a workbook never has one, and its
                        # entities could expand without bound.
                        start = xml.read(2048)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        return "The XLSX file declares XML entities (a DTD), which an import refuses."
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return "The XLSX file is damaged: open it in a spreadsheet program and save it again."
    return None


class LimitedImportForm(ImportForm):
    """The import's first step, refusing a file that is too large or not what its format says."""

    def __init__(self, formats: list[Any], resources: list[Any], **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is not None and chosen not in (None, ""):
            problem = _spreadsheet_problem(upload, self.format_classes[int(chosen)]().get_title())
            if problem:
                self.add_error("import_file", problem)
        return cleaned


class SpreadsheetMixin(ImportExportMixin):
    """CSV and XLSX import and export (django-import-export), with the resources in records/resources.py.

    The import shows a preview of what each row changes and its errors; it applies every row
    or none, creates drafts, and respects the publish rule and stale versions row by row.
    """

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_form_class = LimitedImportForm

    def has_import_permission(self, request: HttpRequest) -> bool:
        # Importing adds and changes records: Viewers may export but not import.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        """The confirmed import re-runs the file; if the data moved since the preview, say so."""
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                "Nothing was imported: the records changed since the preview. Import the file again to see why.",
                messages.ERROR,
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        return super().process_result(result, request)
