"""Full-text search over records: titles, descriptions, summaries and citation quotes.

Each searchable record keeps its text in ``search_document`` (its own fields and the quotes
of its citations, refreshed by records/signals.py). On PostgreSQL a query is matched against
``search_vector``, the document's words (kept by a trigger, GIN-indexed); elsewhere (SQLite) by a
regular expression per word. Both match every word of the query as the start of a word, case
insensitively and without stemming, so they find the same records: "visit" finds "visits".
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection, models

from records.models.base import PublicationStatus

SEARCH_CONFIG = "simple"
MAX_TERMS = 10
_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str) -> list[str]:
    """The words of a query, lowercased; punctuation and operators are not syntax here."""
    return [word.lower()[:50] for word in _WORD.findall(text or "")][:MAX_TERMS]


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """``queryset`` narrowed to records whose search document holds every word of ``text``."""
    terms = search_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return queryset.filter(search_vector=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG))
    for term in terms:
        queryset = queryset.filter(search_document__iregex=rf"(^|\W){re.escape(term)}")
    return queryset


def document_for(record: models.Model) -> str:
    """The text a record is found by: its searchable fields, then its citations' quotes."""
    parts = [str(getattr(record, field) or "") for field in record.search_fields]  # type: ignore[attr-defined]
    if record.pk is not None and hasattr(record, "citations"):
        # Only quotes from published sources: otherwise a public search would answer whether an
        # unpublished source holds a word.
        quotes = record.citations.filter(source__status=PublicationStatus.PUBLISHED).values_list("quote", flat=True)
        parts += list(quotes)
    return "\n".join(part for part in parts if part)


def refresh(record: models.Model) -> None:
    """Store ``record``'s search document, without a save (no history entry, no version)."""
    type(record)._base_manager.filter(pk=record.pk).update(search_document=document_for(record))
