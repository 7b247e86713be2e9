"""Backups that restore: every row of the data, its history and its accounts, in one portable file.

Used by ``manage.py backup`` and ``manage.py restore``. A backup is gzip-compressed, newline-delimited
JSON, one value per line, so it is written and read as a stream and memory stays flat::

    {"format": "bilateral-backup", "version": 1, "created_at": …, "database": …, "migrations": {…}, "counts": {…}}
    {"model": "records.event", "columns": ["id", "title", …]}
    [1, "First official visit", …]                      one line per row, in column order
    …
    {"end": {"rows": 12345}}

Rows keep their primary keys (citations, history ids, UUIDs), except in the tables a database fills
by itself (content types and permissions from ``migrate``, groups from the roles migration): those,
and every reference to them, are written as natural keys, so a restore matches them by name.

Why not ``dumpdata``/``loaddata``: natural keys there are all or nothing (with them, every history
row's user and every citation's record costs a query; without them, content type and permission
ids from one database land on different rows in another); the JSON serializer rounds times to the
millisecond; and loading saves row by row and sets many-to-many fields through their managers,
which django-simple-history records as new history. Here each table is read with one streamed
query and written back with batched INSERTs that fire no signal, so the history is exactly what
was backed up.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import io
import json
import os
import sys
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor

FORMAT = "bilateral-backup"
VERSION = 1
FILE_NAME = "bilateral-backup-{:%Y%m%dT%H%M%SZ}.json.gz"
# Rows read per round trip to the database and written per INSERT batch.
CHUNK_SIZE = 2000

# What a backup leaves out, and why.
EXCLUDED_APPS = {
    "sessions": "logins in progress: restoring them would log people back in",
    "axes": "django-axes' lock-outs and login attempts: operational state, not data",
}
EXCLUDED_MODELS = {
    "authtoken.token": (
        "API tokens are stored in plain text, so a backup holding them would be a set of live write "
        "credentials; after a restore, issue new ones with drf_create_token"
    ),
}

# Rows every migrated database already has (content types and permissions from `migrate`, the role
# groups from records/migrations/0003_roles.py), matched by natural key, not id. Parents first.
NATURAL_MODELS: tuple[type[models.Model], ...] = (ContentType, Permission, Group)
# A group's permissions: links between two natural-key tables, replaced group by group.
GROUP_PERMISSIONS = Group.permissions.through


class BackupError(Exception):
    """A backup or restore refused, with the reason for the person running it."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    header: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.header["counts"].values())


def backed_up_models() -> list[type[models.Model]]:
    """Every table a backup holds, in the order it is written and restored."""
    first = [*NATURAL_MODELS, GROUP_PERMISSIONS]
    rest = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model not in first
        and not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    return first + rest


def columns(model: type[models.Model]) -> list[models.Field]:
    """The columns a backup holds for ``model``: its own, without what the database derives."""
    # search_vector is kept by a PostgreSQL trigger from search_document (NULL on SQLite), so it is
    # rebuilt as the rows go back in, whichever database the backup came from.
    fields = [field for field in model._meta.local_concrete_fields if not isinstance(field, SearchVectorField)]
    if model in NATURAL_MODELS or model is GROUP_PERMISSIONS:
        fields = [field for field in fields if not field.primary_key]
    return fields


def migration_state() -> dict[str, str]:
    """The latest migration of each app; refuses a database that is not migrated that far."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(leaves):
        raise BackupError("The database has unapplied migrations: run `manage.py migrate` first.")
    latest: dict[str, list[str]] = {}
    for app_label, name in leaves:
        latest.setdefault(app_label, []).append(name)
    return {app_label: ", ".join(sorted(names)) for app_label, names in sorted(latest.items())}


# --- Writing -----------------------------------------------------------------------------------


def write_backup(target: Path) -> BackupResult:
    """Write a backup to ``target``: a file of that name, or a timestamped file in that directory.

    The file appears complete or not at all: it is written beside the target and renamed over it.
    It holds password hashes, so it is readable by its owner only.
    """
    into_directory = target.is_dir()
    directory = target if into_directory else target.parent
    if not directory.is_dir():
        raise BackupError(f"There is no directory {directory} to write the backup in.")
    migrations = migration_state()
    try:
        # mkstemp creates the file readable and writable by its owner only.
        handle, temporary_name = tempfile.mkstemp(dir=directory, prefix=".bilateral-backup-", suffix=".partial")
    except OSError as error:
        raise BackupError(f"Cannot write in {directory}: {error.strerror}.") from error
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            with _snapshot():
                created_at = datetime.datetime.now(datetime.UTC)
                path = directory / FILE_NAME.format(created_at) if into_directory else target
                if into_directory and path.exists():
                    raise BackupError(f"{path} exists already; a backup never overwrites an earlier one.")
                header = _write_dump(raw, created_at, migrations)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"Could not write the backup: {error}. Nothing was written.") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(directory)
    return BackupResult(path=path, header=header)


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only transaction that sees the whole database as it was when it began.

    Inside a transaction the caller already opened (tests do), that transaction decides what is seen.
    """
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    if connection.vendor == "sqlite":
        # The settings start every SQLite transaction IMMEDIATE, taking the write lock; a backup only
        # reads, and a DEFERRED transaction reads one snapshot (WAL) without making writers wait.
        connection.ensure_connection()
        mode = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Must be the transaction's first statement. Without it (READ COMMITTED) each table
                # would be read as of its own query, and a write in between would tear the dump.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_dump(raw: IO[bytes], created_at: datetime.datetime, migrations: dict[str, str]) -> dict[str, Any]:
    tables = backed_up_models()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": created_at.isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "left_out": {**EXCLUDED_APPS, **EXCLUDED_MODELS},
        "counts": {model._meta.label_lower: model._base_manager.count() for model in tables},
    }
    natural_keys = {
        model: {row.pk: list(row.natural_key()) for row in model._base_manager.select_related()}
        for model in NATURAL_MODELS
    }
    with io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6), encoding="utf-8") as out:
        _write_line(out, header)
        for model in tables:
            _dump_model(out, model, natural_keys)
        _write_line(out, {"end": {"rows": sum(header["counts"].values())}})
    return header


