"""Renderers for the formats the API offers beside JSON: CSV, and for sources BibTeX, RIS, CSL-JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from rest_framework.renderers import BaseRenderer

CSV_FORMAT = "csv"


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """One spreadsheet row from a representation: one column per field, always the same columns.

    A related record becomes its slug (or code, name, title); a person's name "Family, Given";
    a list, its items joined with "; ". The other tables of the export carry the related records' own columns.
    """
    row: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            row[key] = _label(value)
        elif isinstance(value, list):
            row[key] = "; ".join(_label(item) for item in value)
        else:
            row[key] = "" if value is None else value
    return row


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("slug", "code", "name", "title", "quote", "uuid", "literal"):
            if item.get(key):
                return str(item[key])
        # A CSL name (a source's author or editor): "Family, Given", as reference lists write it.
        return ", ".join(str(item[key]) for key in ("family", "given") if item.get(key))
    return str(item)


def csv_lines(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> Iterator[str]:
    """CSV text, line by line, for streaming. The header is ``columns`` when given (so an empty
    list still says what its columns are), else the first row's."""
    buffer = io.StringIO()
    writer: csv.DictWriter | None = None
    if columns is not None:
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    for row in rows:
        flat = flatten(row)
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class CSVRenderer(BaseRenderer):
    """A list (all rows matching the filters, streamed by the view) or one record, as CSV."""

    media_type = "text/csv"
    format = CSV_FORMAT
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        # A list of rows, or one record (or an error, which reads as a one-row CSV).
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(rows)).encode(self.charset)


class TextFormatRenderer(BaseRenderer):
    """For formats the view builds itself (BibTeX, RIS, CSL-JSON): passes its text through."""

    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode(self.charset)
        # An error raised before the view built the text (a bad filter): show it as text.
        return "\n".join(f"{key}: {value}" for key, value in (data or {}).items()).encode(self.charset)


class BibTeXRenderer(TextFormatRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"


class RISRenderer(TextFormatRenderer):
    media_type = "application/x-research-info-systems"
    format = "ris"


class CSLJSONRenderer(TextFormatRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = "csl-json"
