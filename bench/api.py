"""How fast the REST API is on PostgreSQL at a realistic scale, against the floor PostgreSQL sets.

Fills a database of its own (dropped and created again) with synthetic records in the proportions
the project expects after years of curation (100,000 events, 10,000 agreements, 1,000 sources,
300,000 citations, with places, participants, topics and related agreements), then requests the
API in process (Django's test client: the whole Django and DRF stack, no network) and prints per
endpoint: median and p95 latency, queries per request, and the *floor*: the time PostgreSQL
alone takes to build the same page as JSON in one SQL statement (``json_agg``), with the ratio.
Each floor is checked to return the same rows as the API. The CSV export also reports Python's
peak memory (tracemalloc) streaming a tenth of the events and all of them.

Run from the repository root (PostgreSQL on 127.0.0.1:5432, see bench/README.md):

    .venv/bin/python bench/api.py                  # full scale, ~4 minutes to fill
    .venv/bin/python bench/api.py --reuse          # measure again without refilling
    .venv/bin/python bench/api.py --scale 0.1      # a quick run at a tenth of the size
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = "postgres://postgres@127.0.0.1:5432"

# Proportions at --scale 1.
EVENTS, AGREEMENTS, SOURCES, CITATIONS = 100_000, 10_000, 1_000, 300_000
PLACES, ACTORS = 400, 2_000

# Words for titles, descriptions and quotes: search finds what real curated text would hold.
CITIES = (
    "Samarkand",
    "Tashkent",
    "Astana",
    "Almaty",
    "Shymkent",
    "Turkestan",
    "Bukhara",
    "Khiva",
    "Nukus",
    "Termez",
    "Fergana",
    "Andijan",
    "Namangan",
    "Karshi",
    "Navoi",
    "Jizzakh",
    "Gulistan",
    "Urgench",
    "Aktau",
    "Atyrau",
    "Aktobe",
    "Kostanay",
    "Pavlodar",
    "Semey",
    "Oskemen",
    "Taraz",
    "Kyzylorda",
    "Karaganda",
    "Petropavl",
    "Kokshetau",
    "Taldykorgan",
    "Oral",
    "Zhezkazgan",
    "Ekibastuz",
    "Temirtau",
    "Saryagash",
)
SUBJECTS = (
    "water",
    "energy",
    "transit",
    "border",
    "trade",
    "culture",
    "education",
    "security",
    "investment",
    "agriculture",
    "customs",
    "railway",
    "tourism",
    "health",
    "migration",
    "textiles",
    "logistics",
    "industry",
    "science",
    "youth",
)
TYPES = ("official_visit", "summit", "commission_session", "forum", "conference", "signing", "statement")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bilateral_bench", help="database to (re)create (default %(default)s)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per endpoint (default 40)")
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is, without refilling")
    return parser.parse_args()


def configure(database: str) -> None:
    """Production-like settings (DEBUG off, no HTTPS redirect in process, no throttling), then Django."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bilateral_site.settings",
            "DATABASE_URL": f"{SERVER_URL}/{database}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "testserver",
            "API_THROTTLE_ANON": "100000000/minute",
            "API_THROTTLE_USER": "100000000/minute",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')


# --- Filling --------------------------------------------------------------------------------------


def random_date(rng: random.Random) -> tuple[str, date, date]:
    """An EDTF date with its bounds: mostly days, some months, a few years, as curated data is."""
    day = date(1992, 1, 1) + timedelta(days=rng.randrange(365 * 34))
    precision = rng.random()
    if precision < 0.7:
        return day.isoformat(), day, day
    if precision < 0.9:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return day.strftime("%Y-%m"), first, last
    return str(day.year), date(day.year, 1, 1), date(day.year, 12, 31)


