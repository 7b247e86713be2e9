"""Builds the seed fixture (``fixtures/seed.json``) from the curated seed file.

The curated file, ``fixtures/curated/seed.yaml``, is what a researcher reads and edits: one
entry per event, agreement, figure, actor and place the seed documents state, each with its
citations. This module turns it into a Django fixture that ``loaddata`` understands:

* every record is identified by its natural key (a slug, a country code, or a UUID derived
  from a stable key), never by a database id, so loading twice changes nothing and loading
  into a database with other records overwrites none of them;
* date bounds and the SHA-256 of each stored text are computed here, with the same code the
  models use;
* every quote is checked against its source's stored text, and every event, agreement,
  observation and office must cite at least one stored source, before anything is written.

Run ``python manage.py build_seed`` after editing the curated file; the test suite fails if
``seed.json`` is out of date.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from records.dates import edtf_bounds
from records.models.source import sha256_of
from records.quotes import closest_passage, find_quote

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
CURATED_FILE = FIXTURES_DIR / "curated" / "seed.yaml"
SOURCES_DIR = FIXTURES_DIR / "sources"
OUTPUT_FILE = FIXTURES_DIR / "seed.json"

# Fixed so that the UUIDs of seed observations and citations never change between builds.
SEED_NAMESPACE = uuid.UUID("5f0c1c56-8a4e-4f5e-9a57-2b1d2c6a0f11")

CITED_KINDS = ("event", "agreement", "observation", "office")


class SeedError(Exception):
    """The curated file is inconsistent; the message says where and why."""


def build_fixture(curated_file: Path = CURATED_FILE, sources_dir: Path = SOURCES_DIR) -> list[dict[str, Any]]:
    with curated_file.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return _Builder(data, sources_dir).build()


def render(fixture: list[dict[str, Any]]) -> str:
    return json.dumps(fixture, ensure_ascii=False, indent=1) + "\n"


class _Builder:
    def __init__(self, data: dict[str, Any], sources_dir: Path) -> None:
        self.data = data
        self.sources_dir = sources_dir
        self.timestamp: str = data["timestamp"]
        self.entries: list[dict[str, Any]] = []
        self.citations: list[dict[str, Any]] = []
        self.known: dict[str, set[str]] = {
            kind: set() for kind in ("country", "topic", "place", "actor", "source", "agreement", "event")
        }
        self.texts: dict[str, str] = {}

    # --- helpers -------------------------------------------------------------------------

    def add(self, model: str, fields: dict[str, Any]) -> None:
        self.entries.append({"model": f"records.{model}", "fields": fields})

    def curated(self) -> dict[str, Any]:
        return {"status": "published", "created_at": self.timestamp, "updated_at": self.timestamp, "updated_by": None}

    def edtf(self, name: str, value: Any, where: str) -> dict[str, Any]:
        text = "" if value is None else str(value).strip()
        if not text:
            return {name: "", f"{name}_lower": None, f"{name}_upper": None}
        try:
            bounds = edtf_bounds(text)
        except ValidationError as error:
            raise SeedError(f"{where}: {name}: {' '.join(error.messages)}") from error
        return {
            name: text,
            f"{name}_lower": bounds.lower.isoformat() if bounds.lower else None,
            f"{name}_upper": bounds.upper.isoformat() if bounds.upper else None,
        }

    def ref(self, kind: str, key: str | None, where: str) -> list[str] | None:
        if key is None:
            return None
        if key not in self.known[kind]:
            raise SeedError(f"{where}: unknown {kind} {key!r} (define it before it is used)")
        return [key]

    def refs(self, kind: str, keys: list[str] | None, where: str) -> list[list[str]]:
        return [self.ref(kind, key, where) for key in keys or []]  # type: ignore[misc]

    def register(self, kind: str, key: str, where: str) -> None:
        if key in self.known[kind]:
            raise SeedError(f"{where}: duplicate {kind} {key!r}")
        self.known[kind].add(key)

    def cite(self, kind: str, natural_key: list[str], record_key: str, items: list[dict[str, Any]] | None) -> None:
        where = f"{kind} {record_key}"
        if not items:
            raise SeedError(f"{where}: has no citation; every fact cites its seed")
        if not any(self.texts.get(item.get("source", "")) for item in items):
            raise SeedError(f"{where}: cites no source with a stored text; every fact cites its seed")
        for item in items:
            source = item["source"]
            self.ref("source", source, where)
            quote = item["quote"].strip()
            prefix, suffix = item.get("prefix", ""), item.get("suffix", "")
            text = self.texts.get(source)
            if text and not find_quote(text, quote, prefix, suffix):
                nearest = closest_passage(text, quote)
                raise SeedError(f"{where}: quote not in {source}: {quote!r}\n  closest passage: {nearest!r}")
            identity = f"citation:{kind}:{record_key}:{source}:{item['locator']}:{quote}"
            fields: dict[str, Any] = {
                "uuid": str(uuid.uuid5(SEED_NAMESPACE, identity)),
                "source": [source],
                **dict.fromkeys(CITED_KINDS),
                "locator": item["locator"],
                "quote": quote,
                "quote_prefix": prefix,
                "quote_suffix": suffix,
                "note": item.get("note", "").strip(),
                "updated_at": self.timestamp,
            }
            fields[kind] = natural_key
            self.citations.append({"model": "records.citation", "fields": fields})

    # --- sections ------------------------------------------------------------------------

    def build(self) -> list[dict[str, Any]]:
        self.countries()
        self.topics()
        self.places()
        self.sources()
        self.actors()
        self.agreements()
        self.events()
        self.indicators()
        return self.entries + self.citations

    def countries(self) -> None:
        for item in self.data["countries"]:
            self.register("country", item["code"], "countries")
            self.add(
                "country",
                {
                    "code": item["code"],
                    "code_alpha3": item["code_alpha3"],
                    "name": item["name"],
                    "updated_at": self.timestamp,
                },
            )

    def topics(self) -> None:
        for item in self.data["topics"]:
            self.register("topic", item["slug"], "topics")
            self.add(
                "topic",
                {"name": item["name"], "slug": item["slug"], "description": item.get("description", "").strip()},
            )

    def places(self) -> None:
        for item in self.data["places"]:
            where = f"place {item['slug']}"
            self.add(
                "place",
                {
                    **self.curated(),
                    "name": item["name"],
                    "slug": item["slug"],
                    "kind": item["kind"],
                    "country": self.ref("country", item["country"], where),
                    "parent": self.ref("place", item.get("parent"), where),
                    "alternative_names": item.get("alternative_names", []),
                    "latitude": None,
                    "longitude": None,
                    "description": item.get("description", "").strip(),
                },
            )
            self.register("place", item["slug"], where)

    def sources(self) -> None:
        for item in self.data["sources"]:
            where = f"source {item['slug']}"
            self.register("source", item["slug"], where)
            full_text = ""
            if item.get("full_text_file"):
                full_text = (self.sources_dir / item["full_text_file"]).read_bytes().decode("utf-8")
                self.texts[item["slug"]] = full_text
            self.add(
                "source",
                {
                    **self.curated(),
                    "title": item["title"],
                    "slug": item["slug"],
                    "type": item["type"],
                    "container_title": item.get("container_title", ""),
                    "number": str(item.get("number", "")),
                    "authors": item.get("authors", []),
                    "editors": item.get("editors", []),
                    "publisher": item.get("publisher", ""),
                    "place_published": item.get("place_published", ""),
                    **self.edtf("published", item.get("published"), where),
                    "url": item.get("url", ""),
                    "accessed": str(item["accessed"]) if item.get("accessed") else None,
                    "issn": item.get("issn", ""),
                    "isbn": item.get("isbn", ""),
                    "doi": item.get("doi", ""),
                    "language": item.get("language", "en"),
                    "full_text": full_text,
                    "full_text_sha256": sha256_of(full_text) if full_text else "",
                    "full_text_archived_on": str(item["full_text_archived_on"])
                    if item.get("full_text_archived_on")
                    else None,
                    "note": item.get("note", "").strip(),
                },
            )

    def actors(self) -> None:
        offices = []
        for item in self.data["actors"]:
            where = f"actor {item['slug']}"
            self.register("actor", item["slug"], where)
            self.add(
                "actor",
                {
                    **self.curated(),
                    "name": item["name"],
                    "slug": item["slug"],
                    "kind": item["kind"],
                    "alternative_names": item.get("alternative_names", []),
                    "country": self.ref("country", item.get("country"), where),
                    "description": item.get("description", "").strip(),
                },
            )
            offices += [(item["slug"], office) for office in item.get("offices", [])]
        # Offices may name an organisation defined later in the file, so they come after all actors.
        for actor, office in offices:
            where = f"office {actor}/{office['title']}"
            start = "" if office.get("start") is None else str(office["start"])
            self.add(
                "office",
                {
                    "actor": [actor],
                    "title": office["title"],
                    "organisation": self.ref("actor", office.get("organisation"), where),
                    "country": self.ref("country", office.get("country"), where),
                    **self.edtf("start", start, where),
                    **self.edtf("end", office.get("end"), where),
                    "note": office.get("note", "").strip(),
                },
            )
            key = [actor, office["title"], start]
            self.cite("office", key, f"{actor}/{office['title']}/{start}", office.get("citations"))

    def agreements(self) -> None:
        for item in self.data["agreements"]:
            self.register("agreement", item["slug"], f"agreement {item['slug']}")
        for item in self.data["agreements"]:
            slug = item["slug"]
            where = f"agreement {slug}"
            self.add(
                "agreement",
                {
                    **self.curated(),
                    "title": item["title"],
                    "short_title": item.get("short_title", ""),
                    "slug": slug,
                    "type": item["type"],
                    "legal_status": item["legal_status"],
                    **self.edtf("date_signed", item.get("date_signed"), where),
                    **self.edtf("period_covered", item.get("period_covered"), where),
                    "place_signed": self.ref("place", item.get("place_signed"), where),
                    "parties": self.refs("country", item.get("parties"), where),
                    "topics": self.refs("topic", item.get("topics"), where),
                    "summary": item.get("summary", "").strip(),
                    "conflict_note": item.get("conflict_note", "").strip(),
                },
            )
            parties = set(item.get("parties") or [])
            for step in item.get("steps", []):
                if step["country"] not in parties:
                    raise SeedError(f"{where}: step by {step['country']}, which is not a party")
                self.add(
                    "partystep",
                    {
                        "agreement": [slug],
                        "country": self.ref("country", step["country"], where),
                        "step": step["step"],
                        **self.edtf("date", step.get("date"), where),
                        "note": step.get("note", ""),
                    },
                )
            for signatory in item.get("signatories", []):
                self.add(
                    "agreementsignatory",
                    {
                        "agreement": [slug],
                        "actor": self.ref("actor", signatory["actor"], where),
                        "country": self.ref("country", signatory.get("country"), where),
                        "capacity": signatory.get("capacity", ""),
                    },
                )
            for relation in item.get("relations", []):
                self.add(
                    "agreementrelation",
                    {
                        "from_agreement": [slug],
                        "to_agreement": self.ref("agreement", relation["to"], where),
                        "relation": relation["relation"],
                        "note": relation.get("note", ""),
                    },
                )
            self.cite("agreement", [slug], slug, item.get("citations"))

    def events(self) -> None:
        for item in self.data["events"]:
            slug = item["slug"]
            where = f"event {slug}"
            self.register("event", slug, where)
            self.add(
                "event",
                {
                    **self.curated(),
                    "title": item["title"],
                    "slug": slug,
                    "type": item["type"],
                    **self.edtf("date", item.get("date"), where),
                    "occurrence": item.get("occurrence", "took_place"),
                    "places": self.refs("place", item.get("places"), where),
                    "agreements": self.refs("agreement", item.get("agreements"), where),
                    "topics": self.refs("topic", item.get("topics"), where),
                    "description": item.get("description", "").strip(),
                    "conflict_note": item.get("conflict_note", "").strip(),
                },
            )
            for participant in item.get("participants", []):
                self.add(
                    "eventparticipant",
                    {
                        "event": [slug],
                        "actor": self.ref("actor", participant["actor"], where),
                        "role": participant["role"],
                        "note": participant.get("note", ""),
                    },
                )
            self.cite("event", [slug], slug, item.get("citations"))

    def indicators(self) -> None:
        keys: set[str] = set()
        for item in self.data["indicators"]:
            slug = item["slug"]
            where = f"indicator {slug}"
            self.add(
                "indicator",
                {
                    **self.curated(),
                    "name": item["name"],
                    "slug": slug,
                    "unit": item["unit"],
                    "description": item.get("description", "").strip(),
                    "topic": self.ref("topic", item.get("topic"), where),
                },
            )
            for observation in item["observations"]:
                key = observation["key"]
                where = f"observation {key}"
                if key in keys:
                    raise SeedError(f"{where}: duplicate key")
                keys.add(key)
                natural_key = str(uuid.uuid5(SEED_NAMESPACE, f"observation:{key}"))
                preferred = observation.get("preferred")
                self.add(
                    "observation",
                    {
                        **self.curated(),
                        "uuid": natural_key,
                        "indicator": [slug],
                        **self.edtf("period", observation["period"], where),
                        "value": str(observation["value"]),
                        "qualifier": observation.get("qualifier", "exact"),
                        "kind": observation.get("kind", "actual"),
                        "change_unit": observation.get("change_unit", ""),
                        **self.edtf("baseline", observation.get("baseline"), where),
                        "reported_by": self.ref("actor", observation.get("reported_by"), where),
                        "agreement": self.ref("agreement", observation.get("agreement"), where),
                        "event": self.ref("event", observation.get("event"), where),
                        "is_preferred": bool(preferred),
                        "preferred_reason": (preferred or "").strip(),
                        "note": observation.get("note", "").strip(),
                    },
                )
                self.cite("observation", [natural_key], key, observation.get("citations"))
