"""Citation formats: every export is read back by a real parser, never only string-matched.

BibTeX goes through bibtexparser 2 (and pylatexenc for the LaTeX escapes), CSL-JSON through
json and citeproc-py, RIS through a strict reader of its line format. The seed's three real
sources are the main cases; factories cover what the seed has not got.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import bibtexparser
import pytest
from bibtexparser import middlewares
from bibtexparser.model import Entry
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import LatexNodes2Text

from records.citation_formats import CSL_TYPES, RIS_TYPES, bibtex, csl_item, csl_json, reference, ris
from records.models import Source, SourceType
from tests.factories import SourceFactory

CPC = "cpc-border-brothers-2019"
EUCACIS = "eucacis-in-brief-6-baydarov-2019"
PRIMEMINISTER = "primeminister-kz-first-interregional-forum"
EUCACIS_TITLE = "Recent Changes in the Kazakh-Uzbek Relations: Interview with Erkin Baydarov"
PRIMEMINISTER_TITLE = "First Interregional Forum Kazakhstan-Uzbekistan held in Shymkent"
CPC_TITLE = "Border Brothers: Uzbekistan and Kazakhstan Continue to Build Strong Ties"
TRICKY_TITLE = "Kazakhstan–Uzbekistan R&D: 50% of trade_flows in Ташкент"


@pytest.fixture
def seed_sources(seed: None) -> dict[str, Source]:
    return {source.slug: source for source in Source.objects.all()}


# --- readers -----------------------------------------------------------------------------


def parse_bibtex(text: str) -> dict[str, Entry]:
    """Parse with bibtexparser 2, names split as BibTeX splits them, months as numbers."""
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


def latex_to_text(value: str) -> str:
    """What a reader sees: LaTeX decoded and protective braces dropped (pylatexenc)."""
    return LatexNodes2Text().latex_to_text(value)


def names(entry: Entry, field: str) -> list[tuple[str, str]]:
    """(family, given) as BibTeX reads each name, decoded from LaTeX."""
    return [(latex_to_text(" ".join(name.last)), latex_to_text(" ".join(name.first))) for name in entry[field]]


RIS_LINE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  - (?P<value>.*)$")


def read_ris(text: str) -> list[list[tuple[str, str]]]:
    """A strict RIS reader: CRLF lines of tag, two spaces, dash, space, value; TY … ER records."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in text.split("\r\n"):
        if not line:
            assert current is None, "blank lines only between records"
            continue
        match = RIS_LINE.match(line)
        assert match, f"not an RIS line: {line!r}"
        tag, value = match["tag"], match["value"]
        if tag == "TY":
            assert current is None, "TY inside a record"
            current = []
        assert current is not None, f"{tag} outside a record"
        current.append((tag, value))
        if tag == "ER":
            assert value == ""
            records.append(current)
            current = None
    assert current is None, "last record has no ER"
    return records