def status_of(rng: random.Random) -> str:
    draw = rng.random()
    return "published" if draw < 0.95 else "draft" if draw < 0.98 else "in_review"


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(SUBJECTS) if rng.random() < 0.3 else _word(rng) for _ in range(count))


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bdgklmnrstz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def fill(scale: float) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from records.models import Actor, Agreement, Citation, Country, Event, EventParticipant, Place, Source, Topic

    rng = random.Random(2026)
    now = timezone.now()
    n_events, n_agreements = int(EVENTS * scale), int(AGREEMENTS * scale)
    n_sources, n_citations = max(int(SOURCES * scale), 10), int(CITATIONS * scale)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    stamp = {"created_at": now, "updated_at": now}
    batch = 5_000

    with transaction.atomic():
        countries = list(Country.objects.filter(code__in=["KZ", "UZ"]))
        Place.objects.bulk_create(
            Place(
                name=f"{rng.choice(CITIES)} {i}",
                slug=f"bench-place-{i}",
                country=rng.choice(countries),
                status="published",
                **stamp,
            )
            for i in range(PLACES)
        )
        places = list(Place.objects.published())
        actors = Actor.objects.bulk_create(
            Actor(
                name=f"{_word(rng).title()} {_word(rng).title()}",
                slug=f"bench-actor-{i}",
                kind="person",
                country=rng.choice(countries),
                status="published",
                **stamp,
            )
            for i in range(ACTORS)
        )
        topics = list(Topic.objects.all())
        sources = Source.objects.bulk_create(
            Source(
                title=f"{words(rng, 6).capitalize()}",
                slug=f"bench-source-{i}",
                type="article",
                container_title="Bench Review",
                published=str(1992 + i % 34),
                published_lower=date(1992 + i % 34, 1, 1),
                published_upper=date(1992 + i % 34, 12, 31),
                url=f"https://example.org/{i}",
                status="published" if rng.random() < 0.97 else "draft",
                **stamp,
            )
            for i in range(n_sources)
        )

        agreements = []
        for i in range(n_agreements):
            text, lower, upper = random_date(rng)
            title = f"Agreement on {rng.choice(SUBJECTS)} cooperation {words(rng, 3)}"
            summary = words(rng, 25)
            agreements.append(
                Agreement(
                    title=title,
                    slug=f"bench-agreement-{i}",
                    type=rng.choice(["agreement", "protocol", "memorandum"]),
                    date_signed=text,
                    date_signed_lower=lower,
                    date_signed_upper=upper,
                    summary=summary,
                    search_document=f"{title}\n{summary}",
                    status=status_of(rng),
                    **stamp,
                )
            )
        agreements = Agreement.objects.bulk_create(agreements, batch_size=batch)
        Agreement.parties.through.objects.bulk_create(
            [Agreement.parties.through(agreement=a, country=c) for a in agreements for c in countries],
            batch_size=batch,
        )

        per_event = max(n_citations - 5 * n_agreements, 0) / max(n_events, 1)
        event_rows, quotes_of = [], []
        for i in range(n_events):
            text, lower, upper = random_date(rng)
            event_type = rng.choice(TYPES)
            title = f"{event_type.replace('_', ' ').capitalize()} in {rng.choice(CITIES)} on {rng.choice(SUBJECTS)}"
            description = words(rng, 30)
            quotes = [words(rng, 12) for _ in range(int(per_event) + (rng.random() < per_event % 1))]
            quotes_of.append(quotes)
            event_rows.append(
                Event(
                    title=title,
                    slug=f"bench-event-{i}",
                    type=event_type,
                    date=text,
                    date_lower=lower,
                    date_upper=upper,
                    description=description,
                    status=status_of(rng),
                    search_document="\n".join([title, description, *quotes]),
                    **stamp,
                )
            )
        events = Event.objects.bulk_create(event_rows, batch_size=batch)

        citations = [
            Citation(
                uuid=uuid.UUID(int=rng.getrandbits(128)),
                source=rng.choice(sources),
                event=event,
                locator=f"p. {rng.randint(1, 300)}",
                quote=quote,
                updated_at=now,
            )
            for event, quotes in zip(events, quotes_of, strict=True)
            for quote in quotes
        ] + [
            Citation(
                uuid=uuid.UUID(int=rng.getrandbits(128)),
                source=rng.choice(sources),
                agreement=agreement,
                locator=f"art. {k + 1}",
                quote=words(rng, 12),
                updated_at=now,
            )
            for agreement in agreements
            for k in range(5)
        ]
        Citation.objects.bulk_create(citations, batch_size=batch)
        del citations, quotes_of

        through = Event.places.through
        through.objects.bulk_create(
            (through(event=e, place=p) for e in events for p in rng.sample(places, rng.choice((1, 1, 2, 3)))),
            batch_size=batch,
        )
        through = Event.topics.through
        through.objects.bulk_create(
            (through(event=e, topic=t) for e in events for t in rng.sample(topics, rng.choice((0, 1, 2)))),
            batch_size=batch,
        )
        through = Event.agreements.through
        through.objects.bulk_create(
            (through(event=e, agreement=rng.choice(agreements)) for e in events if agreements and rng.random() < 0.3),
            batch_size=batch,
        )
        EventParticipant.objects.bulk_create(
            (
                EventParticipant(event=e, actor=a, role=role)
                for e in events
                for a, role in zip(rng.sample(actors, 3), ("host", "visitor", "participant"), strict=True)
            ),
            batch_size=batch,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Filled in {time.perf_counter() - started:.0f} s: {Event.objects.count():,} events, "
        f"{Agreement.objects.count():,} agreements, {Source.objects.count():,} sources, "
        f"{Citation.objects.count():,} citations, {EventParticipant.objects.count():,} participants."
    )