def _dump_model(out: IO[str], model: type[models.Model], natural_keys: dict[Any, dict[Any, list[Any]]]) -> None:
    fields = columns(model)
    _write_line(out, {"model": model._meta.label_lower, "columns": [field.attname for field in fields]})
    as_natural = [natural_keys.get(field.related_model) if field.is_relation else None for field in fields]
    own_keys = natural_keys.get(model)
    names = [model._meta.pk.attname, *(field.attname for field in fields)]
    rows = model._base_manager.order_by(model._meta.pk.attname).values_list(*names).iterator(chunk_size=CHUNK_SIZE)
    for pk, *values in rows:
        row = [
            keys[value] if keys is not None and value is not None else value
            for keys, value in zip(as_natural, values, strict=True)
        ]
        if own_keys is not None:
            row.insert(0, own_keys[pk])
        _write_line(out, row)


def _write_line(out: IO[str], value: Any) -> None:
    out.write(json.dumps(value, default=_encode, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


def _encode(value: Any) -> str:
    # Full precision: Django's JSON encoder would round times to the millisecond.
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"Cannot write {type(value).__name__} to a backup.")


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- Restoring ---------------------------------------------------------------------------------


def restore_backup(path: Path) -> dict[str, Any]:
    """Load the backup at ``path`` into an empty, migrated database, all or nothing; returns its header."""
    with _reading(path) as lines:
        header = _header(lines)
        _check_migrations(header["migrations"])
        tables = backed_up_models()
        with transaction.atomic():
            _check_empty(tables)
            try:
                restored = _load(lines, header, {model._meta.label_lower: model for model in tables})
                connection.check_constraints(table_names=[model._meta.db_table for model in restored])
            except DatabaseError as error:
                raise BackupError(f"The backup does not fit this database ({error}). Nothing was restored.") from error
            with connection.cursor() as cursor:
                # New rows must get ids after the restored ones (PostgreSQL; SQLite needs nothing).
                for statement in connection.ops.sequence_reset_sql(no_style(), restored):
                    cursor.execute(statement)
    return header


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[Iterator[Any]]:
    """The backup's lines as JSON values; ``-`` reads standard input (as into a container)."""
    from_stdin = str(path) == "-"
    if not from_stdin and not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        with (
            contextlib.nullcontext(sys.stdin.buffer) if from_stdin else path.open("rb") as raw,
            io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="rb"), encoding="utf-8") as text,
        ):
            yield (json.loads(line) for line in text)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, TypeError, ValidationError) as error:
        # A cut, corrupt or edited file: gzip, JSON or a column's own conversion says what is wrong.
        raise BackupError(f"{path} is not a complete, valid backup ({error}). Nothing was restored.") from error


def _header(lines: Iterator[Any]) -> dict[str, Any]:
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This file is not a backup made by `manage.py backup`.")
    if header.get("version") != VERSION:
        raise BackupError(f"This backup is in format version {header.get('version')}; this code reads {VERSION}.")
    return header


def _check_migrations(backed_up: dict[str, str]) -> None:
    current = migration_state()
    differences = [
        f"{app_label}: the backup is at {backed_up.get(app_label, 'no migration')}, "
        f"this code at {current.get(app_label, 'no migration')}"
        for app_label in sorted(set(backed_up) | set(current))
        if backed_up.get(app_label) != current.get(app_label)
    ]
    if differences:
        raise BackupError(
            "The backup was made with other migrations than this code has ("
            + "; ".join(differences)
            + "). Restore it with the version of the code that made it."
        )


