"""Finding a citation's verbatim quote in its source's stored full text.

A quote is anchored the way the W3C Web Annotation TextQuoteSelector anchors one: the exact
passage, optionally with a few words before (prefix) and after (suffix) it to tell a
repeated passage apart. Both sides are compared in a canonical form that forgives what a
copy from a PDF or a web page changes and nothing else:

* runs of white space (line breaks included) count as one space;
* typographic quotes and apostrophes count as straight ones;
* hyphens and dashes are ignored, and a hyphen that ends a line joins the two halves, so
  "ethno-\\npolitics", "ethno-politics" and "ethnopolitics" all match;
* compatibility characters are folded (NFKC), so a ligature matches its letters.

Case, accents, words and punctuation other than these must match exactly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

_SINGLE_QUOTES = frozenset("'‘’‚‛´`′ʼ")
_DOUBLE_QUOTES = frozenset('"“”„‟«»″')
_DASHES = frozenset("-‐‑‒–—―−\u00ad")


@dataclass(frozen=True)
class Canonical:
    """A text in canonical form, with the index in the original of each canonical character."""

    text: str
    origin: tuple[int, ...]


@dataclass(frozen=True)
class Span:
    """Where a passage lies in the original text: ``original[start:end]``."""

    start: int
    end: int


def canonicalise(text: str) -> Canonical:
    chars: list[str] = []
    origin: list[int] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char in _DASHES:
            # A hyphen followed by a line break splits one word: drop both.
            after = index + 1
            while after < length and text[after].isspace():
                after += 1
            index = after if "\n" in text[index + 1 : after] else index + 1
            continue
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            index += 1
            continue
        if char in _SINGLE_QUOTES:
            folded = "'"
        elif char in _DOUBLE_QUOTES:
            folded = '"'
        else:
            folded = unicodedata.normalize("NFKC", char)
        for piece in folded:
            chars.append(piece)
            origin.append(index)
        index += 1
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Canonical("".join(chars), tuple(origin))


def find_quote(text: str, exact: str, prefix: str = "", suffix: str = "") -> list[Span]:
    """Every place in ``text`` where ``exact`` occurs, preceded by ``prefix`` and followed by ``suffix``.

    An empty list means the quote (with its context) is not in the text.
    """
    haystack = canonicalise(text)
    needle = canonicalise(exact).text
    if not needle:
        return []
    before = canonicalise(prefix).text
    after = canonicalise(suffix).text
    spans = []
    position = haystack.text.find(needle)
    while position != -1:
        end = position + len(needle)
        if haystack.text[:position].rstrip(" ").endswith(before) and haystack.text[end:].lstrip(" ").startswith(after):
            spans.append(Span(haystack.origin[position], haystack.origin[end - 1] + 1))
        position = haystack.text.find(needle, position + 1)
    return spans


def closest_passage(text: str, exact: str) -> str:
    """The passage of ``text`` most like ``exact``, to show a curator whose quote did not match.

    Anchors on the longest run the two share and widens it to the quote's length, then to
    whole words; returns "" when they share nothing of substance.
    """
    haystack = canonicalise(text)
    needle = canonicalise(exact).text
    if not needle or not haystack.text:
        return ""
    matcher = SequenceMatcher(None, needle, haystack.text, autojunk=False)
    match = matcher.find_longest_match(0, len(needle), 0, len(haystack.text))
    if match.size < min(8, len(needle)):
        return ""
    start = max(0, match.b - match.a)
    end = min(len(haystack.text), start + len(needle))
    original_start = haystack.origin[start]
    original_end = haystack.origin[end - 1] + 1
    while original_start > 0 and not text[original_start - 1].isspace():
        original_start -= 1
    while original_end < len(text) and not text[original_end].isspace():
        original_end += 1
    return " ".join(text[original_start:original_end].split())
