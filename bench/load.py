"""Load test: the app under gunicorn on loopback, many clients at once, and no acknowledged write lost.

Creates a PostgreSQL database of its own (dropped and created again), migrates it, loads the seed
and some thousands of synthetic records (bench/api.py's filler), creates curator accounts with API
tokens, and serves it with gunicorn on a free loopback port, configured as in production (DEBUG off,
collected static files) except for plain HTTP and raised throttles. Then ``--clients`` threads, each
on its own keep-alive connection, request it for ``--duration`` seconds: readers mix public pages,
filtered API lists, search, details and CSV exports; ``--writers`` of the clients are curators who
create draft events and edit them (PATCH with If-Match, re-reading the ETag on 412) while others edit
the same records. It reports requests per second, median/p95/p99 latency overall and per kind of
request, and errors (a 5xx, a connection error, an unexpected 4xx, an error in the server's log).
After stopping gunicorn it checks in the database that every write acknowledged with a 2xx is there
with the value it set, that the latest acknowledged version of each record is its current state, and
that no write refused with 412 left a trace. Exit status 1 on any error or lost write.

Run from the repository root (PostgreSQL on 127.0.0.1:5432, see bench/README.md):

    .venv/bin/python bench/load.py                                  # 50 clients, 60 s
    .venv/bin/python bench/load.py --clients 4 --writers 2 --duration 3 --events 50   # a smoke run
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# bench/api.py fills the database; importable as bench.api however this script is started.
sys.path.insert(0, str(ROOT))

from bench.api import CITIES, EVENTS, SERVER_URL, SUBJECTS, TYPES, configure, fill, recreate_database  # noqa: E402

READER_WEIGHTS = {
    "page_home": 5,
    "page_events": 7,
    "page_event": 7,
    "page_agreements": 4,
    "page_indicator": 4,
    "page_source": 3,
    "page_search": 4,
    "api_events_filtered": 9,
    "api_observations": 6,
    "api_search": 7,
    "api_event_detail": 9,
    "csv_filtered": 4,
    "csv_full": 1,
}
# The public agreements table's sortable columns (records/views.py AGREEMENT_COLUMNS).
AGREEMENT_ORDERINGS = ("date_signed", "-date_signed", "title", "type")
WRITER_KINDS = ("write_create", "write_patch", "write_read")
KINDS = (*READER_WEIGHTS, *WRITER_KINDS)

# High enough never to throttle the load; every API_THROTTLE_* the settings read is raised.
UNTHROTTLED = "100000000/minute"
REQUEST_TIMEOUT = 60.0
# A writer edits a record another writer created this often, so concurrent edits of one record meet.
SHARED_EDIT_SHARE = 0.3
# A writer replays an ETag it knows to be outdated this often: the server must refuse it with 412.
DELIBERATE_CONFLICT_SHARE = 0.1
CREATE_SHARE = 0.25
MAX_RETRIES_ON_412 = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bilateral_load", help="database to (re)create (default %(default)s)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, writers included (default 50)")
    parser.add_argument("--writers", type=int, default=5, help="of the clients, curators writing (default 5)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--events", type=int, default=3000, help="synthetic events besides the seed (default 3000)")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (default 2×cores+1)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync workers; more: gthread)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the workload (default 2026)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not 0 <= args.writers < args.clients:
        parser.error("--writers must be at least 0 and fewer than --clients (at least one client reads)")
    return args


# --- Setting up ------------------------------------------------------------------------------------


def throttle_variables() -> list[str]:
    """Every API_THROTTLE_* variable the settings read (more may be added, e.g. per role)."""
    text = (ROOT / "bilateral_site" / "settings.py").read_text()
    return sorted(set(re.findall(r"[\"'](API_THROTTLE_[A-Z0-9_]+)[\"']", text)))


def prepare_database(args: argparse.Namespace, static_root: str) -> list[str]:
    """Fresh database: schema, seed, synthetic events, collected static files; returns the curators' tokens."""
    recreate_database(args.database)
    os.environ["STATIC_ROOT"] = static_root
    os.environ.update(dict.fromkeys(throttle_variables(), UNTHROTTLED))
    configure(args.database)
    from django.conf import settings
    from django.core.management import call_command

    if str(settings.STATIC_ROOT) != static_root:
        raise SystemExit("settings.STATIC_ROOT does not follow the STATIC_ROOT variable; not collecting there.")
    if args.events:
        fill(args.events / EVENTS)
    else:
        call_command("migrate", verbosity=0)
        call_command("load_seed", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return create_curators(args.writers)


def create_curators(count: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from records.roles import CURATOR

    group = Group.objects.get(name=CURATOR)
    tokens = []
    for i in range(count):
        # Staff, as the admin's roles need: a curator sees the drafts it writes.
        user = get_user_model().objects.create_user(f"load-curator-{i}", is_staff=True)
        user.groups.add(group)
        tokens.append(Token.objects.create(user=user).key)
    return tokens


@dataclass
class Catalogue:
    """What the readers ask for: slugs of published records."""

    events: list[str]
    sources: list[str]
    indicators: list[str]


def catalogue() -> Catalogue:
    from records.models import Event, Indicator, Source

    return Catalogue(
        events=list(Event.objects.published().order_by("?").values_list("slug", flat=True)[:1000]),
        sources=list(Source.objects.published().values_list("slug", flat=True)),
        indicators=list(Indicator.objects.published().values_list("slug", flat=True)),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path


def start_gunicorn(args: argparse.Namespace, log: Path) -> Server:
    """gunicorn as in production, on loopback over plain HTTP; its own process group, to stop it whole."""
    port = free_port()
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "HTTPS": "false", "LOG_LEVEL": "WARNING"}
    environment.pop("DEBUG", None)
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "bilateral_site.wsgi:application",
        "--config=gunicorn.conf.py",  # the production settings; the options below win over it
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    wait_until_ready(server)
    return server


def wait_until_ready(server: Server, timeout: float = 60) -> None:
    """Until /healthz answers 200 (or /, where there is no /healthz)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.process.returncode}:\n{server.log.read_text()}")
        try:
            for path in ("/healthz", "/"):
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
                connection.request("GET", path)
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
                if status != 404:
                    break
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{server.log.read_text()}")


def stop_gunicorn(server: Server) -> None:
    """SIGTERM to the whole group: the arbiter lets workers finish their requests, then exits."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


def cpu_seconds(server: Server, database: str) -> tuple[dict[int, float], dict[int, float]]:
    """CPU time used so far by each gunicorn process and each PostgreSQL backend serving ``database``.

    From Linux's /proc (nothing elsewhere). Unlike latency, it does not grow when other programs
    share the machine.
    """
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres") as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        backends = {pid for (pid,) in rows}
    gunicorn, postgres = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process has just exited
            continue
        # After the command name: state, ppid, pgrp, …; utime and stime are the 12th and 13th.
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        pid = int(stat.parent.name)
        if int(fields[2]) == server.process.pid:
            gunicorn[pid] = seconds
        elif pid in backends:
            postgres[pid] = seconds
    return gunicorn, postgres


def used_since(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def server_log_errors(log: Path) -> list[str]:
    """Lines of the server's log that mean a failed request or a killed worker."""
    markers = ("Traceback", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "Internal Server Error")
    return [line for line in log.read_text(errors="replace").splitlines() if any(m in line for m in markers)]


def drop_database(database: str) -> None:
    import psycopg
    from django.apps import apps
    from django.db import connections

    if apps.ready:  # else set-up failed before Django opened any connection
        connections.close_all()
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')


# --- Driving the load ------------------------------------------------------------------------------


@dataclass
class Tally:
    """One client's results; merged after the run, so the hot path takes no lock."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    deliberate_412: int = 0
    contended_412: int = 0
    # (slug, version, title) of every write answered with a 2xx.
    acknowledged: list[tuple[str, int, str]] = field(default_factory=list)
    # (slug, title) of every write answered with 412: nothing of it may reach the database.
    refused: list[tuple[str, str]] = field(default_factory=list)

    def record(self, kind: str, started: float) -> None:
        self.latencies.setdefault(kind, []).append((time.perf_counter() - started) * 1000)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(f"{kind}: {detail}")


class Client:
    """One keep-alive connection (http.client reconnects by itself when the server closes it)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        # No Accept header, as curl or a browser link: ?format=csv chooses CSV.
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPResponse, bytes]:
        all_headers = {**self.headers, **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=payload, headers=all_headers)
            response = self.connection.getresponse()
            return response.status, response, response.read()
        except (OSError, http.client.HTTPException):
            # A broken connection is not reused: the next request opens a new one.
            self.connection.close()
            raise

    def close(self) -> None:
        self.connection.close()


def reader_paths(data: Catalogue) -> dict[str, Callable[[random.Random], str]]:
    def years(rng: random.Random) -> tuple[int, int]:
        start = rng.randint(1992, 2024)
        return start, start + rng.randint(0, 4)

    def event_filters(rng: random.Random) -> str:
        first, last = years(rng)
        return urlencode({"type": rng.choice(TYPES), "date_after": f"{first}-01-01", "date_before": f"{last}-12-31"})

    def page_filters(rng: random.Random) -> str:
        # The public timeline takes years as well as dates.
        first, last = years(rng)
        return urlencode({"type": rng.choice(TYPES), "date_after": first, "date_before": last})

    def word(rng: random.Random) -> str:
        return rng.choice(SUBJECTS + CITIES).lower()

    return {
        "page_home": lambda rng: "/",
        "page_events": lambda rng: "/events/?" + page_filters(rng),
        "page_event": lambda rng: f"/events/{rng.choice(data.events)}/",
        "page_agreements": lambda rng: "/agreements/?ordering=" + rng.choice(AGREEMENT_ORDERINGS),
        "page_indicator": lambda rng: "/indicators/trade-turnover/",
        "page_source": lambda rng: f"/sources/{rng.choice(data.sources)}/",
        "page_search": lambda rng: "/search/?" + urlencode({"q": word(rng)}),
        "api_events_filtered": lambda rng: "/api/events/?" + event_filters(rng),
        "api_observations": lambda rng: (
            "/api/observations/?"
            + urlencode({"indicator": rng.choice(data.indicators), "kind": rng.choice(["actual", "target", "change"])})
        ),
        "api_search": lambda rng: "/api/events/?" + urlencode({"search": f"{word(rng)} {word(rng)}"}),
        "api_event_detail": lambda rng: f"/api/events/{rng.choice(data.events)}/",
        "csv_filtered": lambda rng: "/api/events/?format=csv&" + event_filters(rng),
        "csv_full": lambda rng: "/api/events/?format=csv",
    }


def run_reader(
    port: int, paths: dict[str, Callable[[random.Random], str]], seed: int, deadline: float, *, every_kind_first: bool
) -> Tally:
    rng = random.Random(seed)
    tally, client = Tally(), Client(port)
    kinds, weights = list(READER_WEIGHTS), list(READER_WEIGHTS.values())
    # One reader asks for every kind once first, so even a short run measures each; then the weighted mix.
    first_round = rng.sample(kinds, len(kinds)) if every_kind_first else []
    while time.monotonic() < deadline:
        kind = first_round.pop() if first_round else rng.choices(kinds, weights)[0]
        path = paths[kind](rng)
        started = time.perf_counter()
        try:
            status, _, body = client.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            tally.error(kind, f"GET {path}: {error!r}")
            continue
        tally.record(kind, started)
        if status != 200:
            tally.error(kind, f"GET {path}: {status} {body[:200]!r}")
    client.close()
    return tally


class Writer:
    """A curator creating draft events and editing them, and others' drafts, through the API."""

    def __init__(self, number: int, port: int, token: str, seed: int, shared: list[str], lock: threading.Lock) -> None:
        self.number, self.rng = number, random.Random(seed)
        self.client, self.tally = Client(port, token), Tally()
        self.shared, self.lock = shared, lock
        self.own: list[str] = []
        # The ETag a successful edit was made from: outdated by that edit, so a replay must get 412.
        self.outdated: dict[str, str] = {}
        self.writes = 0

    def run(self, deadline: float) -> Tally:
        while time.monotonic() < deadline:
            try:
                if not self.own or self.rng.random() < CREATE_SHARE:
                    self.create()
                elif self.outdated and self.rng.random() < DELIBERATE_CONFLICT_SHARE:
                    self.replay_outdated()
                else:
                    with self.lock:
                        others = self.rng.random() < SHARED_EDIT_SHARE and self.shared
                        slug = self.rng.choice(self.shared) if others else self.rng.choice(self.own[-20:])
                    self.edit(slug)
            except (OSError, http.client.HTTPException, ValueError) as error:
                self.tally.error("writer", repr(error))
        self.client.close()
        return self.tally

    def marker(self) -> str:
        """A value no other write sets, to find this write in the database afterwards."""
        self.writes += 1
        return f"Load test w{self.number} write {self.writes} {secrets.token_hex(4)}"

    def call(self, kind: str, method: str, path: str, body: dict[str, Any] | None = None, etag: str = "") -> Any:
        started = time.perf_counter()
        status, response, content = self.client.request(method, path, body, {"If-Match": etag} if etag else None)
        self.tally.record(kind, started)
        return status, response.getheader("ETag"), json.loads(content) if content else None

    def create(self) -> None:
        slug = f"load-w{self.number}-{len(self.own) + 1}"
        title = self.marker()
        body = {"slug": slug, "title": title, "type": self.rng.choice(TYPES), "date": "2026-05"}
        status, _, data = self.call("write_create", "POST", "/api/events/", body)
        if status != 201:
            self.tally.error("write_create", f"POST {slug}: {status} {data}")
            return
        self.tally.acknowledged.append((slug, data["version"], title))
        self.own.append(slug)
        with self.lock:
            self.shared.append(slug)

    def read(self, slug: str) -> tuple[str, dict[str, Any]] | None:
        status, etag, data = self.call("write_read", "GET", f"/api/events/{slug}/")
        if status != 200 or not etag:
            self.tally.error("write_read", f"GET {slug}: {status} {data}")
            return None
        return etag, data

    def edit(self, slug: str) -> None:
        """Read, PATCH from that ETag; on 412 (someone wrote in between) read again and retry."""
        title = self.marker()
        for _ in range(MAX_RETRIES_ON_412):
            current = self.read(slug)
            if current is None:
                return
            etag, _ = current
            status, _, data = self.call("write_patch", "PATCH", f"/api/events/{slug}/", {"title": title}, etag)
            if status == 412:
                self.tally.contended_412 += 1
                continue
            if status != 200:
                self.tally.error("write_patch", f"PATCH {slug}: {status} {data}")
                return
            self.tally.acknowledged.append((slug, data["version"], title))
            self.outdated[slug] = etag
            self.check_read_back(slug, data["version"], title)
            return
        self.tally.error("write_patch", f"PATCH {slug}: still 412 after {MAX_RETRIES_ON_412} fresh reads")
        self.tally.refused.append((slug, title))

    def check_read_back(self, slug: str, version: int, title: str) -> None:
        current = self.read(slug)
        if current is None:
            return
        _, data = current
        # Another writer may have edited it since (a higher version); the same version must hold our value.
        if data["version"] < version or (data["version"] == version and data["title"] != title):
            self.tally.error("write_read", f"{slug} read back as v{data['version']} {data['title']!r}")

    def replay_outdated(self) -> None:
        slug = self.rng.choice(list(self.outdated))
        title = self.marker()
        status, _, _ = self.call("write_patch", "PATCH", f"/api/events/{slug}/", {"title": title}, self.outdated[slug])
        self.tally.refused.append((slug, title))
        if status == 412:
            self.tally.deliberate_412 += 1
        else:
            self.tally.error("write_patch", f"PATCH {slug} with an outdated ETag: {status}, not 412")


def drive(args: argparse.Namespace, port: int, tokens: list[str], data: Catalogue) -> tuple[list[Tally], float, float]:
    """Runs the clients; returns their tallies, the seconds they ran and the CPU seconds this process used."""
    paths = reader_paths(data)
    shared: list[str] = []
    lock = threading.Lock()
    readers = args.clients - args.writers
    results: list[Tally] = []
    start = threading.Barrier(args.clients + 1)
    deadline = [0.0]

    def reader(number: int) -> None:
        start.wait()
        results.append(run_reader(port, paths, args.seed * 1000 + number, deadline[0], every_kind_first=number == 0))

    def writer(number: int) -> None:
        agent = Writer(number, port, tokens[number], args.seed * 1000 + readers + number, shared, lock)
        start.wait()
        results.append(agent.run(deadline[0]))

    # Daemons: Ctrl-C ends the run at once, and the finally blocks still stop gunicorn.
    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)]
    threads += [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(args.writers)]
    for thread in threads:
        thread.start()
    began, cpu = time.monotonic(), time.process_time()
    deadline[0] = began + args.duration
    start.wait()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - began, time.process_time() - cpu


