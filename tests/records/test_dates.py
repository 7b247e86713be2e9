"""EDTF dates: their bounds, what is refused, and how a person reads them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from records.dates import Bounds, describe_edtf, edtf_bounds, validate_edtf

D = datetime.date


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        ("2016", D(2016, 1, 1), D(2016, 12, 31)),
        ("2017-03", D(2017, 3, 1), D(2017, 3, 31)),
        ("2017-03-22", D(2017, 3, 22), D(2017, 3, 22)),
        ("2018-21", D(2018, 3, 1), D(2018, 5, 31)),
        ("2019-07-01/2019-07-05", D(2019, 7, 1), D(2019, 7, 5)),
        ("201X", D(2010, 1, 1), D(2019, 12, 31)),
        ("[..2018-10]", None, D(2018, 10, 31)),
        ("[2018-01..2018-10]", D(2018, 1, 1), D(2018, 10, 31)),
        ("2019-02/..", D(2019, 2, 1), None),
        ("../1991", None, D(1991, 12, 31)),
        ("2018-01/2018-09", D(2018, 1, 1), D(2018, 9, 30)),
        # Approximate or uncertain: widened, so a filter for 2017 or 2019 still finds it.
        ("2018~", D(2017, 1, 1), D(2019, 12, 31)),
        ("2018?", D(2017, 1, 1), D(2019, 12, 31)),
        ("1990~", D(1989, 1, 1), D(1991, 12, 31)),
    ],
)
def test_edtf_bounds_are_the_earliest_and_latest_day_the_date_can_mean(
    value: str, lower: datetime.date | None, upper: datetime.date | None
) -> None:
    assert edtf_bounds(value) == Bounds(lower, upper)


def test_edtf_bounds_ignore_white_space_around_the_date() -> None:
    assert edtf_bounds("  2017-03 \n") == Bounds(D(2017, 3, 1), D(2017, 3, 31))


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("March 2017", "invalid_edtf", "“March 2017” is not a valid EDTF date"),
        ("2019-13", "invalid_edtf", "“2019-13” is not a valid EDTF date"),
        ("2020-02-30", "invalid_edtf", "“2020-02-30” is not a valid EDTF date"),
        ("", "invalid_edtf", "“” is not a valid EDTF date"),
        ("2019/2018", "reversed_edtf", "“2019/2018” ends (2018-12-31) before it starts (2019-01-01)"),
        ("../..", "unbounded_edtf", "“../..” gives no bound at all"),
        ("-0100", "edtf_out_of_range", "dates must fall between the years 1 and 9999"),
    ],
)
def test_edtf_bounds_refuses_what_cannot_be_stored_and_says_why(value: str, code: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        edtf_bounds(value)
    assert refused.value.code == code
    assert message in refused.value.messages[0]


def test_a_date_that_is_not_edtf_is_refused_with_examples_of_what_is_expected() -> None:
    with pytest.raises(ValidationError) as refused:
        edtf_bounds("March 2017")
    assert "Expected, for example: 2016; 2017-03;" in refused.value.messages[0]
    assert "2018-21 (spring 2018)" in refused.value.messages[0]


@pytest.mark.parametrize("value", ["", "   "])
def test_validate_edtf_accepts_a_blank_date(value: str) -> None:
    """An optional date may be left blank; only ``edtf_bounds`` insists on a value."""
    validate_edtf(value)


@pytest.mark.parametrize("value", ["2016", "2018-21", "[..2018-10]", "2019-02/.."])
def test_validate_edtf_accepts_a_boundable_date(value: str) -> None:
    validate_edtf(value)


@pytest.mark.parametrize(("value", "code"), [("March 2017", "invalid_edtf"), ("2019/2018", "reversed_edtf")])
def test_validate_edtf_refuses_what_edtf_bounds_refuses(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_edtf(value)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        ("2016", "2016"),
        ("2017-03", "March 2017"),
        ("2013-03-13", "13 March 2013"),
        ("2018-21", "spring 2018"),
        ("2019-07-01/2019-07-05", "1–5 July 2019"),
        ("2018-01/2018-09", "January–September 2018"),
        ("2017/2019", "2017–2019"),
        ("2018-06-28/2018-07-05", "28 June – 5 July 2018"),
        ("2018~", "about 2018"),
        ("2018?", "2018 (uncertain)"),
        ("201X", "the 2010s"),
        ("[..2018-10]", "on or before October 2018"),
        ("[2018-01..2018-10]", "some time between January and October 2018"),
        ("2019-02/..", "from February 2019"),
        ("../1991", "until 1991"),
        ("{2017,2018}", "2017 and 2018"),
        ("{2017..2019}", "2017–2019"),
    ],
)
def test_describe_edtf_reads_the_date_as_a_person_writes_it(value: str, reading: str) -> None:
    assert describe_edtf(value) == reading


def test_describe_edtf_of_a_blank_date_is_blank() -> None:
    assert describe_edtf("  ") == ""


def test_describe_edtf_falls_back_to_the_edtf_string_for_a_form_it_does_not_read() -> None:
    """A time of day is shown as given, never rounded to something more or less precise."""
    assert describe_edtf("2004-06-11T10:10:10") == "2004-06-11T10:10:10"


@pytest.mark.parametrize(
    "value", ["2016", "2018~", "2018?", "2017/2019", "../1991", "2019/..", "[..2018]", "{2017,2018}", "2016/2017-03"]
)
def test_a_year_never_reads_as_its_first_or_last_day(value: str) -> None:
    reading = describe_edtf(value)
    assert "January" not in reading
    assert "December" not in reading