def _check_empty(tables: Iterable[type[models.Model]]) -> None:
    held = [
        f"{model._meta.label_lower}: {count} rows"
        for model in tables
        if model not in NATURAL_MODELS and model is not GROUP_PERMISSIONS and (count := model._base_manager.count())
    ]
    if held:
        more = f" and {len(held) - 5} more tables" if len(held) > 5 else ""
        raise BackupError(
            f"The database is not empty ({', '.join(held[:5])}{more}). Restore only into a new, migrated "
            "database; nothing was changed."
        )


NaturalKeys = dict[type[models.Model], dict[tuple[Any, ...], Any]]


class _Table:
    """One table of the backup being restored: its columns, its rows' values, how many came."""

    def __init__(self, model: type[models.Model], names: Any, keys: NaturalKeys) -> None:
        self.model, self.fields, self.rows = model, columns(model), 0
        # For a natural-key table: its rows in this database, by natural key, as restoring finds or adds them.
        self.known = keys.get(model, {})
        if names != [field.attname for field in self.fields]:
            raise BackupError(f"The backup's columns for {model._meta.label_lower} are not this code's.")
        self.convert = [self._converter(field, keys) for field in self.fields]
        quote = connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the models, values as parameters
            quote(model._meta.db_table),
            ", ".join(quote(field.column) for field in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )

    @staticmethod
    def _converter(field: models.Field, keys: NaturalKeys) -> Callable[[Any], Any]:
        if not (field.is_relation and field.related_model in keys):
            return field.to_python
        known, label = keys[field.related_model], field.related_model._meta.label_lower

        def by_natural_key(value: Any) -> Any:
            if value is not None and tuple(value) not in known:
                raise BackupError(f"The backup refers to {label} {value}, which it does not hold.")
            return None if value is None else known[tuple(value)]

        return by_natural_key

    def values(self, row: list[Any]) -> list[Any]:
        """The row as Python values, references to natural-key tables turned into this database's ids."""
        return [convert(value) for convert, value in zip(self.convert, row, strict=True)]

    def insert(self, rows: list[list[Any]]) -> None:
        """INSERT the rows as they are: no save(), so no signal, no new history, no auto_now timestamp."""
        params = [
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(self.fields, self.values(row), strict=True)
            ]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, params)

    def match_or_create(self, row: list[Any]) -> Any:
        """The id of this natural-key row in this database, created if it has none."""
        natural_key, *values = row
        key = tuple(natural_key)
        if key not in self.known:
            fields = dict(zip((field.attname for field in self.fields), self.values(values), strict=True))
            self.known[key] = self.model._base_manager.create(**fields).pk
        return self.known[key]


def _load(
    lines: Iterator[Any], header: dict[str, Any], known: dict[str, type[models.Model]]
) -> list[type[models.Model]]:
    """Insert the backup's rows table by table; returns the tables restored with their own ids."""
    keys: NaturalKeys = {
        model: {tuple(row.natural_key()): row.pk for row in model._base_manager.select_related()}
        for model in NATURAL_MODELS
    }
    restored: list[type[models.Model]] = []
    seen: set[type[models.Model]] = set()
    groups: list[Any] = []
    table: _Table | None = None
    batch: list[list[Any]] = []

    def flush() -> None:
        if table is not None and batch:
            table.insert(batch)
            batch.clear()

    def finish() -> None:
        flush()
        if table is not None and table.rows != header["counts"].get(table.model._meta.label_lower):
            raise BackupError(
                f"The backup's table {table.model._meta.label_lower} does not hold the rows its header counts."
            )

    for line in lines:
        if isinstance(line, list) and table is not None:
            table.rows += 1
            if table.model in NATURAL_MODELS:
                pk = table.match_or_create(line)
                if table.model is Group:
                    groups.append(pk)
            else:
                batch.append(line)
                if len(batch) >= CHUNK_SIZE:
                    flush()
        elif isinstance(line, dict) and "model" in line:
            finish()
            model = known.get(line["model"])
            if model is None or model in seen:
                raise BackupError(f"The backup holds a table this code does not restore: {line['model']}.")
            seen.add(model)
            table = _Table(model, line.get("columns"), keys)
            if model not in NATURAL_MODELS:
                restored.append(model)
            if model is GROUP_PERMISSIONS:
                # The backup's permissions for its groups replace those the roles migration gave them.
                GROUP_PERMISSIONS.objects.filter(group_id__in=groups).delete()
        elif isinstance(line, dict) and "end" in line:
            finish()
            if seen != set(known.values()) or line != {"end": {"rows": sum(header["counts"].values())}}:
                raise BackupError("The backup does not hold every table its header lists.")
            return restored
        else:
            raise BackupError("The backup holds a line that is neither a table, a row nor its end.")
    raise BackupError("The backup ends early: the file was cut short. Nothing was restored.")