# --- Checking and reporting ------------------------------------------------------------------------


def verify_writes(tallies: list[Tally]) -> dict[str, Any]:
    """Every acknowledged write is in the history with its value, each record holds its latest
    acknowledged version, and nothing refused with 412 was written."""
    from records.models import Event

    acknowledged = [write for tally in tallies for write in tally.acknowledged]
    refused = [write for tally in tallies for write in tally.refused]
    slugs = {slug for slug, _, _ in acknowledged} | {slug for slug, _ in refused}
    history = set(Event.history.filter(slug__in=slugs).values_list("slug", "version", "title"))
    current = {row[0]: row[1:] for row in Event.objects.filter(slug__in=slugs).values_list("slug", "version", "title")}
    problems = [
        f"{slug} v{version} {title!r} is not in the database"
        for slug, version, title in acknowledged
        if (slug, version, title) not in history
    ]
    # Two writes acknowledged as the same version: one overwrote the other unseen (a lost update).
    versions = Counter((slug, version) for slug, version, _ in acknowledged)
    problems += [f"{slug} v{version} was acknowledged {n} times" for (slug, version), n in versions.items() if n > 1]
    latest: dict[str, tuple[int, str]] = {}
    for slug, version, title in acknowledged:
        latest[slug] = max(latest.get(slug, (0, "")), (version, title))
    for slug, (version, title) in latest.items():
        if current.get(slug) != (version, title):
            problems.append(f"{slug} holds {current.get(slug)}, its latest acknowledged write is v{version} {title!r}")
    written = {(slug, title) for slug, _, title in history}
    problems += [
        f"{slug}: refused write {title!r} is in the database" for slug, title in refused if (slug, title) in written
    ]
    return {"acknowledged": len(acknowledged), "refused": len(refused), "records": len(latest), "problems": problems}


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0],) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


