"""Sources as reference-manager formats: CSL-JSON, BibTeX, RIS, and a readable reference.

These are pure functions over ``Source`` instances: they read only the source's own fields
(never a related row), so the API can export one source or a filtered list without extra
queries, and public pages can print a reference without knowing the formats.

The one rule every format keeps is the project's rule for dates: a source's publication date
is written exactly as precisely as its EDTF string states it. "2019" never becomes
1 January 2019, "2019-02" never gains a day, and "[..2018-11-20]" (on or before 20 November
2018) never becomes a year: a format that cannot say what the string says gets the reading
in words (a CSL literal date, a BibTeX or RIS note) instead of an invented date.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from records.dates import MONTHS, SEASONS, describe_edtf
from records.models.source import SourceType

if TYPE_CHECKING:
    from records.models import Source

__all__ = ["bibtex", "csl_item", "csl_json", "reference", "ris"]


# ---------------------------------------------------------------------------
# The publication date, read once for every format
# ---------------------------------------------------------------------------

# A single calendar date at year, month or day precision, optionally a season (EDTF 21–41)
# and optionally qualified as a whole (level 1: ~ approximate, ? uncertain, % both).
_POINT = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?(?P<q>[~?%])?$"
)
# EDTF seasons 21–32 (spring, summer, autumn, winter; unqualified, northern, southern) are
# CSL's seasons 1–4. The quarters, thirds and halves (33–41) have no CSL equivalent.
_CSL_SEASON_LIMIT = 32
_QUALIFIER_NOTES = {"~": "circa", "?": "date uncertain", "%": "circa, date uncertain"}


@dataclass(frozen=True)
class _Point:
    """One end of a date, as precise as the string and no more."""

    year: int
    month: int | None = None
    day: int | None = None
    season: int | None = None
    qualifier: str = ""

    @property
    def parts(self) -> list[int]:
        """CSL date-parts: only the parts the string gives."""
        return [part for part in (self.year, self.month, self.day) if part is not None]


@dataclass(frozen=True)
class _Issued:
    """A publication date: its EDTF text, how a person reads it, and its calendar points.

    ``points`` holds one point for a single date, two for a closed range, and none for
    forms no calendar field can express (open ranges, one-of sets, decades): those are
    exported as their reading in words.
    """

    text: str
    reading: str
    points: tuple[_Point, ...]

    @property
    def qualifiers(self) -> str:
        return "".join(point.qualifier for point in self.points)

    @property
    def circa(self) -> bool:
        return bool(self.qualifiers)

    @property
    def single(self) -> _Point | None:
        return self.points[0] if len(self.points) == 1 else None

    @property
    def plain(self) -> bool:
        """A single, unqualified calendar date: every format can state it exactly."""
        point = self.single
        return point is not None and not point.qualifier and point.season is None

    @property
    def year(self) -> int | None:
        """The year, when every point of the date names the same one (approximate or not)."""
        years = {point.year for point in self.points}
        return years.pop() if len(years) == 1 else None


def _point(text: str) -> _Point | None:
    match = _POINT.match(text)
    if not match:
        return None
    month_text, day_text = match["month"], match["day"]
    month = None if month_text in (None, "XX") else int(month_text)
    day = None if month is None or day_text in (None, "XX") else int(day_text)
    season = None
    if month is not None and month > 12:
        if day is not None or not 21 <= month <= 41:
            return None
        season, month = month, None
    elif month is not None and not 1 <= month <= 12:
        return None
    return _Point(int(match["year"]), month, day, season, match["q"] or "")


def _issued(value: str) -> _Issued | None:
    text = value.strip()
    if not text:
        return None
    reading = describe_edtf(text)
    single = _point(text)
    if single is not None:
        return _Issued(text, reading, (single,))
    start, slash, end = text.partition("/")
    if slash:
        first, last = _point(start), _point(end)
        if first and last and first.season is None and last.season is None:
            return _Issued(text, reading, (first, last))
    return _Issued(text, reading, ())


# ---------------------------------------------------------------------------
# CSL-JSON
# ---------------------------------------------------------------------------

# CSL 1.0.2 item types. An article is exported as the other formats export it (BibTeX
# @article, RIS JOUR/ELEC): "article-journal" when it appeared in a container, "webpage" when
# it is a web article with no container, and CSL's own "article" only when it stands alone.
# CSL 1.0.2 defines "article" as a work "not published in a journal or other publication"
# (preprints, working papers), which an article in a container is not. "document" is CSL
# 1.0.2's generic document (Zotero's "document").
CSL_TYPES: dict[str, str] = {
    SourceType.ARTICLE: "article",
    SourceType.REPORT: "report",
    SourceType.INTERVIEW: "interview",
    SourceType.OFFICIAL_DOCUMENT: "document",
    SourceType.NEWS_ITEM: "article-newspaper",
    SourceType.DATASET: "dataset",
    SourceType.WEB_PAGE: "webpage",
}


def _csl_type(source: Source) -> str:
    if source.type == SourceType.ARTICLE and source.container_title:
        return "article-journal"
    if source.type == SourceType.ARTICLE and source.url:
        return "webpage"
    return CSL_TYPES.get(source.type, "document")


def _csl_names(names: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    result = []
    for name in names:
        if name.get("literal"):
            result.append({"literal": name["literal"]})
        else:
            result.append({key: name[key] for key in ("family", "given") if name.get(key)})
    return result


def _csl_date(issued: _Issued) -> dict[str, Any]:
    point = issued.single
    if point is not None and (point.season is None or point.season <= _CSL_SEASON_LIMIT):
        date: dict[str, Any] = {"date-parts": [point.parts]}
        if point.season is not None:
            date["season"] = (point.season - 21) % 4 + 1
    elif len(issued.points) == 2:
        date = {"date-parts": [issued.points[0].parts, issued.points[1].parts]}
    else:
        return {"literal": issued.reading}
    if issued.circa:
        date["circa"] = True
    return date


def _ymd(day: datetime.date) -> list[int]:
    return [day.year, day.month, day.day]


def csl_item(source: Source) -> dict[str, Any]:
    """The source as a CSL-JSON item, the exchange format of Zotero, Pandoc and citeproc."""
    item: dict[str, Any] = {
        "id": source.slug or f"source-{source.pk}",
        "type": _csl_type(source),
        "title": source.title,
    }
    text_fields = {
        "container-title": source.container_title,
        "number": source.number,
        "publisher": source.publisher,
        "publisher-place": source.place_published,
    }
    if source.authors:
        item["author"] = _csl_names(source.authors)
    if source.editors:
        item["editor"] = _csl_names(source.editors)
    item.update({key: value for key, value in text_fields.items() if value})
    issued = _issued(source.published)
    if issued is not None:
        item["issued"] = _csl_date(issued)
    identifiers = {
        "URL": source.url,
        "ISSN": source.issn,
        "ISBN": source.isbn,
        "DOI": source.doi,
        "language": source.language,
    }
    if source.accessed:
        item["accessed"] = {"date-parts": [_ymd(source.accessed)]}
    item.update({key: value for key, value in identifiers.items() if value})
    return item


def csl_json(sources: Iterable[Source]) -> str:
    """A CSL-JSON array, UTF-8 as written (names and titles keep their own letters)."""
    return json.dumps([csl_item(source) for source in sources], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------

# Characters LaTeX reads as commands. Braces become text commands rather than \{ \}: BibTeX
# counts every brace, escaped or not, so "\{" would unbalance the field.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.-]+")


def _latex(text: str) -> str:
    """Escape LaTeX's special characters; Unicode stays as is (biber and Zotero read UTF-8)."""
    return "".join(_LATEX_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _verbatim(text: str) -> str:
    """A URL or DOI as written, minus what would break the field's braces."""
    return text.strip().replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _protect(text: str) -> str:
    """A title with every word that has a capital braced, so no style lowercases it.

    A braced group starting with a backslash is a "special character" to BibTeX, whose case
    it may still change, so such words get a second pair of braces.
    """
    words = []
    for word in text.split():
        escaped = _latex(word)
        if any(char.isupper() for char in word):
            escaped = f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"
        words.append(escaped)
    return " ".join(words)


def _bibtex_name(name: dict[str, str]) -> str:
    """ "Family, Given" for a person, "{Literal Organisation}" so BibTeX does not split it.

    A family or given name that has a space or comma is braced too: BibTeX would otherwise
    read "De la Cruz" as particle plus surname, or a comma as the start of the given name.
    """
    if name.get("literal"):
        return f"{{{_latex(name['literal'])}}}"

    def part(text: str) -> str:
        escaped = _latex(text)
        return f"{{{escaped}}}" if re.search(r"[\s,]", text) or text.lower() == "and" else escaped

    family, given = name.get("family", ""), name.get("given", "")
    return f"{part(family)}, {part(given)}" if given else part(family)


def _bibtex_key(slug: str, taken: set[str]) -> str:
    ascii_slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
    base = _KEY_UNSAFE.sub("-", ascii_slug).strip("-") or "source"
    key, counter = base, 2
    while key.lower() in taken:  # BibTeX and biber compare keys case-insensitively
        key, counter = f"{base}-{counter}", counter + 1
    taken.add(key.lower())
    return key


def _bibtex_type(source: Source) -> str:
    if source.type == SourceType.ARTICLE:
        return "article" if source.container_title else "misc"
    if source.type == SourceType.REPORT:
        return "techreport"
    if source.type == SourceType.WEB_PAGE or (source.type == SourceType.NEWS_ITEM and source.url):
        return "online"
    return "misc"


def _bibtex_date_fields(issued: _Issued | None) -> list[tuple[str, str]]:
    """year/month as far as the EDTF gives them; ``date`` (biblatex's EDTF field) when it can say more.

    BibTeX has no day and no ranges or qualifiers, so ``date`` carries a day, a range or a
    qualifier for biblatex; a note says in words what no field can.
    """
    if issued is None:
        return []
    fields: list[tuple[str, str]] = []
    points = issued.points
    if points:
        first, last = points[0], points[-1]
        fields.append(("year", str(first.year) if first.year == last.year else f"{first.year}--{last.year}"))
        if first.month and (first.year, first.month) == (last.year, last.month):
            fields.append(("month", _MONTH_MACROS[first.month - 1]))
        says_more = len(points) == 2 or first.day or first.qualifier
        if says_more and "X" not in issued.text and all(point.season is None for point in points):
            fields.append(("date", issued.text))
    point = issued.single
    if not points:
        fields.append(("note", f"{{Publication date: {_latex(issued.reading)}}}"))
    elif point is not None and point.season is not None:
        fields.append(("note", f"{{{_latex(issued.reading)}}}"))
    elif issued.circa:
        fields.append(("note", f"{{{_QUALIFIER_NOTES[issued.qualifiers[-1]]}}}"))
    return fields


def _bibtex_entry(source: Source, key: str) -> str:
    entry_type = _bibtex_type(source)
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str, *, raw: bool = False) -> None:
        if value:
            fields.append((name, value if raw else f"{{{value}}}"))

    add("author", " and ".join(_bibtex_name(name) for name in source.authors))
    add("editor", " and ".join(_bibtex_name(name) for name in source.editors))
    add("title", _protect(source.title))
    container = _latex(source.container_title)
    if entry_type == "article":
        add("journal", container)
    elif entry_type == "techreport":
        add("type", container)  # the series stands where BibTeX prints "Technical Report"
    else:
        add("howpublished", container)
    add("number", _latex(source.number))
    if entry_type == "techreport":
        add("institution", _latex(source.publisher))
    else:
        add("publisher", _latex(source.publisher))
    add("address", _latex(source.place_published))
    for name, value in _bibtex_date_fields(_issued(source.published)):
        add(name, value, raw=name in ("month", "note"))
    add("url", _verbatim(source.url))
    add("urldate", source.accessed.isoformat() if source.accessed else "")
    add("doi", _verbatim(source.doi))
    add("issn", source.issn)
    add("isbn", source.isbn)
    add("language", _latex(source.language))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def bibtex(sources: Iterable[Source]) -> str:
    """BibTeX (UTF-8, biblatex-friendly) with one entry per source and unique keys."""
    taken: set[str] = set()
    return "\n".join(_bibtex_entry(source, _bibtex_key(source.slug, taken)) for source in sources)


