"""A quoted passage in its context: the paragraph of a source's stored text that holds it.

Quotes are found as records/quotes.py finds them (forgiving white space, hyphenation, typographic
quotes); the source's text is put in canonical form once, however many of its citations a page
shows, since a stored interview runs to tens of thousands of characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from records.quotes import Canonical, Span, canonicalise

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A paragraph longer than this is cut to this many characters either side of the quote.
CONTEXT_CHARS = 400


@dataclass(frozen=True)
class Passage:
    """The text before the quote, the quote as the source writes it, and the text after."""

    before: str
    quote: str
    after: str


def _find(haystack: Canonical, exact: str, prefix: str, suffix: str) -> Span | None:
    needle = canonicalise(exact).text
    if not needle:
        return None
    before, after = canonicalise(prefix).text, canonicalise(suffix).text
    position = haystack.text.find(needle)
    while position != -1:
        end = position + len(needle)
        if haystack.text[:position].rstrip(" ").endswith(before) and haystack.text[end:].lstrip(" ").startswith(after):
            return Span(haystack.origin[position], haystack.origin[end - 1] + 1)
        position = haystack.text.find(needle, position + 1)
    return None


def in_context(text: str, span: Span) -> Passage:
    """The paragraph of ``text`` around ``span`` (cut to ``CONTEXT_CHARS`` either side)."""
    starts = [0] + [match.end() for match in _PARAGRAPH_BREAK.finditer(text, 0, span.start)]
    start = starts[-1]
    following = _PARAGRAPH_BREAK.search(text, span.end)
    end = following.start() if following else len(text)
    before, after = text[start : span.start], text[span.end : end]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return Passage(before.lstrip(), text[span.start : span.end], after.rstrip())


def passages_for(text: str, citations: Iterable[Any]) -> dict[int, Passage]:
    """Each citation's quote in context, by citation id; a citation whose quote is not found is left out."""
    if not text:
        return {}
    haystack = canonicalise(text)
    found = {}
    for citation in citations:
        span = _find(haystack, citation.quote, citation.quote_prefix, citation.quote_suffix)
        if span is not None:
            found[citation.pk] = in_context(text, span)
    return found
