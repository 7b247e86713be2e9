"""The public read-only pages: published records only, whoever is logged in.

Views stay thin: each reads one queryset method named for the page (``for_timeline()``,
``for_public_page()``, ``for_chart()`` in records/models/), filters with the API's own FilterSets
(records/api/filters/, so a parameter means the same on a page as in the API), and renders.
A filter value that does not parse shows its message on the page with status 400.
The pages only read, so they opt out of the per-request transaction (ATOMIC_REQUESTS): on
SQLite that transaction would take the write lock and make readers queue behind writers.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from records import citation_formats, search
from records.api.filters.agreement import AgreementFilter
from records.api.filters.event import EventFilter
from records.api.filters.source import SourceFilter
from records.charts import Datum, build_chart
from records.dates import MONTHS
from records.models import (
    Actor,
    Agreement,
    AgreementStatus,
    AgreementType,
    Citation,
    Country,
    Event,
    EventType,
    Indicator,
    Place,
    PublicationStatus,
    Source,
    SourceType,
    Topic,
)
from records.passages import passages_for

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SEARCH_LIMIT = 20
LATEST_EVENTS = 6
# The reference formats a source page offers, as the API names them.
REFERENCE_DOWNLOADS = (("BibTeX", "bibtex"), ("RIS", "ris"), ("CSL-JSON", "csl-json"))
# The indicator the home page charts.
HEADLINE_INDICATOR = "trade-turnover"
SITE_NAME = "Kazakhstan–Uzbekistan Relations Database"
# Parameters that shape a page, not the records chosen: left out of the API links.
PAGE_PARAMETERS = ("page", "page_size")
_YEAR = re.compile(r"^\d{4}$")


# --- Helpers ------------------------------------------------------------------------------


def _paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """One page of ``queryset``; ``page_size`` is bounded so no request reads the whole table."""
    try:
        size = max(1, min(int(request.GET.get("page_size", PAGE_SIZE)), MAX_PAGE_SIZE))
    except ValueError:
        size = PAGE_SIZE
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _filter_params(params: QueryDict, after: str, before: str) -> QueryDict:
    """The query as the FilterSet should read it.

    Blank values are dropped: the filter form submits every field, and "any type" is no type,
    not an unknown one. A year stands for a date in the range filters: ``date_after=2018`` is
    1 January 2018, ``date_before=2018`` is 31 December 2018. Anything else goes as given.
    """
    params = params.copy()
    for key in list(params):
        values = [value for value in params.getlist(key) if value.strip()]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    if _YEAR.match(params.get(after, "")):
        params[after] = f"{params[after]}-01-01"
    if _YEAR.match(params.get(before, "")):
        params[before] = f"{params[before]}-12-31"
    return params


def _querystring(params: QueryDict, **changes: Any) -> str:
    """``params`` without the page parameters, with ``changes`` applied (None removes a key)."""
    params = params.copy()
    for key in PAGE_PARAMETERS:
        params.pop(key, None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


def _api_links(path: str, params: QueryDict | None = None) -> dict[str, str]:
    query = _querystring(params) if params is not None else ""
    return {
        "json": f"{path}?{query}" if query else path,
        "csv": f"{path}?{urlencode({'format': 'csv'})}" + (f"&{query}" if query else ""),
    }


def _human_date(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _cite(request: HttpRequest, title: str) -> dict[str, str]:
    """ "Cite this record": a reference to the page itself, with its permanent URL and today's date."""
    url = request.build_absolute_uri(request.path)
    accessed = _human_date(timezone.localdate())
    return {"url": url, "text": f"“{title}.” {SITE_NAME}. {url}. Accessed {accessed}."}


def _status(filterset: Any) -> int:
    return 200 if filterset.is_valid() else 400


def _filtered(filterset: Any) -> QuerySet:
    """The filtered records, or none when a value did not parse (the page shows the errors)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _record_url(citation: Citation) -> str:
    """The public page of the record a citation supports."""
    if citation.event_id:
        return reverse("site:event", args=[citation.event.slug])
    if citation.agreement_id:
        return reverse("site:agreement", args=[citation.agreement.slug])
    if citation.observation_id:
        return reverse("site:indicator", args=[citation.observation.indicator.slug])
    return reverse("site:actor", args=[citation.office.actor.slug])


def _record_page(request: HttpRequest, kind: str, record: Any, title: str, **extra: Any) -> HttpResponse:
    """A record's page (``records/<kind>_detail.html``): the record, "cite this record" and its API links."""
    context = {
        kind: record,
        "cite": _cite(request, title),
        "api": _api_links(reverse(f"api:{kind}-detail", args=[record.slug])),
        **extra,
    }
    return render(request, f"records/{kind}_detail.html", context)