# ---------------------------------------------------------------------------
# RIS
# ---------------------------------------------------------------------------

# RIS has no interview type: PCOMM is a personal communication (an unpublished letter or
# e-mail) and would misdescribe a published interview, so interviews are GEN, the generic
# type, with M3 ("type of work") saying "Interview".
RIS_TYPES: dict[str, str] = {
    SourceType.ARTICLE: "JOUR",
    SourceType.REPORT: "RPRT",
    SourceType.INTERVIEW: "GEN",
    SourceType.OFFICIAL_DOCUMENT: "GOVDOC",
    SourceType.NEWS_ITEM: "NEWS",
    SourceType.DATASET: "DATA",
    SourceType.WEB_PAGE: "ELEC",
}
RIS_TYPE_OF_WORK = {SourceType.INTERVIEW: "Interview"}


def _ris_type(source: Source) -> str:
    if source.type == SourceType.ARTICLE and not source.container_title:
        # An article without a journal: a web article when it has a URL, else generic.
        return "ELEC" if source.url else "GEN"
    return RIS_TYPES.get(source.type, "GEN")


def _ris_name(name: dict[str, str]) -> str:
    if name.get("literal"):
        return name["literal"]
    return ", ".join(part for part in (name.get("family", ""), name.get("given", "")) if part)


