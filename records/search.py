"""Full-text search over records: titles, descriptions, summaries and citation quotes.

Each searchable record keeps its text in ``search_document`` (its own fields and the quotes
of its citations, refreshed by records/signals.py). On PostgreSQL a query is matched with
``to_tsvector('simple', search_document)`` against a GIN index; elsewhere (SQLite) by a
regular expression per word. Both match every word of the query as the start of a word, case
insensitively and without stemming, so they find the same records: "visit" finds "visits".
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models

SEARCH_CONFIG = "simple"
MAX_TERMS = 10
_WORD = re.compile(r"\w+", re.UNICODE)


def search_vector() -> SearchVector:
    return SearchVector("search_document", config=SEARCH_CONFIG)


def search_terms(text: str) -> list[str]:
    """The words of a query, lowercased; punctuation and operators are not syntax here."""
    return [word.lower()[:50] for word in _WORD.findall(text or "")][:MAX_TERMS]


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """``queryset`` narrowed to records whose search document holds every word of ``text``."""
    terms = search_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        # The same expression as the GIN index (migration 0004), so the index serves it.
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return queryset.alias(found_by=search_vector()).filter(
            found_by=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG)
        )
    for term in terms:
        queryset = queryset.filter(search_document__iregex=rf"(^|\W){re.escape(term)}")
    return queryset


def document_for(record: models.Model) -> str:
    """The text a record is found by: its searchable fields, then its citations' quotes."""
    parts = [str(getattr(record, field) or "") for field in record.search_fields]  # type: ignore[attr-defined]
    if record.pk is not None and hasattr(record, "citations"):
        parts += list(record.citations.values_list("quote", flat=True))
    return "\n".join(part for part in parts if part)


def refresh(record: models.Model) -> None:
    """Store ``record``'s search document, without a save (no history entry, no version)."""
    type(record)._base_manager.filter(pk=record.pk).update(search_document=document_for(record))