# --- The floor: the same page built by PostgreSQL alone --------------------------------------------

PLACES_JSON = """coalesce((SELECT json_agg(json_build_object('slug', p.slug, 'name', p.name, 'country', c.code,
    'url', 'http://testserver/api/places/' || p.slug || '/') ORDER BY p.id)
  FROM records_event_places ep JOIN records_place p ON p.id = ep.place_id JOIN records_country c ON c.id = p.country_id
  WHERE ep.event_id = e.id AND p.status = 'published'), '[]')"""
TOPICS_JSON = """coalesce((SELECT json_agg(t.slug ORDER BY t.name)
  FROM records_event_topics et JOIN records_topic t ON t.id = et.topic_id WHERE et.event_id = e.id), '[]')"""
EVENT_ROW_JSON = f"""json_build_object('url', 'http://testserver/api/events/' || e.slug || '/', 'slug', e.slug,
  'title', e.title, 'type', e.type, 'date', e.date, 'date_lower', e.date_lower, 'date_upper', e.date_upper,
  'occurrence', e.occurrence, 'places', {PLACES_JSON}, 'topics', {TOPICS_JSON}, 'status', e.status,
  'updated_at', e.updated_at, 'version', e.version)"""


def list_floor(where: str, limit: int | None = 50) -> str:
    page = f"LIMIT {limit}" if limit else ""
    return f"""WITH page AS (SELECT * FROM records_event e WHERE e.status = 'published' {where}
                             ORDER BY e.date_lower, e.title, e.id {page})
    SELECT json_build_object(
      'count', (SELECT count(*) FROM records_event e WHERE e.status = 'published' {where}),
      'results', coalesce(
        (SELECT json_agg({EVENT_ROW_JSON} ORDER BY e.date_lower, e.title, e.id) FROM page e), '[]'))::text"""


FILTERED_WHERE = """AND (e.date_upper >= '2010-01-01' OR (e.date_upper IS NULL AND e.date_lower IS NOT NULL))
  AND (e.date_lower <= '2012-12-31' OR (e.date_lower IS NULL AND e.date_upper IS NOT NULL))
  AND e.type IN ('official_visit', 'summit')
  AND EXISTS (SELECT 1 FROM records_event_places ep JOIN records_place p ON p.id = ep.place_id
              JOIN records_country c ON c.id = p.country_id WHERE ep.event_id = e.id AND upper(c.code) = 'UZ')"""
SEARCH_WHERE = "AND e.search_vector @@ to_tsquery('simple', 'water:* & samarkand:*')"

DETAIL_FLOOR = f"""SELECT json_build_object('row', {EVENT_ROW_JSON},
  'description', e.description, 'conflict_note', e.conflict_note, 'created_at', e.created_at,
  'participants', coalesce((SELECT json_agg(json_build_object('actor', json_build_object('slug', a.slug, 'name', a.name,
      'kind', a.kind, 'url', 'http://testserver/api/actors/' || a.slug || '/'), 'role', ep.role, 'note', ep.note)
      ORDER BY ep.role, a.name)
    FROM records_eventparticipant ep JOIN records_actor a ON a.id = ep.actor_id
    WHERE ep.event_id = e.id AND a.status = 'published'), '[]'),
  'agreements', coalesce((SELECT json_agg(json_build_object('slug', g.slug, 'title', g.title,
      'date_signed', g.date_signed, 'url', 'http://testserver/api/agreements/' || g.slug || '/'))
    FROM records_event_agreements ea JOIN records_agreement g ON g.id = ea.agreement_id
    WHERE ea.event_id = e.id AND g.status = 'published'), '[]'),
  'citations', coalesce((SELECT json_agg(json_build_object('uuid', ci.uuid, 'source', json_build_object('slug', s.slug,
      'title', s.title, 'source_url', s.url, 'url', 'http://testserver/api/sources/' || s.slug || '/'),
      'locator', ci.locator, 'quote', ci.quote, 'quote_prefix', ci.quote_prefix, 'quote_suffix', ci.quote_suffix,
      'note', ci.note) ORDER BY ci.id)
    FROM records_citation ci JOIN records_source s ON s.id = ci.source_id
    WHERE ci.event_id = e.id AND s.status = 'published'), '[]'))::text
  FROM records_event e WHERE e.slug = %s AND e.status = 'published'"""