def summarise(args: argparse.Namespace, tallies: list[Tally], elapsed: float, log_errors: list[str]) -> dict[str, Any]:
    kinds = {}
    for kind in KINDS:
        values = [v for tally in tallies for v in tally.latencies.get(kind, [])]
        p50, p95, p99 = percentiles(values)
        errors = sum(tally.errors[kind] for tally in tallies)
        kinds[kind] = {"requests": len(values), "errors": errors, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99}
    everything = [v for tally in tallies for values in tally.latencies.values() for v in values]
    p50, p95, p99 = percentiles(everything)
    errors = sum(sum(tally.errors.values()) for tally in tallies)
    return {
        "clients": args.clients,
        "writers": args.writers,
        "workers": args.workers,
        "threads": args.threads,
        "events": args.events,
        "seconds": elapsed,
        "requests": len(everything),
        "rps": len(everything) / elapsed,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "errors": errors + len(log_errors),
        "writer_errors": sum(tally.errors["writer"] for tally in tallies),
        "server_log_errors": len(log_errors),
        "deliberate_412": sum(tally.deliberate_412 for tally in tallies),
        "contended_412": sum(tally.contended_412 for tally in tallies),
        "kinds": kinds,
        "error_samples": [sample for tally in tallies for sample in tally.error_samples][:10] + log_errors[:10],
    }