def _ris_date_lines(issued: _Issued | None) -> list[tuple[str, str]]:
    """PY (the year alone, as RIS defines it) and DA (YYYY/MM/DD/other) at the EDTF's precision.

    Unknown parts stay empty ("2019/02//"); a season goes in DA's free-text part. A date
    no RIS field can hold without inventing precision is given in words in a note.
    """
    if issued is None:
        return []
    lines: list[tuple[str, str]] = []
    point = issued.single
    if issued.year is not None:
        lines.append(("PY", f"{issued.year:04d}"))
    if point is not None:
        month = f"{point.month:02d}" if point.month else ""
        day = f"{point.day:02d}" if point.day else ""
        other = SEASONS[point.season] if point.season else ""
        lines.append(("DA", f"{point.year:04d}/{month}/{day}/{other}"))
    if not issued.plain and (point is None or point.qualifier):
        lines.append(("N1", f"Publication date: {issued.reading}"))
    return lines


def _ris_record(source: Source) -> list[str]:
    entries: list[tuple[str, str]] = [("TY", _ris_type(source))]
    entries += [("AU", _ris_name(name)) for name in source.authors]
    entries += [("A2", _ris_name(name)) for name in source.editors]
    entries += [
        ("TI", source.title),
        ("T2", source.container_title),
        ("IS", source.number),
        ("M3", RIS_TYPE_OF_WORK.get(source.type, "")),
    ]
    entries += _ris_date_lines(_issued(source.published))
    entries += [
        ("PB", source.publisher),
        ("CY", source.place_published),
        ("SN", source.issn),
        ("SN", source.isbn),
        ("DO", source.doi),
        ("UR", source.url),
        ("Y2", source.accessed.strftime("%Y/%m/%d") if source.accessed else ""),
        ("LA", source.language),
    ]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in entries if value and value.strip()]
    lines.append("ER  - ")
    return lines