def _chart_for(indicator: Indicator) -> Any:
    data = [Datum.from_observation(observation) for observation in indicator.public_observations]
    return build_chart(data, unit=indicator.unit, name=indicator.name)


# --- Pages --------------------------------------------------------------------------------


@transaction.non_atomic_requests
def home(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published()
    span = events.aggregate(
        first=Min(Coalesce("date_lower", "date_upper")), last=Max(Coalesce("date_upper", "date_lower"))
    )
    headline = Indicator.objects.published().for_chart().filter(slug=HEADLINE_INDICATOR).first()
    context = {
        "counts": {
            "events": events.count(),
            "agreements": Agreement.objects.published().count(),
            "indicators": Indicator.objects.published().count(),
            "sources": Source.objects.published().count(),
        },
        "first_year": span["first"].year if span["first"] else None,
        "last_year": span["last"].year if span["last"] else None,
        "latest_events": events.for_timeline().order_by(F("timeline_date").desc(nulls_last=True), "title")[
            :LATEST_EVENTS
        ],
        "headline": headline,
        "chart": _chart_for(headline) if headline else None,
    }
    return render(request, "records/home.html", context)


@transaction.non_atomic_requests
def event_list(request: HttpRequest) -> HttpResponse:
    params = _filter_params(request.GET, "date_after", "date_before")
    filterset = EventFilter(params, queryset=Event.objects.published().for_timeline())
    page = _paginate(request, _filtered(filterset))
    published = PublicationStatus.PUBLISHED
    context = {
        "filterset": filterset,
        "page": page,
        "querystring": _querystring(request.GET),
        "api": _api_links(reverse("api:event-list"), params),
        "types": EventType.choices,
        "actors": Actor.objects.published().filter(participations__event__status=published).distinct(),
        "places": Place.objects.published().filter(events__status=published).distinct(),
        "countries": Country.objects.filter(places__events__status=published).distinct(),
        "topics": Topic.objects.filter(events__status=published).distinct(),
        "selected": {
            "type": request.GET.getlist("type"),
            **{key: request.GET.get(key, "") for key in ("actor", "place", "country", "topic", "search")},
            "date_after": request.GET.get("date_after", ""),
            "date_before": request.GET.get("date_before", ""),
        },
    }
    return render(request, "records/event_list.html", context, status=_status(filterset))


@transaction.non_atomic_requests
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().for_public_page(), slug=slug)
    return _record_page(request, "event", event, event.title)


AGREEMENT_COLUMNS = (("date_signed", "Signed"), ("title", "Title"), ("type", "Type"), ("status", "Status"))


def _sort_columns(params: QueryDict, columns: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    """Each sortable column's header link: ascending first, descending when already ascending."""
    current = params.get("ordering", "")
    headers = []
    for name, label in columns:
        descending = current == name
        sort = "descending" if current == f"-{name}" else "ascending" if current == name else ""
        headers.append(
            {
                "label": label,
                "url": "?" + _querystring(params, ordering=f"-{name}" if descending else name),
                "sort": sort,
            }
        )
    return headers


@transaction.non_atomic_requests
def agreement_list(request: HttpRequest) -> HttpResponse:
    queryset = Agreement.objects.published().for_table().order_by(F("date_signed_lower").asc(nulls_last=True), "title")
    params = _filter_params(request.GET, "signed_after", "signed_before")
    filterset = AgreementFilter(params, queryset=queryset)
    context = {
        "filterset": filterset,
        "page": _paginate(request, _filtered(filterset)),
        "querystring": _querystring(request.GET),
        "columns": _sort_columns(request.GET, AGREEMENT_COLUMNS),
        "api": _api_links(reverse("api:agreement-list"), params),
        "types": AgreementType.choices,
        "statuses": AgreementStatus.choices,
        "parties": Country.objects.filter(agreements__status=PublicationStatus.PUBLISHED).distinct(),
        "selected": {
            "type": request.GET.getlist("type"),
            "status": request.GET.getlist("status"),
            **{
                key: request.GET.get(key, "")
                for key in ("party", "search", "signed_after", "signed_before", "ordering")
            },
        },
    }
    return render(request, "records/agreement_list.html", context, status=_status(filterset))


@transaction.non_atomic_requests
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.published().for_public_page(), slug=slug)
    return _record_page(request, "agreement", agreement, agreement.title)


