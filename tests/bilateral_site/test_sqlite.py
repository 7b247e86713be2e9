"""The embedded SQLite database: WAL, and a writer that waits for another instead of failing.

The test database is in memory, where WAL does not apply, so these tests open a file database
through Django's SQLite backend with the options the settings give when DATABASE_URL is unset
(read in a fresh process, so they hold on a PostgreSQL test run too).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction

from tests.bilateral_site.test_settings import _settings

pytestmark = pytest.mark.slow

ALIAS = "sqlite_file"

# Holds the write lock of the database named on its command line until it reads a line.
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO entry (name) VALUES ('first')")
print("holding", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
"""


@pytest.fixture(scope="module")
def embedded_options() -> dict[str, Any]:
    """OPTIONS of the default database when no DATABASE_URL is set."""
    databases = _settings({"DEBUG": "true"}, "DATABASES")["DATABASES"]
    default = databases["default"]  # type: ignore[index]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    return default["OPTIONS"]


def _file_database(
    path: Path, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[str]:
    # configure_settings fills in every key Django expects; it insists on a "default" beside it.
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}
    configured = connections.configure_settings({"default": dict(database), ALIAS: database})[ALIAS]
    monkeypatch.setitem(connections.settings, ALIAS, configured)
    with django_db_blocker.unblock():
        try:
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, name TEXT)")
            yield ALIAS
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]


@pytest.fixture
def file_database(
    tmp_path: Path, embedded_options: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[str]:
    """A file database opened with the settings' options, as ``connections[ALIAS]``."""
    yield from _file_database(tmp_path / "db.sqlite3", embedded_options, monkeypatch, django_db_blocker)


@pytest.fixture
def impatient_file_database(
    tmp_path: Path, embedded_options: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> Iterator[str]:
    """The same, but giving up at once on a lock: SQLite's behaviour without a busy timeout."""
    options = {**embedded_options, "timeout": 0}
    yield from _file_database(tmp_path / "db.sqlite3", options, monkeypatch, django_db_blocker)


def _pragma(alias: str, name: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_the_embedded_database_is_configured_for_wal_immediate_writes_and_a_busy_timeout(
    embedded_options: dict[str, Any],
) -> None:
    assert embedded_options == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def test_a_file_database_opened_with_those_options_runs_in_wal_mode(file_database: str) -> None:
    assert _pragma(file_database, "journal_mode") == "wal"
    assert _pragma(file_database, "synchronous") == 1  # NORMAL: safe with WAL, one fsync per checkpoint
    assert _pragma(file_database, "busy_timeout") == 20_000


def _write_while_another_process_holds_the_lock(alias: str) -> tuple[bool, BaseException | None, list[str]]:
    """Another process takes the write lock; this one writes in a transaction meanwhile.

    Returns whether the write was still waiting while the lock was held, what it raised, and the
    rows in the end."""
    outcome: list[BaseException | None] = []

    def write() -> None:
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO entry (name) VALUES ('second')")
            outcome.append(None)
        except OperationalError as error:
            outcome.append(error)
        finally:
            connections[alias].close()  # the thread's own connection

    path = connections[alias].settings_dict["NAME"]
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdin is not None
        assert holder.stdout.readline().strip() == "holding"
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=1)
        waited = writer.is_alive()
        holder.stdin.write("\n")
        holder.stdin.flush()
        writer.join()
        assert holder.wait(timeout=30) == 0
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM entry ORDER BY id")
        rows = [name for (name,) in cursor.fetchall()]
    return waited, outcome[0], rows


def test_a_writer_waits_for_another_process_to_commit_instead_of_failing(file_database: str) -> None:
    waited, error, rows = _write_while_another_process_holds_the_lock(file_database)
    assert waited, "the write did not wait for the lock"
    assert error is None
    assert rows == ["first", "second"]


def test_without_a_busy_timeout_the_same_write_fails_with_database_is_locked(impatient_file_database: str) -> None:
    """What the timeout prevents (and proof that the write above really met a held lock)."""
    waited, error, rows = _write_while_another_process_holds_the_lock(impatient_file_database)
    assert not waited
    assert isinstance(error, OperationalError)
    assert "database is locked" in str(error)
    assert rows == ["first"]