# --- Measuring ------------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int
    floor_median_ms: float
    rows: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_median_ms


def timed(call: Callable[[], Any], repeat: int) -> list[float]:
    call()  # warm caches and the connection
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def fetch(client: Any, path: str, **headers: str) -> bytes:
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def floor_text(sql: str, params: tuple[Any, ...] = ()) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def count_queries(call: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def measure(name: str, client: Any, path: str, floor_sql: str, repeat: int, params: tuple[Any, ...] = ()) -> Figures:
    api = json.loads(fetch(client, path))
    floor = json.loads(floor_text(floor_sql, params))
    if "results" in api:
        same = api["count"] == floor["count"] and [r["slug"] for r in api["results"]] == [
            r["slug"] for r in floor["results"]
        ]
        rows = len(api["results"])
    else:
        same = api["slug"] == floor["row"]["slug"] and len(api["citations"]) == len(floor["citations"])
        rows = len(api["citations"]) + len(api["participants"]) + len(api["places"])
    if not same:
        raise SystemExit(f"The floor for {name} does not return the API's rows: check its SQL.")
    times = timed(lambda: fetch(client, path), repeat)
    floor_times = timed(lambda: floor_text(floor_sql, params), repeat)
    return Figures(
        name,
        path,
        statistics.median(times),
        p95(times),
        count_queries(lambda: fetch(client, path)),
        statistics.median(floor_times),
        rows,
    )


def csv_memory(client: Any, path: str) -> tuple[int, float]:
    """Rows streamed and Python's peak memory (MiB) while streaming them."""
    tracemalloc.start()
    response = client.get(path)
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines - 1, peak / 2**20


def report(args: argparse.Namespace) -> None:
    from django.test import Client

    from records.models import Event

    client = Client()
    detail_slug = (
        Event.objects.published().filter(slug__startswith="bench-event-").order_by("id").values_list("slug", flat=True)
    )[0]
    figures = [
        measure("list (50 rows)", client, "/api/events/", list_floor(""), args.repeat),
        measure("list (500 rows)", client, "/api/events/?page_size=500", list_floor("", 500), args.repeat),
        measure(
            "filtered list",
            client,
            "/api/events/?date_after=2010-01-01&date_before=2012-12-31&type=official_visit&type=summit&country=uz",
            list_floor(FILTERED_WHERE),
            args.repeat,
        ),
        measure("search", client, "/api/events/?search=water+samarkand", list_floor(SEARCH_WHERE), args.repeat),
        measure("detail", client, f"/api/events/{detail_slug}/", DETAIL_FLOOR, args.repeat, (detail_slug,)),
    ]
    export = "/api/events/?format=csv"
    runs = max(args.repeat // 10, 3)
    times = timed(lambda: fetch(client, export), runs)
    floor_times = timed(lambda: floor_text(list_floor("", None)), runs)
    figures.append(
        Figures(
            "CSV export (all)",
            export,
            statistics.median(times),
            p95(times),
            count_queries(lambda: fetch(client, export)),
            statistics.median(floor_times),
            Event.objects.published().count(),
        )
    )

    print(f"\n{'endpoint':<18} {'rows':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'floor ms':>9} {'ratio':>6}")
    for f in figures:
        print(
            f"{f.name:<18} {f.rows:>7,} {f.median_ms:>10.1f} {f.p95_ms:>8.1f} {f.queries:>8} "
            f"{f.floor_median_ms:>9.1f} {f.ratio:>5.1f}x"
        )
    print("\nCSV streaming, Python's peak memory (tracemalloc):")
    for label, path in (("a tenth of the events", f"{export}&date_before=1995-05-01"), ("all events", export)):
        rows, peak = csv_memory(client, path)
        print(f"  {label:<22} {rows:>8,} rows  {peak:6.1f} MiB")


def main() -> None:
    args = parse_args()
    if not args.reuse:
        recreate_database(args.database)
    configure(args.database)
    if not args.reuse:
        fill(args.scale)
    report(args)


if __name__ == "__main__":
    main()