@transaction.non_atomic_requests
def indicator_list(request: HttpRequest) -> HttpResponse:
    context = {
        "indicators": Indicator.objects.published().for_index(),
        "api": _api_links(reverse("api:indicator-list")),
    }
    return render(request, "records/indicator_list.html", context)


@transaction.non_atomic_requests
def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.published().for_chart(), slug=slug)
    observations_csv = f"{reverse('api:observation-list')}?" + urlencode({"indicator": indicator.slug, "format": "csv"})
    return _record_page(
        request, "indicator", indicator, indicator.name, chart=_chart_for(indicator), observations_csv=observations_csv
    )


@transaction.non_atomic_requests
def source_list(request: HttpRequest) -> HttpResponse:
    params = _filter_params(request.GET, "published_after", "published_before")
    filterset = SourceFilter(params, queryset=Source.objects.published().for_api_list(None))
    context = {
        "filterset": filterset,
        "page": _paginate(request, _filtered(filterset)),
        "querystring": _querystring(request.GET),
        "api": _api_links(reverse("api:source-list"), params),
        "types": SourceType.choices,
        "selected": {"type": request.GET.getlist("type"), "search": request.GET.get("search", "")},
    }
    return render(request, "records/source_list.html", context, status=_status(filterset))


@transaction.non_atomic_requests
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.published().for_public_page(), slug=slug)
    passages = passages_for(source.full_text, source.public_citations)
    api = reverse("api:source-detail", args=[source.slug])
    return _record_page(
        request,
        "source",
        source,
        source.title,
        reference=citation_formats.reference(source),
        citations=[
            {"citation": citation, "record_url": _record_url(citation), "passage": passages.get(citation.pk)}
            for citation in source.public_citations
        ],
        downloads=[(label, f"{api}?format={fmt}") for label, fmt in REFERENCE_DOWNLOADS],
    )


@transaction.non_atomic_requests
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.published().for_public_page(), slug=slug)
    return _record_page(request, "actor", actor, actor.name)


@transaction.non_atomic_requests
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place.objects.published().for_public_page(), slug=slug)
    return _record_page(request, "place", place, place.name)


class SearchForm(forms.Form):
    """The search box: a form, so a NUL in ``q`` is refused by name as the filters refuse it."""

    q = forms.CharField(required=False)


@transaction.non_atomic_requests
def search_page(request: HttpRequest) -> HttpResponse:
    """One search over events, agreements, indicators, sources and citation quotes, grouped by kind."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = search.search_terms(query)
    groups = []
    if terms:
        indicator_match = Q()
        quote_match = Q()
        for term in terms:
            indicator_match &= Q(name__icontains=term) | Q(description__icontains=term)
            quote_match &= Q(quote__icontains=term)
        found = [
            ("events", "Events", search.matching(Event.objects.published().for_timeline(), query), "site:events"),
            (
                "agreements",
                "Agreements",
                search.matching(Agreement.objects.published().for_table(), query),
                "site:agreements",
            ),
            ("indicators", "Indicators", Indicator.objects.published().filter(indicator_match), ""),
            (
                "sources",
                "Sources",
                search.matching(Source.objects.published().for_api_list(None), query),
                "site:sources",
            ),
            ("quotes", "Quotes", Citation.objects.visible_to(None).with_records().filter(quote_match), ""),
        ]
        for key, label, queryset, list_url in found:
            rows = list(queryset[: SEARCH_LIMIT + 1])
            if key == "quotes":
                rows = [{"citation": citation, "record_url": _record_url(citation)} for citation in rows]
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "rows": rows[:SEARCH_LIMIT],
                    "more": len(rows) > SEARCH_LIMIT,
                    "more_url": f"{reverse(list_url)}?{urlencode({'search': query})}" if list_url else "",
                }
            )
    context = {
        "filterset": form,
        "query": query,
        "groups": groups,
        "total": sum(len(group["rows"]) for group in groups),
        "searched": bool(terms),
    }
    return render(request, "records/search.html", context, status=200 if form.is_valid() else 400)
