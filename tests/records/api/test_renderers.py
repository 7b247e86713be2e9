"""CSV rows: one flat column per field, whatever each value holds."""

from __future__ import annotations

from records.api.renderers import flatten


def test_a_related_record_becomes_its_slug_and_a_list_its_items_joined() -> None:
    row = flatten({"places": [{"slug": "tashkent", "name": "Tashkent"}, {"slug": "astana"}], "source": {"slug": "x"}})
    assert row == {"places": "tashkent; astana", "source": "x"}


def test_authors_read_family_name_first_as_in_a_reference_list() -> None:
    row = flatten({"authors": [{"family": "Muratbekova", "given": "Albina"}, {"literal": "Caspian Policy Center"}]})
    assert row["authors"] == "Muratbekova, Albina; Caspian Policy Center"


def test_an_empty_value_is_an_empty_cell() -> None:
    assert flatten({"date_lower": None, "topics": [], "note": ""}) == {"date_lower": "", "topics": "", "note": ""}
