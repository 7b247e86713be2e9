"""bench/load.py: a short real run against PostgreSQL, and its check for lost writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from bench.api import SERVER_URL
from bench.load import KINDS, Tally, verify_writes
from tests.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]


def _load(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "bench/load.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.slow
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="bench/load.py creates its own PostgreSQL database and serves it with gunicorn; the run is on SQLite",
)
def test_a_short_load_run_measures_every_kind_of_request_with_no_error_and_no_lost_write(tmp_path: Path) -> None:
    """Four clients for three seconds: exit status 0, every kind measured, writes verified, database dropped."""
    database = f"load_smoke_{os.getpid()}"
    report = tmp_path / "load.json"
    args = ("--database", database, "--clients", "4", "--writers", "2", "--duration", "3", "--events", "50")
    run = _load(*args, "--json", str(report))

    assert run.returncode == 0, run.stdout + run.stderr
    for kind in KINDS:
        assert kind in run.stdout
    figures = json.loads(report.read_text())
    assert {kind for kind, row in figures["kinds"].items() if row["requests"] == 0} == set()
    assert figures["errors"] == 0
    assert figures["writes"]["acknowledged"] > 0
    assert figures["writes"]["problems"] == []
    with psycopg.connect(f"{SERVER_URL}/postgres") as connection:
        assert not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()


def test_load_refuses_a_run_with_no_client_left_to_read() -> None:
    """--writers as many as --clients is refused with a message naming the option, before any set-up."""
    run = _load("--clients", "2", "--writers", "2")

    assert run.returncode == 2
    assert "--writers" in run.stderr


@pytest.mark.django_db
def test_verification_accepts_acknowledged_writes_that_are_in_the_database() -> None:
    event = EventFactory(title="First")
    event.title = "Second"
    event.save()
    tally = Tally(acknowledged=[(event.slug, 1, "First"), (event.slug, 2, "Second")], refused=[(event.slug, "Third")])

    assert verify_writes([tally])["problems"] == []


@pytest.mark.django_db
def test_verification_reports_an_acknowledged_write_the_database_does_not_hold() -> None:
    event = EventFactory(title="First")
    tally = Tally(acknowledged=[(event.slug, 1, "First"), (event.slug, 2, "Second")])

    problems = verify_writes([tally])["problems"]

    assert any("v2 'Second' is not in the database" in problem for problem in problems)
    assert any("its latest acknowledged write is v2" in problem for problem in problems)


@pytest.mark.django_db
def test_verification_reports_a_write_refused_with_412_that_reached_the_database() -> None:
    event = EventFactory(title="First")
    tally = Tally(acknowledged=[(event.slug, 1, "First")], refused=[(event.slug, "First")])

    assert verify_writes([tally])["problems"] == [f"{event.slug}: refused write 'First' is in the database"]


@pytest.mark.django_db
def test_verification_reports_two_writes_acknowledged_as_the_same_version() -> None:
    event = EventFactory(title="First")
    event.title = "Second"
    event.save()
    tally = Tally(acknowledged=[(event.slug, 2, "Second")])
    other = Tally(acknowledged=[(event.slug, 2, "Overwritten")])

    problems = verify_writes([tally, other])["problems"]

    assert f"{event.slug} v2 was acknowledged 2 times" in problems
