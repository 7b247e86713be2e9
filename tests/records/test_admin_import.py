"""Import and export from the admin: preview, per-row errors, all rows or none, roles."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from records.models import Event, PublicationStatus
from tests.admin_forms import admin_url
from tests.factories import EventFactory, SourceWithTextFactory

pytestmark = pytest.mark.django_db

QUOTE = "The Treaty of Eternal Friendship was signed in 1998."
CSV_FORMAT = "0"  # the first of the admin's formats: CSV


def _csv(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(slug: str, **changes: str) -> dict[str, str]:
    return {
        "slug": slug,
        "title": f"Imported {slug}",
        "type": "summit",
        "date": "2018-21",
        "source": "treaty-text",
        "locator": "p. 1",
        "quote": QUOTE,
        **changes,
    }


def _preview(client: Client, content: bytes) -> Any:
    upload = SimpleUploadedFile("events.csv", content, content_type="text/csv")
    return client.post(admin_url(Event, "import"), {"import_file": upload, "format": CSV_FORMAT, "resource": "0"})


def _confirm(client: Client, preview: Any) -> Any:
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(admin_url(Event, "process_import"), data, follow=True)


@pytest.fixture
def source() -> Any:
    return SourceWithTextFactory(slug="treaty-text")


def test_a_good_csv_is_previewed_then_imported_as_drafts_with_citations(curator_client: Client, source: Any) -> None:
    preview = _preview(curator_client, _csv(_row("spring-summit"), _row("autumn-forum", date="2018-23")))
    assert preview.status_code == 200
    assert not Event.objects.exists(), "the preview writes nothing"
    assert preview.context["confirm_form"] is not None
    assert [row.import_type for row in preview.context["result"].rows] == ["new", "new"]

    _confirm(curator_client, preview)
    spring = Event.objects.get(slug="spring-summit")
    assert (spring.status, spring.date_display) == (PublicationStatus.DRAFT, "spring 2018")
    assert spring.citations.get().source == source
    assert Event.objects.get(slug="autumn-forum").date_display == "autumn 2018"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"date": "spring 2018"}, "is not a valid EDTF date"),
        ({"type": "banquet"}, "is not a valid choice"),
        ({"source": "no-such-source"}, "No source has the slug “no-such-source”"),
        ({"title": ""}, "This field cannot be blank"),
        ({"quote": "The Treaty was signed in 1999."}, "does not occur in the stored text"),
    ],
    ids=["bad date", "unknown type", "unknown source", "missing title", "quote not in source"],
)
def test_a_csv_with_one_bad_row_imports_nothing_and_reports_the_row_and_reason(
    curator_client: Client, source: Any, bad: dict[str, str], reason: str
) -> None:
    preview = _preview(curator_client, _csv(_row("first"), _row("second"), _row("third", **bad)))
    content = preview.content.decode()
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context, "an import with errors cannot be confirmed"
    assert reason in content
    result = preview.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert not Event.objects.exists()


def test_a_row_from_a_stale_export_is_refused(curator_client: Client, source: Any) -> None:
    """Someone saved the record after the file was exported: the file must not overwrite it."""
    event = EventFactory(slug="edited", title="Saved since", status=PublicationStatus.DRAFT)
    stale_version = event.version
    event.title = "Saved after the export"
    event.save()
    row = _row("edited", title="From the old file")
    row["version"] = str(stale_version)
    preview = _preview(curator_client, _csv(row))
    assert "confirm_form" not in preview.context
    assert "since you opened it" in preview.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Saved after the export"


def test_a_curator_cannot_change_a_published_record_by_import(curator_client: Client, source: Any) -> None:
    EventFactory(slug="public", title="Public title", status=PublicationStatus.PUBLISHED)
    preview = _preview(curator_client, _csv(_row("public", title="Changed by import")))
    assert "Published records are changed by an editor" in preview.content.decode()
    assert Event.objects.get(slug="public").title == "Public title"


def test_a_viewer_may_export_but_not_import(viewer_client: Client, source: Any) -> None:
    EventFactory(slug="listed")
    assert viewer_client.get(admin_url(Event, "import")).status_code == 403
    form = viewer_client.get(admin_url(Event, "export")).context["form"]
    columns = {name: "on" for name, field in form.fields.items() if name.startswith("eventresource_")}
    export = viewer_client.post(admin_url(Event, "export"), {"format": CSV_FORMAT, "resource": "0", **columns})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["listed"]
    assert rows[0]["date"] == "2017-03"
    assert rows[0]["date_lower"] == "2017-03-01"