def ris(sources: Iterable[Source]) -> str:
    """RIS records, one per source, with the CRLF line ends the format specifies."""
    records = ["\r\n".join(_ris_record(source)) + "\r\n" for source in sources]
    return "\r\n".join(records)


# ---------------------------------------------------------------------------
# A readable reference
# ---------------------------------------------------------------------------

# Parts of a larger whole take quotation marks; a work standing alone would be italic in
# print, and is plain here.
_QUOTED_TITLE_TYPES = {SourceType.ARTICLE, SourceType.INTERVIEW, SourceType.NEWS_ITEM, SourceType.WEB_PAGE}


def _person(name: dict[str, str], *, inverted: bool) -> str:
    if name.get("literal"):
        return name["literal"]
    family, given = name.get("family", ""), name.get("given", "")
    if not given:
        return family
    return f"{family}, {given}" if inverted else f"{given} {family}"


def _name_list(names: list[dict[str, str]], *, invert_first: bool) -> str:
    written = [_person(name, inverted=invert_first and index == 0) for index, name in enumerate(names)]
    if len(written) <= 1:
        return "".join(written)
    if len(written) == 2:
        separator = ", and " if invert_first and "," in written[0] else " and "
        return separator.join(written)
    return f"{', '.join(written[:-1])}, and {written[-1]}"


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends a sentence."""
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in ".?!" or text.endswith((".”", "?”", "!”")) else f"{text}."


def _quoted(title: str) -> str:
    title = title.strip()
    return f"“{title}”" if title[-1:] in ".?!" else f"“{title}.”"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _human_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def reference(source: Source) -> str:
    """A reference in a Chicago author-date-like style, as plain text for public pages.

    The date after the author is the year when the source dates itself within one year
    (the fuller date, "February 2019", follows the container), or the date in words when
    it is anything else ("about 2018", "on or before 20 November 2018"); "n.d." when there
    is none.
    """
    issued = _issued(source.published)
    point = issued.single if issued else None
    if issued is None:
        date_slot, later_date = "n.d.", ""
    elif point is not None and not point.qualifier:
        date_slot = str(point.year)
        later_date = issued.reading if (point.month or point.season) else ""
    else:
        date_slot, later_date = _capitalised(issued.reading), ""

    title = _quoted(source.title) if source.type in _QUOTED_TITLE_TYPES else _sentence(source.title)
    parts: list[str] = []
    if source.authors:
        parts += [_sentence(_name_list(source.authors, invert_first=True)), _sentence(date_slot), title]
    elif source.editors:
        label = "eds." if len(source.editors) > 1 else "ed."
        parts += [_sentence(f"{_name_list(source.editors, invert_first=True)}, {label}"), _sentence(date_slot), title]
    else:  # no creator: the title leads, as Chicago does for anonymous works
        parts += [title, _sentence(date_slot)]

    container = " ".join(part for part in (source.container_title, source.number) if part)
    if container and later_date:
        parts.append(_sentence(f"{container}, {later_date}"))  # "EUCACIS in Brief 6, February 2019."
    else:
        parts.append(_sentence(container or _capitalised(later_date)))
    if source.editors and source.authors:
        parts.append(_sentence(f"Edited by {_name_list(source.editors, invert_first=False)}"))
    parts.append(_sentence(": ".join(part for part in (source.place_published, source.publisher) if part)))
    parts += [
        _sentence(f"ISSN {source.issn}") if source.issn else "",
        _sentence(f"ISBN {source.isbn}") if source.isbn else "",
        f"https://doi.org/{source.doi}." if source.doi else "",
        _sentence(f"Accessed {_human_date(source.accessed)}") if source.accessed and source.url else "",
        _sentence(source.url) if source.url and not source.doi else "",
    ]
    return " ".join(part for part in parts if part)