def print_report(summary: dict[str, Any], writes: dict[str, Any]) -> None:
    def per_request(seconds: float) -> str:
        return f"{1000 * seconds / max(summary['requests'], 1):.0f} ms a request"

    print(
        f"\n{summary['clients']} clients ({summary['writers']} curators writing) for {summary['seconds']:.1f} s "
        f"against gunicorn ({summary['workers']} workers × {summary['threads']} thread(s)), "
        f"{summary['events']:,} synthetic events, {os.cpu_count()} cores"
    )
    print(
        f"load average before: {summary['load_average_before']:.2f}; CPU used of the "
        f"{summary['seconds'] * (os.cpu_count() or 1):.0f} s available: "
        f"gunicorn {summary['gunicorn_cpu_seconds']:.1f} s "
        f"({per_request(summary['gunicorn_cpu_seconds'])}), PostgreSQL {summary['postgres_cpu_seconds']:.1f} s "
        f"({per_request(summary['postgres_cpu_seconds'])}), these clients {summary['client_cpu_seconds']:.1f} s"
    )
    print(f"\n{'kind':<20} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, row in summary["kinds"].items():
        print(
            f"{kind:<20} {row['requests']:>9,} {row['errors']:>7} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f}"
        )
    print(
        f"{'all':<20} {summary['requests']:>9,} {summary['errors']:>7} "
        f"{summary['p50_ms']:>8.1f} {summary['p95_ms']:>8.1f} {summary['p99_ms']:>8.1f}"
    )
    print(f"\nrequests per second: {summary['rps']:.1f}")
    print(
        f"errors: {summary['errors']} (server log: {summary['server_log_errors']}); "
        f"412 expected: {summary['deliberate_412']} deliberate (outdated ETag), "
        f"{summary['contended_412']} from concurrent edits (re-read and retried)"
    )
    for sample in summary["error_samples"]:
        print(f"  {sample}")
    print(
        f"writes: {writes['acknowledged']} acknowledged on {writes['records']} records, "
        f"{writes['acknowledged'] - len(writes['problems'])} verified in the database, "
        f"{writes['refused']} refused with 412 and absent; lost or wrong: {len(writes['problems'])}"
    )
    for problem in writes["problems"][:10]:
        print(f"  {problem}")


def main() -> int:
    args = parse_args()
    print(f"Preparing database {args.database} with {args.events:,} synthetic events…", flush=True)
    with tempfile.TemporaryDirectory(prefix="bilateral-load-") as workdir:
        try:
            tokens = prepare_database(args, str(Path(workdir) / "static"))
            data = catalogue()
            server = start_gunicorn(args, Path(workdir) / "gunicorn.log")
            try:
                print(f"gunicorn on port {server.port}; {args.clients} clients for {args.duration:g} s…", flush=True)
                load_before, cpu_before = os.getloadavg()[0], cpu_seconds(server, args.database)
                tallies, elapsed, client_cpu = drive(args, server.port, tokens, data)
                cpu_after = cpu_seconds(server, args.database)
            finally:
                stop_gunicorn(server)
            log_errors = server_log_errors(server.log)
            summary = summarise(args, tallies, elapsed, log_errors)
            summary.update(
                load_average_before=load_before,
                client_cpu_seconds=client_cpu,
                gunicorn_cpu_seconds=used_since(cpu_before[0], cpu_after[0]),
                postgres_cpu_seconds=used_since(cpu_before[1], cpu_after[1]),
            )
            writes = verify_writes(tallies)
            summary["writes"] = writes
            print_report(summary, writes)
            if args.json:
                args.json.write_text(json.dumps(summary, indent=2))
        finally:
            if not args.keep:
                drop_database(args.database)
    return 1 if summary["errors"] or writes["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
