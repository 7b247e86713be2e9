"""Finding a verbatim quote in a source's text, forgiving only what copying from a PDF changes."""

from __future__ import annotations

import pytest

from records.quotes import Span, closest_passage, find_quote

TEXT = (
    "Relations improved after 2016.  The two   presidents\n"
    "met in Tashkent. On ethno-\n"
    "politics they agreed. It’s the “new era”, and Mirziyoyev´s plan.\n"
)

REPEATED = "The minister said: we are friends. Later the president said: we are friends. The end."


def _passages(text: str, spans: list[Span]) -> list[str]:
    return [text[span.start : span.end] for span in spans]


@pytest.mark.parametrize(
    ("quote", "passage"),
    [
        ("The two presidents met in Tashkent.", "The two   presidents\nmet in Tashkent."),
        ("The two presidents\n\nmet  in Tashkent.", "The two   presidents\nmet in Tashkent."),
        ("ethnopolitics", "ethno-\npolitics"),
        ("ethno-politics", "ethno-\npolitics"),
        ("ethno-\npolitics", "ethno-\npolitics"),
        ('It\'s the "new era"', "It’s the “new era”"),
        ("Mirziyoyev's plan", "Mirziyoyev´s plan"),
        ("Relations improved after 2016. The two presidents", "Relations improved after 2016.  The two   presidents"),
    ],
)
def test_find_quote_forgives_white_space_hyphenation_and_typographic_quotes(quote: str, passage: str) -> None:
    """The span found is where the passage lies in the original text, as it is written there."""
    assert _passages(TEXT, find_quote(TEXT, quote)) == [passage]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ('It\'s the "new era".', "It’s the “new era”."),
        ("He signed the ethnopolitics accord.", "the ethno-\npolitics accord"),
    ],
)
def test_find_quote_forgives_the_same_differences_in_the_quote_as_in_the_text(text: str, quote: str) -> None:
    assert len(find_quote(text, quote)) == 1


@pytest.mark.parametrize(
    "quote",
    [
        "The two presidents met in Samarkand.",
        "the two presidents met in Tashkent.",
        "ethno politics",
        "It's the new era",
    ],
)
def test_find_quote_does_not_match_a_passage_with_a_changed_word_letter_or_punctuation(quote: str) -> None:
    assert find_quote(TEXT, quote) == []


def test_find_quote_finds_every_occurrence_of_a_repeated_passage_without_context() -> None:
    spans = find_quote(REPEATED, "we are friends.")
    assert _passages(REPEATED, spans) == ["we are friends.", "we are friends."]
    assert spans[0].start < spans[1].start


@pytest.mark.parametrize(
    ("prefix", "suffix", "occurrence"),
    [
        ("The minister said:", "", 0),
        ("president said:", "", 1),
        ("", "Later the", 0),
        ("", "The end.", 1),
        ("The minister said:", "Later", 0),
    ],
)
def test_a_prefix_or_suffix_selects_one_of_a_repeated_passage(prefix: str, suffix: str, occurrence: int) -> None:
    every = find_quote(REPEATED, "we are friends.")
    assert find_quote(REPEATED, "we are friends.", prefix=prefix, suffix=suffix) == [every[occurrence]]


@pytest.mark.parametrize(
    ("prefix", "suffix"),
    [("The secretary said:", ""), ("", "The beginning."), ("The minister said:", "The end.")],
)
def test_a_prefix_or_suffix_found_around_no_occurrence_selects_nothing(prefix: str, suffix: str) -> None:
    assert find_quote(REPEATED, "we are friends.", prefix=prefix, suffix=suffix) == []


@pytest.mark.parametrize("quote", ["", "   ", "\n"])
def test_an_empty_quote_matches_nothing(quote: str) -> None:
    assert find_quote(TEXT, quote) == []


def test_closest_passage_of_a_quote_with_one_word_changed_is_the_real_passage() -> None:
    assert closest_passage(TEXT, "The two presidents sat in Tashkent.") == "The two presidents met in Tashkent."


def test_closest_passage_widens_to_whole_words_as_written_in_the_text() -> None:
    text = "Trade grew to\nUSD 3 billion in 2018, while the two sides set a target."
    assert closest_passage(text, "Trade grew to USD 4 billion in 2018") == "Trade grew to USD 3 billion in 2018,"


@pytest.mark.parametrize("quote", ["Quartz xylophones jump", ""])
def test_closest_passage_of_a_quote_sharing_nothing_with_the_text_is_empty(quote: str) -> None:
    assert closest_passage(TEXT, quote) == ""