def ris_fields(record: list[tuple[str, str]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for tag, value in record:
        fields.setdefault(tag, []).append(value)
    return fields


def render_bibliography(items: list[dict[str, Any]]) -> dict[str, str]:
    """Render CSL-JSON with citeproc-py's bundled Harvard style, as plain text by item id."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    # citeproc-py sorts the bibliography, so match entries to items by their distinctive title.
    rendered = [str(entry) for entry in bibliography.bibliography()]
    return {item["id"]: next(text for text in rendered if item["title"][:20] in text) for item in items}


# --- BibTeX ------------------------------------------------------------------------------


def test_bibtex_of_the_seed_parses_to_the_right_entries(seed_sources: dict[str, Source]) -> None:
    entries = parse_bibtex(bibtex(seed_sources.values()))

    assert set(entries) == {CPC, EUCACIS, PRIMEMINISTER}
    assert {key: entry.entry_type for key, entry in entries.items()} == {
        CPC: "online",
        EUCACIS: "misc",
        PRIMEMINISTER: "online",
    }

    brief = entries[EUCACIS]
    assert names(brief, "author") == [("Muratbekova", "Albina")]
    assert names(brief, "editor") == [("Heinecke", "Susann"), ("Schulz", "Janny")]
    assert latex_to_text(brief["title"]) == EUCACIS_TITLE
    assert brief["year"] == "2019"
    assert brief["month"] == 2
    assert brief["issn"] == "2627-7190"
    assert brief["number"] == "6"
    assert brief["howpublished"] == "EUCACIS in Brief"
    assert brief["address"] == "Berlin"
    assert latex_to_text(brief["publisher"]).startswith("Institut für Europäische Politik (IEP)")
    assert "date" not in brief.fields_dict  # a month is all the string gives

    page = entries[PRIMEMINISTER]
    assert page["url"] == seed_sources[PRIMEMINISTER].url
    assert page["urldate"] == "2018-11-20"
    assert latex_to_text(page["title"]) == PRIMEMINISTER_TITLE
    for invented in ("year", "month", "date"):
        assert invented not in page.fields_dict, f"{invented} invented for a date known only as an upper bound"
    assert page["note"] == "Publication date: on or before 20 November 2018"

    web_article = entries[CPC]
    assert web_article["howpublished"] == "Caspian Policy Center"
    assert (web_article["year"], web_article["month"], web_article["date"]) == ("2019", 7, "2019-07-16")
    assert "author" not in web_article.fields_dict


def test_bibtex_escapes_latex_and_keeps_unicode(db: None) -> None:
    source = SourceFactory(
        title=TRICKY_TITLE,
        authors=[
            {"literal": "Research & Development, Inc."},
            {"family": "De la Cruz", "given": "Juan"},
            {"family": "Ötemisov", "given": "Äsem"},
        ],
        publisher="Smith & Sons",
        container_title="Journal_of #Trade",
    )
    text = bibtex([source])
    assert "Kazakhstan–Uzbekistan" in text  # UTF-8 as is, not LaTeX accents or \u escapes
    assert r"R\&D" in text
    assert r"50\% of trade\_flows" in text

    entry = parse_bibtex(text)[source.slug]
    assert latex_to_text(entry["title"]) == TRICKY_TITLE
    assert latex_to_text(entry["publisher"]) == "Smith & Sons"
    assert latex_to_text(entry["journal"]) == "Journal_of #Trade"
    # The organisation stays one name, comma and all; "De la" is not taken for a particle.
    assert names(entry, "author") == [
        ("Research & Development, Inc.", ""),
        ("De la Cruz", "Juan"),
        ("Ötemisov", "Äsem"),
    ]


def test_bibtex_writes_braces_backslashes_and_accents_as_text_commands(db: None) -> None:
    source = SourceFactory(title="a {b} \\c ~d ^e $5 #1 @home")
    entry = parse_bibtex(bibtex([source]))[source.slug]
    assert entry["title"] == (
        r"a \textbraceleft{}b\textbraceright{} \textbackslash{}c \textasciitilde{}d "
        r"\textasciicircum{}e \$5 \#1 @home"
    )
    # pylatexenc reads \textasciicircum as U+02C6 and has no \textbraceleft (it prints nothing),
    # so the braces are checked in the raw field above.
    assert latex_to_text(entry["title"]).replace("ˆ", "^") == "a b \\c ~d ^e $5 #1 @home"


def test_bibtex_title_capitals_are_protected(db: None) -> None:
    source = SourceFactory(title="The EU and Kazakhstan: R&D in \\LaTeX")
    title = parse_bibtex(bibtex([source]))[source.slug]["title"]
    depth, outside = 0, []
    for char in title:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
        if depth == 0:
            outside.append(char)
    assert depth == 0
    assert not any(char.isupper() for char in "".join(outside)), title
    # A protected word that starts with a command gets a second brace pair, so BibTeX does not
    # treat it as a "special character" whose case it may change.
    assert r"{{\textbackslash{}LaTeX}}" in title


def test_bibtex_keys_are_safe_and_unique(db: None) -> None:
    first = SourceFactory.build(slug="same-slug")
    second = SourceFactory.build(slug="Same-Slug")
    odd = SourceFactory.build(slug="ünïcode slug,with{odd}chars")
    entries = parse_bibtex(bibtex(iter([first, second, odd, first])))
    assert list(entries) == ["same-slug", "Same-Slug-2", "unicode-slug-with-odd-chars", "same-slug-3"]


@pytest.mark.parametrize(
    ("published", "expected", "absent"),
    [
        ("2019", {"year": "2019"}, {"month", "date", "note"}),
        ("2019-02", {"year": "2019", "month": 2}, {"date", "note"}),
        ("2019-07-16", {"year": "2019", "month": 7, "date": "2019-07-16"}, {"note"}),
        ("2018-21", {"year": "2018", "note": "spring 2018"}, {"month", "date"}),
        ("2018~", {"year": "2018", "date": "2018~", "note": "circa"}, {"month"}),
        ("2018-03?", {"year": "2018", "month": 3, "date": "2018-03?", "note": "date uncertain"}, set()),
        ("2017/2019", {"year": "2017--2019", "date": "2017/2019"}, {"month", "note"}),
        ("2019-07-01/2019-07-05", {"year": "2019", "month": 7, "date": "2019-07-01/2019-07-05"}, {"note"}),
        ("[..2018-11-20]", {"note": "Publication date: on or before 20 November 2018"}, {"year", "month", "date"}),
        ("201X", {"note": "Publication date: the 2010s"}, {"year", "month", "date"}),
        ("", {}, {"year", "month", "date", "note"}),
    ],
)
def test_bibtex_dates_are_as_precise_as_the_edtf(
    db: None, published: str, expected: dict[str, Any], absent: set[str]
) -> None:
    source = SourceFactory(published=published)
    entry = parse_bibtex(bibtex([source]))[source.slug]
    assert {field: entry[field] for field in expected} == expected
    assert not absent & set(entry.fields_dict)


@pytest.mark.parametrize(
    ("source_type", "url", "container", "entry_type"),
    [
        (SourceType.ARTICLE, "", "Central Asian Survey", "article"),
        (SourceType.ARTICLE, "https://example.org/a", "", "misc"),
        (SourceType.REPORT, "", "Working Papers", "techreport"),
        (SourceType.INTERVIEW, "", "", "misc"),
        (SourceType.OFFICIAL_DOCUMENT, "", "", "misc"),
        (SourceType.NEWS_ITEM, "https://example.org/n", "Kun.uz", "online"),
        (SourceType.NEWS_ITEM, "", "Kazakhstanskaya Pravda", "misc"),
        (SourceType.DATASET, "https://example.org/d", "", "misc"),
        (SourceType.WEB_PAGE, "https://example.org/w", "", "online"),
    ],
)
def test_bibtex_entry_types(db: None, source_type: str, url: str, container: str, entry_type: str) -> None:
    source = SourceFactory(type=source_type, url=url, container_title=container, publisher="Institute")
    entry = parse_bibtex(bibtex([source]))[source.slug]
    assert entry.entry_type == entry_type
    if entry_type == "techreport":
        assert entry["institution"] == "Institute"
        assert entry["type"] == "Working Papers"
        assert "publisher" not in entry.fields_dict


def test_bibtex_identifiers(db: None) -> None:
    source = SourceFactory(
        doi="10.1000/x_y%z",
        isbn="9780306406157",
        url="https://example.org/a_b%20c#d~e",
        accessed=datetime.date(2020, 1, 2),
    )
    entry = parse_bibtex(bibtex([source]))[source.slug]
    # URLs and DOIs are verbatim fields: they stay unescaped, as biber and url.sty expect.
    assert (entry["doi"], entry["isbn"], entry["url"]) == ("10.1000/x_y%z", "9780306406157", source.url)
    assert (entry["urldate"], entry["language"]) == ("2020-01-02", "en")


# --- CSL-JSON ----------------------------------------------------------------------------


def test_csl_json_of_the_seed_renders_with_citeproc(seed_sources: dict[str, Source]) -> None:
    text = csl_json(seed_sources.values())
    assert "Institut für Europäische Politik" in text  # UTF-8, not \u-escaped
    items = json.loads(text)
    assert [item["id"] for item in items] == list(seed_sources)

    rendered = render_bibliography(items)

    assert "Muratbekova, A." in rendered[EUCACIS]
    assert "2019" in rendered[EUCACIS]
    assert EUCACIS_TITLE in rendered[EUCACIS]
    # Without an author the title leads; the year is still there.
    assert CPC_TITLE in rendered[CPC]
    assert "2019" in rendered[CPC]
    assert PRIMEMINISTER_TITLE in rendered[PRIMEMINISTER]
    assert "on or before 20 November 2018" in rendered[PRIMEMINISTER]


def test_csl_items_of_the_seed(seed_sources: dict[str, Source]) -> None:
    brief = csl_item(seed_sources[EUCACIS])
    assert brief == {
        "id": EUCACIS,
        "type": "interview",
        "title": EUCACIS_TITLE,
        "author": [{"family": "Muratbekova", "given": "Albina"}],
        "editor": [{"family": "Heinecke", "given": "Susann"}, {"family": "Schulz", "given": "Janny"}],
        "container-title": "EUCACIS in Brief",
        "number": "6",
        "publisher": "Institut für Europäische Politik (IEP); Centre international de formation européenne (CIFE)",
        "publisher-place": "Berlin",
        "issued": {"date-parts": [[2019, 2]]},
        "ISSN": "2627-7190",
        "language": "en",
    }
    page = csl_item(seed_sources[PRIMEMINISTER])
    assert page["type"] == "article-newspaper"
    assert page["issued"] == {"literal": "on or before 20 November 2018"}
    assert page["accessed"] == {"date-parts": [[2018, 11, 20]]}
    assert page["URL"] == seed_sources[PRIMEMINISTER].url
    assert csl_item(seed_sources[CPC])["issued"] == {"date-parts": [[2019, 7, 16]]}


@pytest.mark.parametrize(
    ("published", "issued"),
    [
        ("2019", {"date-parts": [[2019]]}),
        ("2019-02", {"date-parts": [[2019, 2]]}),
        ("2019-07-16", {"date-parts": [[2019, 7, 16]]}),
        ("2019-XX", {"date-parts": [[2019]]}),
        ("2018-21", {"date-parts": [[2018]], "season": 1}),
        ("2018-24", {"date-parts": [[2018]], "season": 4}),
        ("2018-40", {"literal": "first half of 2018"}),
        ("2018~", {"date-parts": [[2018]], "circa": True}),
        ("2018-05?", {"date-parts": [[2018, 5]], "circa": True}),
        ("2017/2019", {"date-parts": [[2017], [2019]]}),
        ("2019-07-01/2019-07-05", {"date-parts": [[2019, 7, 1], [2019, 7, 5]]}),
        ("2017~/2019", {"date-parts": [[2017], [2019]], "circa": True}),
        ("[..2018-11-20]", {"literal": "on or before 20 November 2018"}),
        ("2019-02/..", {"literal": "from February 2019"}),
        ("201X", {"literal": "the 2010s"}),
    ],
)
def test_csl_issued_has_exactly_the_precision_of_the_edtf(db: None, published: str, issued: dict[str, Any]) -> None:
    source = SourceFactory(published=published)
    assert csl_item(source)["issued"] == issued
    # and citeproc-py accepts it
    rendered = render_bibliography(json.loads(csl_json([source])))[source.slug]
    assert source.title in rendered


def test_csl_without_date_has_no_issued_and_literal_names_stay_literal(db: None) -> None:
    source = SourceFactory(published="", authors=[{"literal": "Caspian Policy Center"}], editors=[{"family": "Solo"}])
    item = csl_item(source)
    assert "issued" not in item
    assert item["author"] == [{"literal": "Caspian Policy Center"}]
    assert item["editor"] == [{"family": "Solo"}]
    assert "Caspian Policy Center" in render_bibliography([item])[source.slug]


@pytest.mark.parametrize(
    ("source_type", "url", "container", "csl_type"),
    [
        (SourceType.ARTICLE, "", "Central Asian Survey", "article-journal"),
        (SourceType.ARTICLE, "https://example.org/a", "", "webpage"),
        (SourceType.ARTICLE, "", "", "article"),
        (SourceType.REPORT, "", "Working Papers", "report"),
        (SourceType.INTERVIEW, "", "EUCACIS in Brief", "interview"),
        (SourceType.OFFICIAL_DOCUMENT, "", "", "document"),
        (SourceType.NEWS_ITEM, "https://example.org/n", "Kun.uz", "article-newspaper"),
        (SourceType.DATASET, "", "", "dataset"),
        (SourceType.WEB_PAGE, "https://example.org/w", "", "webpage"),
    ],
)
def test_csl_types(db: None, source_type: str, url: str, container: str, csl_type: str) -> None:
    assert set(CSL_TYPES) == set(SourceType.values)
    source = SourceFactory(type=source_type, url=url, container_title=container)
    assert csl_item(source)["type"] == csl_type
    assert source.title in render_bibliography([csl_item(source)])[source.slug]


# --- RIS ---------------------------------------------------------------------------------


def test_ris_of_the_seed_reads_back(seed_sources: dict[str, Source]) -> None:
    records = read_ris(ris(seed_sources.values()))
    assert len(records) == 3
    for record in records:
        assert record[0][0] == "TY"
        assert record[-1] == ("ER", "")
    by_title = {ris_fields(record)["TI"][0]: ris_fields(record) for record in records}

    brief = by_title[EUCACIS_TITLE]
    assert brief["TY"] == ["GEN"]
    assert brief["M3"] == ["Interview"]
    assert brief["AU"] == ["Muratbekova, Albina"]
    assert brief["A2"] == ["Heinecke, Susann", "Schulz, Janny"]
    assert brief["T2"] == ["EUCACIS in Brief"]
    assert brief["IS"] == ["6"]
    assert brief["PY"] == ["2019"]
    assert brief["DA"] == ["2019/02//"]
    assert brief["SN"] == ["2627-7190"]
    assert brief["CY"] == ["Berlin"]
    assert brief["LA"] == ["en"]

    page = by_title[PRIMEMINISTER_TITLE]
    assert page["TY"] == ["NEWS"]
    assert "PY" not in page
    assert "DA" not in page
    assert page["N1"] == ["Publication date: on or before 20 November 2018"]
    assert page["Y2"] == ["2018/11/20"]
    assert page["UR"] == [seed_sources[PRIMEMINISTER].url]

    web_article = by_title[CPC_TITLE]
    assert (web_article["TY"], web_article["PY"], web_article["DA"]) == (["ELEC"], ["2019"], ["2019/07/16/"])
    assert "AU" not in web_article


@pytest.mark.parametrize(
    ("published", "expected", "absent"),
    [
        ("2019", {"PY": ["2019"], "DA": ["2019///"]}, {"N1"}),
        ("2018-21", {"PY": ["2018"], "DA": ["2018///spring"]}, {"N1"}),
        ("2018~", {"PY": ["2018"], "DA": ["2018///"], "N1": ["Publication date: about 2018"]}, set()),
        ("2019-07-01/2019-07-05", {"PY": ["2019"], "N1": ["Publication date: 1–5 July 2019"]}, {"DA"}),
        ("2017/2019", {"N1": ["Publication date: 2017–2019"]}, {"PY", "DA"}),
        ("", {}, {"PY", "DA", "N1"}),
    ],
)
def test_ris_dates_are_as_precise_as_the_edtf(
    db: None, published: str, expected: dict[str, list[str]], absent: set[str]
) -> None:
    (record,) = read_ris(ris([SourceFactory(published=published)]))
    fields = ris_fields(record)
    assert {tag: fields[tag] for tag in expected} == expected
    assert not absent & set(fields)


@pytest.mark.parametrize(
    ("source_type", "url", "container", "ty"),
    [
        (SourceType.ARTICLE, "", "Central Asian Survey", "JOUR"),
        (SourceType.ARTICLE, "https://example.org/a", "", "ELEC"),
        (SourceType.REPORT, "", "", "RPRT"),
        (SourceType.INTERVIEW, "", "", "GEN"),
        (SourceType.OFFICIAL_DOCUMENT, "", "", "GOVDOC"),
        (SourceType.NEWS_ITEM, "", "", "NEWS"),
        (SourceType.DATASET, "", "", "DATA"),
        (SourceType.WEB_PAGE, "https://example.org/w", "", "ELEC"),
    ],
)
def test_ris_types(db: None, source_type: str, url: str, container: str, ty: str) -> None:
    (record,) = read_ris(ris([SourceFactory(type=source_type, url=url, container_title=container)]))
    assert record[0] == ("TY", ty)
    assert set(RIS_TYPES) == set(SourceType.values)


def test_ris_values_stay_on_one_line_and_identifiers_are_kept(db: None) -> None:
    source = SourceFactory(
        title="Line one\r\nline two\nthree",
        authors=[{"literal": "Caspian Policy Center"}],
        isbn="9780306406157",
        issn="2627-7190",
        doi="10.1000/xyz123",
        publisher="Publisher",
        place_published="Tashkent",
    )
    (record,) = read_ris(ris([source]))
    fields = ris_fields(record)
    assert fields["TI"] == ["Line one line two three"]
    assert fields["AU"] == ["Caspian Policy Center"]
    assert fields["SN"] == ["2627-7190", "9780306406157"]
    assert (fields["DO"], fields["PB"], fields["CY"]) == (["10.1000/xyz123"], ["Publisher"], ["Tashkent"])


# --- reference() -------------------------------------------------------------------------


def test_reference_of_the_eucacis_brief(seed_sources: dict[str, Source]) -> None:
    text = reference(seed_sources[EUCACIS])
    assert text.startswith("Muratbekova, Albina. 2019. “Recent Changes in the Kazakh-Uzbek Relations:")
    assert f"“{EUCACIS_TITLE}.”" in text
    assert "EUCACIS in Brief 6, February 2019." in text
    assert "Edited by Susann Heinecke and Janny Schulz." in text
    assert (
        "Berlin: Institut für Europäische Politik (IEP); Centre international de formation européenne (CIFE)." in text
    )
    assert text.endswith("ISSN 2627-7190.")


def test_reference_of_a_page_dated_only_by_its_access(seed_sources: dict[str, Source]) -> None:
    text = reference(seed_sources[PRIMEMINISTER])
    assert text == (
        f"“{PRIMEMINISTER_TITLE}.” On or before 20 November 2018. primeminister.kz. "
        f"Accessed 20 November 2018. {seed_sources[PRIMEMINISTER].url}."
    )
    assert "n.d." not in text


@pytest.mark.parametrize(
    ("published", "date_part"),
    [
        ("", ". n.d. "),
        ("2016", ". 2016. "),
        ("2018~", ". About 2018. "),
        ("2017/2019", ". 2017–2019. "),
    ],
)
def test_reference_dates(db: None, published: str, date_part: str) -> None:
    source = SourceFactory(published=published, authors=[{"family": "Doe", "given": "Jane"}], type=SourceType.REPORT)
    text = reference(source)
    assert text.startswith(f"Doe, Jane{date_part}{source.title}.")


def test_reference_names(db: None) -> None:
    three = SourceFactory(
        authors=[{"family": "Doe", "given": "Jane"}, {"literal": "Caspian Policy Center"}, {"family": "Roe"}],
        published="2019",
    )
    assert reference(three).startswith("Doe, Jane, Caspian Policy Center, and Roe. 2019.")
    edited = SourceFactory(editors=[{"family": "Doe", "given": "Jane"}, {"family": "Roe", "given": "Rick"}])
    assert reference(edited).startswith("Doe, Jane, and Rick Roe, eds. 2019.")


# --- shared ------------------------------------------------------------------------------


def test_formats_read_no_more_than_the_sources_own_fields(
    seed_sources: dict[str, Source], django_assert_num_queries: Any
) -> None:
    sources = list(seed_sources.values())
    with django_assert_num_queries(0):
        bibtex(source for source in sources)
        csl_json(source for source in sources)
        ris(source for source in sources)
        for source in sources:
            reference(source)
