"""Historical dates as Library of Congress EDTF strings: validation, bounds and a reading.

A date is stored as the EDTF string the source supports (``2016``, ``2017-03``, ``2018-21``
for spring 2018, ``2019-07-01/2019-07-05``, ``2018~`` for about 2018) beside its lower and
upper bounds as real dates, so a year is never mistaken for its first day. Parsing and
validation are the ``edtf`` library's; this module adds what it lacks: bounds for open-ended
forms (``[..2018-10]``, "on or before October 2018", has no lower bound) and the reading a
person writes ("spring 2018", "1–5 July 2019").

Bounds are the earliest and latest day the date can mean. For a plain date that is the date
itself ("2018" is 1 January to 31 December 2018); a date qualified as approximate or uncertain
widens by the library's padding ("2018~", about 2018, runs from 2017 to 2019), so a filter
never misses what the source only roughly dates. A missing bound (``None``) means "no limit
known on that side".
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from pyparsing.warnings import PyparsingDiagnosticWarning

# pyparsing turns on its grammar diagnostics when Python runs with warnings as errors (-W error),
# and edtf's grammar trips one as it is built: the import would fail, and with it loading the
# models. The diagnostic is about edtf's grammar, not our use of it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PyparsingDiagnosticWarning)
    from edtf import parse_edtf, struct_time_to_date
    from edtf.parser.edtf_exceptions import EDTFParseException

EXAMPLES = (
    "2016; 2017-03; 2017-03-22; 2018-21 (spring 2018); 2019-07-01/2019-07-05; "
    "2018~ (about 2018); 2018? (uncertain); 201X (the 2010s); [..2018-10] (on or before October 2018)"
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# EDTF "seasons" (sub-year groupings), as EDTF 2019 numbers them.
SEASONS = {
    21: "spring",
    22: "summer",
    23: "autumn",
    24: "winter",
    25: "spring (Northern Hemisphere)",
    26: "summer (Northern Hemisphere)",
    27: "autumn (Northern Hemisphere)",
    28: "winter (Northern Hemisphere)",
    29: "spring (Southern Hemisphere)",
    30: "summer (Southern Hemisphere)",
    31: "autumn (Southern Hemisphere)",
    32: "winter (Southern Hemisphere)",
    33: "first quarter of",
    34: "second quarter of",
    35: "third quarter of",
    36: "fourth quarter of",
    37: "first third of",
    38: "second third of",
    39: "last third of",
    40: "first half of",
    41: "second half of",
}

_OPEN_START = re.compile(r"^(\.\./|/|\[\.\.|\{\.\.)")
_OPEN_END = re.compile(r"(/\.\.|/|\.\.\]|\.\.\})$")
_SIMPLE = re.compile(r"^(?P<year>\d{4}|\d{3}X|\d{2}XX)(?:-(?P<month>\d{2}|XX))?(?:-(?P<day>\d{2}|XX))?$")
_QUALIFIERS = {"~": "about {}", "?": "{} (uncertain)", "%": "about {} (uncertain)"}


@dataclass(frozen=True)
class Bounds:
    """The earliest and latest day a date can mean; ``None`` where the source sets no limit."""

    lower: datetime.date | None
    upper: datetime.date | None


def edtf_bounds(value: str) -> Bounds:
    """Validate an EDTF string and return its bounds, or raise ``ValidationError``.

    Raises for text that is not EDTF, for dates outside years 1–9999 (what the database's
    date columns hold), for an interval that ends before it starts, and for a date with no
    bound at all.
    """
    text = value.strip()
    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, TypeError, ValueError) as error:
        raise ValidationError(
            "“%(value)s” is not a valid EDTF date. Expected, for example: %(examples)s.",
            code="invalid_edtf",
            params={"value": value, "examples": EXAMPLES},
        ) from error

    lower = None if _OPEN_START.search(text) else _bound(parsed.lower_fuzzy, value)
    upper = None if _OPEN_END.search(text) else _bound(parsed.upper_fuzzy, value)
    if lower is None and upper is None:
        raise ValidationError(
            "“%(value)s” gives no bound at all; say at least when it was at the earliest or latest.",
            code="unbounded_edtf",
            params={"value": value},
        )
    if lower is not None and upper is not None and upper < lower:
        raise ValidationError(
            "“%(value)s” ends (%(upper)s) before it starts (%(lower)s).",
            code="reversed_edtf",
            params={"value": value, "lower": lower.isoformat(), "upper": upper.isoformat()},
        )
    return Bounds(lower, upper)


def _bound(compute, value: str) -> datetime.date:
    try:
        return struct_time_to_date(compute())
    except (TypeError, ValueError, OverflowError) as error:
        raise ValidationError(
            "“%(value)s” cannot be stored: dates must fall between the years 1 and 9999.",
            code="edtf_out_of_range",
            params={"value": value},
        ) from error


def validate_edtf(value: str) -> None:
    """Field validator: accept blank (an optional date) or a boundable EDTF string."""
    if value.strip():
        edtf_bounds(value)


def describe_edtf(value: str) -> str:
    """How a person writes the date: "2016", "March 2017", "spring 2018", "1–5 July 2019".

    Falls back to the EDTF string itself for forms rarely used here (partial qualification,
    times of day), so nothing is ever shown as more precise than it is.
    """
    text = value.strip()
    if not text:
        return ""
    if text.startswith("[") and text.endswith("]"):
        return _describe_set(text[1:-1], joiner="or")
    if text.startswith("{") and text.endswith("}"):
        return _describe_set(text[1:-1], joiner="and")
    if "/" in text:
        start, _, end = text.partition("/")
        return _describe_interval(start, end)
    return _describe_single(text) or text


def _describe_single(text: str) -> str | None:
    if text and text[-1] in _QUALIFIERS:
        inner = _describe_single(text[:-1])
        return _QUALIFIERS[text[-1]].format(inner) if inner else None
    match = _SIMPLE.match(text)
    if not match:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        if year.endswith("XX"):
            return f"{year[:2]}00–{year[:2]}99"
        return f"the {year[:3]}0s"
    if month in (None, "XX"):
        return year
    if int(month) in SEASONS:
        season = SEASONS[int(month)]
        return f"{season} {year}"
    if int(month) > 12:
        return None
    month_name = MONTHS[int(month) - 1]
    if day in (None, "XX"):
        return f"{month_name} {year}"
    return f"{int(day)} {month_name} {year}"


def _parts(text: str) -> tuple[str, str | None, str | None] | None:
    match = _SIMPLE.match(text)
    if not match or "X" in text:
        return None
    return match["year"], match["month"], match["day"]


def _describe_interval(start: str, end: str) -> str:
    if start in ("", ".."):
        reading = _describe_single(end) or end
        return f"until {reading}" if start == ".." else f"until {reading} (start unknown)"
    if end in ("", ".."):
        reading = _describe_single(start) or start
        return f"from {reading}" if end == ".." else f"from {reading} (end unknown)"
    return _join_range(start, end, separator_words=False)


def _join_range(start: str, end: str, *, separator_words: bool) -> str:
    """Two dates as one range, sharing what they share: "1–5 July 2019", "January–September 2018"."""
    a, b = _parts(start), _parts(end)
    if a and b and a[1] and b[1] and int(a[1]) <= 12 and int(b[1]) <= 12:
        (year_a, month_a, day_a), (year_b, month_b, day_b) = a, b
        same_year = year_a == year_b
        if same_year and month_a == month_b and day_a and day_b:
            return _range(f"{int(day_a)}", f"{int(day_b)} {MONTHS[int(month_a) - 1]} {year_a}", separator_words)
        if same_year and day_a and day_b:
            return _range(
                f"{int(day_a)} {MONTHS[int(month_a) - 1]}",
                f"{int(day_b)} {MONTHS[int(month_b) - 1]} {year_a}",
                separator_words,
                spaced=True,
            )
        if same_year and not day_a and not day_b:
            return _range(MONTHS[int(month_a) - 1], f"{MONTHS[int(month_b) - 1]} {year_a}", separator_words)
    reading_a = _describe_single(start) or start
    reading_b = _describe_single(end) or end
    spaced = not (_SIMPLE.match(start) and _SIMPLE.match(end) and len(start) == len(end) == 4)
    return _range(reading_a, reading_b, separator_words, spaced=spaced)


def _range(first: str, last: str, separator_words: bool, *, spaced: bool = False) -> str:
    if separator_words:
        return f"between {first} and {last}"
    return f"{first} – {last}" if spaced else f"{first}–{last}"


def _describe_set(body: str, *, joiner: str) -> str:
    items = [item.strip() for item in body.split(",") if item.strip()]
    readings = []
    for item in items:
        if item.startswith(".."):
            readings.append(f"on or before {_describe_single(item[2:]) or item[2:]}")
        elif item.endswith(".."):
            readings.append(f"on or after {_describe_single(item[:-2]) or item[:-2]}")
        elif ".." in item:
            first, _, last = item.partition("..")
            if joiner == "and":  # {2017..2019}: every year of the range, not one of them
                readings.append(_join_range(first, last, separator_words=False))
            else:
                readings.append(f"some time {_join_range(first, last, separator_words=True)}")
        else:
            readings.append(_describe_single(item) or item)
    if len(readings) == 1:
        return readings[0]
    return f"{', '.join(readings[:-1])} {joiner} {readings[-1]}"
