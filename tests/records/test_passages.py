"""Quoted passages shown in their paragraph (records/passages.py)."""

from __future__ import annotations

from types import SimpleNamespace

from records.passages import CONTEXT_CHARS, in_context, passages_for
from records.quotes import Span

TEXT = (
    "First paragraph about trade.\n\nThe Treaty of Eternal Friendship was signed in 1998. It still holds.\n\nLast one."
)


def citation(pk: int, quote: str, prefix: str = "", suffix: str = "") -> SimpleNamespace:
    return SimpleNamespace(pk=pk, quote=quote, quote_prefix=prefix, quote_suffix=suffix)


def test_a_quote_is_shown_within_its_own_paragraph_only() -> None:
    passage = passages_for(TEXT, [citation(1, "was signed in 1998.")])[1]
    assert passage.before == "The Treaty of Eternal Friendship "
    assert passage.quote == "was signed in 1998."
    assert passage.after == " It still holds."


def test_a_quote_copied_with_other_line_breaks_and_quotes_is_still_found() -> None:
    text = "They planned the “Silk Visa” for 2020, with hyphen-\nation across lines."
    passage = passages_for(text, [citation(7, 'the "Silk Visa" for 2020, with hyphenation')])[7]
    assert passage.quote == "the “Silk Visa” for 2020, with hyphen-\nation"


def test_a_quote_not_in_the_text_is_left_out() -> None:
    assert passages_for(TEXT, [citation(1, "not in the text at all")]) == {}
    assert passages_for("", [citation(1, "anything")]) == {}


def test_a_repeated_quote_is_told_apart_by_its_prefix() -> None:
    text = "Alpha said yes. Beta said yes."
    passage = passages_for(text, [citation(1, "said yes.", prefix="Beta")])[1]
    assert passage.before == "Alpha said yes. Beta "


def test_a_long_paragraph_is_cut_around_the_quote() -> None:
    text = "word " * 500 + "NEEDLE" + " word" * 500
    start = text.index("NEEDLE")
    passage = in_context(text, Span(start, start + len("NEEDLE")))
    assert passage.before.startswith("…")
    assert passage.after.endswith("…")
    assert len(passage.before) <= CONTEXT_CHARS + 1
    assert len(passage.after) <= CONTEXT_CHARS + 1
