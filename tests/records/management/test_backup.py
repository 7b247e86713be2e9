"""manage.py backup and restore: the round trip is exact, refusals are clear, a backup is one snapshot."""

from __future__ import annotations

import datetime
import errno
import gzip
import json
import re
import threading
from collections.abc import Callable, Iterator
from io import BytesIO, StringIO, TextIOWrapper
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from records import backups, search, services
from records.models import Agreement, Event, PublicationStatus, Topic
from records.roles import sync_roles
from tests.admin_forms import admin_url, form_data
from tests.factories import CitationFactory, EventFactory, TopicFactory

# Not in a backup: logins in progress, django-axes' lock-outs, and API tokens (plain-text credentials).
NOT_BACKED_UP_APPS = {"sessions", "axes"}
NOT_BACKED_UP = {"authtoken.token"}
# Rows every migrated database makes for itself: compared by natural key, not by id.
BY_NATURAL_KEY = (ContentType, Permission, Group, Group.permissions.through)


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _backup(directory: Path) -> Path:
    _call("backup", str(directory))
    (path,) = directory.glob("bilateral-backup-*.json.gz")
    return path


def _lines(path: Path) -> list[Any]:
    with gzip.open(path, "rt", encoding="utf-8") as text:
        return [json.loads(line) for line in text]


def _write_lines(path: Path, lines: list[Any]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as text:
        text.writelines(json.dumps(line) + "\n" for line in lines)


def _tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table in the backup at ``path``, as column → value."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for line in _lines(path)[1:-1]:
        if isinstance(line, dict):
            label, names = line["model"], line["columns"]
            tables[label] = []
        else:
            tables[label].append(dict(zip(names, line[-len(names) :], strict=True)))
    return tables


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table a backup covers, field by field, in a form two databases can share.

    Ids are compared as stored, except for content types, permissions and groups (and references to
    them), which each database numbers itself: those are compared by natural key.
    """
    natural = {
        model: {row.pk: row.natural_key() for row in model._base_manager.select_related()}
        for model in BY_NATURAL_KEY[:3]
    }
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.proxy or model._meta.app_label in NOT_BACKED_UP_APPS or label in NOT_BACKED_UP:
            continue
        fields = [f for f in model._meta.local_concrete_fields if not (model in BY_NATURAL_KEY and f.primary_key)]
        rows = model._base_manager.values_list(*(field.attname for field in fields))
        tables[label] = sorted(
            (
                tuple(
                    natural[field.related_model][value] if field.related_model in natural and value else value
                    for field, value in zip(fields, row, strict=True)
                )
                for row in rows
            ),
            key=repr,
        )
    return tables


def _empty_database() -> None:
    """What a new server has before a restore: migrated, with the role groups and nothing else."""
    # PostgreSQL refuses to TRUNCATE tables with foreign-key checks still pending in this transaction.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    sync_roles(apps)


@pytest.fixture(autouse=True)
def _fresh_content_type_cache() -> Iterator[None]:
    # Emptying the database renumbers content types; the rollback after the test numbers them back.
    yield
    ContentType.objects.clear_cache()


def _edit_through_the_admin(client: Client, event: Event, **changes: Any) -> None:
    url = admin_url(Event, "change", event.pk)
    data = form_data(client.get(url))
    data.update(changes)
    assert client.post(url, data).status_code == 302


def _history_of_several_kinds(editor: Any, curator: Any, editor_client: Client) -> None:
    """Edits as curators make them, each leaving its history: who, what, when."""
    published = list(Event.objects.published().order_by("pk")[:2])
    _edit_through_the_admin(editor_client, published[0], title="A corrected title", places=[])
    services.withdraw(records=[published[1]], by=editor)
    deleted = Agreement.objects.order_by("-pk")[0]
    assert editor_client.post(admin_url(Agreement, "delete", deleted.pk), {"post": "yes"}).status_code == 302
    assert not Agreement.objects.filter(pk=deleted.pk).exists()
    draft = EventFactory.build(status=PublicationStatus.DRAFT, title="A new draft about the forum", updated_by=curator)
    draft._history_user = curator
    draft.save()
    draft.topics.add(Topic.objects.first())
    translators = Group.objects.create(name="Translators")
    translators.permissions.add(Permission.objects.get(codename="view_event"))
    curator.groups.add(translators)
    curator.user_permissions.add(Permission.objects.get(codename="view_source"))
    Token.objects.create(user=editor)


@pytest.mark.django_db
def test_a_restored_backup_holds_every_row_of_every_table_as_it_was(
    seed: None, editor: Any, curator: Any, editor_client: Client, tmp_path: Path
) -> None:
    """Seed plus edits → backup → empty database → restore: every row of every model is identical."""
    _history_of_several_kinds(editor, curator, editor_client)
    before = every_row()
    made = {*Event.history.values_list("history_type", "history_user__username", "history_change_reason")}
    made |= {*Agreement.history.values_list("history_type", "history_user__username", "history_change_reason")}
    assert {("~", "editor", None), ("~", "editor", "Withdrawn to draft"), ("-", "editor", None)} <= made
    assert ("+", "curator", None) in made
    linked = ("admin.logentry", "auth.user_groups", "auth.user_user_permissions", "records.historicalevent_topics")
    assert all(before[label] for label in linked)
    found = sorted(search.matching(Event.objects.all(), "forum").values_list("pk", flat=True))
    path = _backup(tmp_path)

    _empty_database()
    assert not Event.objects.exists()
    assert not get_user_model().objects.exists()
    output = _call("restore", str(path))

    after = every_row()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after the restore"
    assert found
    assert sorted(search.matching(Event.objects.all(), "forum").values_list("pk", flat=True)) == found
    assert not Token.objects.exists()
    assert "drf_create_token" in output


@pytest.mark.django_db
def test_new_rows_after_a_restore_get_fresh_ids(seed: None, tmp_path: Path) -> None:
    path = _backup(tmp_path)
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True)[0]
    last_history = Event.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    _empty_database()
    _call("restore", str(path))

    event = EventFactory()

    assert event.pk > last_event
    assert event.history.get().history_id > last_history


@pytest.mark.django_db
def test_a_backup_into_a_directory_is_named_by_its_time_and_readable_by_its_owner_only(
    seed: None, tmp_path: Path
) -> None:
    output = _call("backup", str(tmp_path))

    (path,) = tmp_path.iterdir()
    match = re.fullmatch(r"bilateral-backup-(\d{8}T\d{6}Z)\.json\.gz", path.name)
    assert match
    created_at = datetime.datetime.fromisoformat(_lines(path)[0]["created_at"])
    assert created_at.utcoffset() == datetime.timedelta(0)
    assert match.group(1) == created_at.strftime("%Y%m%dT%H%M%SZ")
    assert path.stat().st_mode & 0o777 == 0o600
    assert str(path) in output


@pytest.mark.django_db
def test_a_backup_to_a_file_name_uses_that_name(tmp_path: Path) -> None:
    _call("backup", str(tmp_path / "nightly.json.gz"))
    assert [path.name for path in tmp_path.iterdir()] == ["nightly.json.gz"]


@pytest.mark.django_db
def test_a_backup_into_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no directory"):
        _call("backup", str(tmp_path / "missing" / "nightly.json.gz"))


@pytest.mark.django_db
def test_a_backup_that_fails_half_way_leaves_no_file(
    seed: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump_model = backups._dump_model
    written: list[str] = []

    def fill_the_disk(out: Any, model: Any, natural_keys: Any) -> None:
        if len(written) == 10:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(model._meta.label_lower)
        dump_model(out, model, natural_keys)

    monkeypatch.setattr(backups, "_dump_model", fill_the_disk)
    with pytest.raises(CommandError, match="No space left on device"):
        _call("backup", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_the_header_names_format_migrations_database_and_row_counts(seed: None, tmp_path: Path) -> None:
    path = _backup(tmp_path)
    header, *_, end = _lines(path)
    tables = _tables(path)

    assert (header["format"], header["version"], header["database"]) == ("bilateral-backup", 1, connection.vendor)
    latest = dict(MigrationLoader(None).graph.leaf_nodes())
    assert header["migrations"] == latest
    assert header["counts"] == {label: len(rows) for label, rows in tables.items()}
    assert header["counts"]["records.event"] == Event.objects.count()
    assert header["counts"]["records.historicalevent"] == Event.history.count()
    assert end == {"end": {"rows": sum(header["counts"].values())}}
    assert set(header["left_out"]) == {"sessions", "axes", "authtoken.token"}


@pytest.mark.django_db
def test_a_backup_leaves_out_api_tokens_and_sessions(editor: Any, editor_client: Client, tmp_path: Path) -> None:
    """Tokens are live credentials in plain text; sessions are logins in progress."""
    token = Token.objects.create(user=editor)
    path = _backup(tmp_path)

    tables = _tables(path)
    assert "authtoken.token" not in tables
    assert "sessions.session" not in tables
    assert token.key not in gzip.decompress(path.read_bytes()).decode()
    assert [user["username"] for user in tables["auth.user"]] == ["editor"]


@pytest.mark.django_db
def test_a_backup_reads_each_table_once_whatever_its_size(seed: None, tmp_path: Path) -> None:
    with CaptureQueriesContext(connection) as small:
        _call("backup", str(tmp_path / "small.json.gz"))
    CitationFactory.create_batch(40)
    with CaptureQueriesContext(connection) as large:
        _call("backup", str(tmp_path / "large.json.gz"))

    sizes = [len(_tables(tmp_path / name)["records.event"]) for name in ("small.json.gz", "large.json.gz")]
    assert sizes[1] > sizes[0]
    assert len(large) == len(small)
    # A count and a read per table, the natural keys of three, and the migration check.
    assert len(small) <= 2 * len(backups.backed_up_models()) + 3 + 10


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(seed: None, tmp_path: Path) -> None:
    path = _backup(tmp_path)
    before = every_row()

    with pytest.raises(CommandError, match=r"not empty \(records\.historicalcountry: 8 rows, .* and \d+ more tables\)"):
        _call("restore", str(path))
    assert every_row() == before


@pytest.mark.django_db
def test_restore_refuses_a_backup_made_at_other_migrations(tmp_path: Path) -> None:
    path = _backup(tmp_path)
    lines = _lines(path)
    current = lines[0]["migrations"]["records"]
    lines[0]["migrations"]["records"] = "0099_from_the_future"
    _write_lines(path, lines)

    with pytest.raises(CommandError, match=f"records: the backup is at 0099_from_the_future, this code at {current}"):
        _call("restore", str(path))


def _cut_in_the_middle(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _drop_the_last_lines(path: Path) -> None:
    _write_lines(path, _lines(path)[:-3])


def _drop_one_event(path: Path) -> None:
    lines = _lines(path)
    start = lines.index(next(line for line in lines if isinstance(line, dict) and line.get("model") == "records.event"))
    del lines[start + 1]
    _write_lines(path, lines)


def _shorten_an_event(path: Path) -> None:
    lines = _lines(path)
    start = lines.index(next(line for line in lines if isinstance(line, dict) and line.get("model") == "records.event"))
    lines[start + 1] = lines[start + 1][:-1]
    _write_lines(path, lines)


def _garble_a_date(path: Path) -> None:
    lines = _lines(path)
    start = lines.index(next(line for line in lines if isinstance(line, dict) and line.get("model") == "records.event"))
    column = lines[start]["columns"].index("created_at")
    lines[start + 1][column] = "not a time"
    _write_lines(path, lines)


def _from_a_newer_version(path: Path) -> None:
    lines = _lines(path)
    lines[0]["version"] = 2
    _write_lines(path, lines)


def _not_gzip(path: Path) -> None:
    path.write_text("this is not a backup")


def _not_json(path: Path) -> None:
    path.write_bytes(gzip.compress(b"this is not JSON\n"))


def _other_json(path: Path) -> None:
    path.write_bytes(gzip.compress(b'{"hello": "world"}\n'))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_cut_in_the_middle, "not a complete, valid backup"),
        (_flip_a_byte, "not a complete, valid backup"),
        (_drop_the_last_lines, "ends early"),
        (_drop_one_event, "does not hold the rows its header counts"),
        (_shorten_an_event, "not a complete, valid backup"),
        (_garble_a_date, "not a complete, valid backup"),
        (_from_a_newer_version, "format version 2; this code reads 1"),
        (_not_gzip, "not a complete, valid backup"),
        (_not_json, "not a complete, valid backup"),
        (_other_json, "not a backup made by `manage.py backup`"),
    ],
)
def test_restore_refuses_a_damaged_file_and_changes_nothing(
    editor: Any, tmp_path: Path, damage: Callable[[Path], None], message: str
) -> None:
    """Rows already inserted from the good part of the file are rolled back with the rest."""
    CitationFactory.create_batch(5, event__updated_by=editor)
    path = _backup(tmp_path)
    _empty_database()
    empty = every_row()
    damage(path)

    with pytest.raises(CommandError, match=re.escape(message)):
        _call("restore", str(path))
    assert every_row() == empty


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no backup file at"):
        _call("restore", str(tmp_path / "missing.json.gz"))


def _on_its_own_connection(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread, on a connection of its own outside the test's transaction: it commits."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.mark.django_db
def test_a_backup_taken_while_another_connection_writes_shows_one_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes committed by another connection during the dump are in none of its tables.

    The backup and the writer each run on a connection of their own, outside the test's transaction,
    so the backup opens its real transaction (REPEATABLE READ) and the writer really commits; what
    the test commits is removed at the end. SQLite is left out: its in-memory test database is shared
    between connections with table locks, not snapshots, so no second writer can run during a dump.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs a second connection writing during the dump: PostgreSQL only")
    slugs = ["backup-kept", "backup-leaving", "backup-arriving"]
    dump_model = backups._dump_model

    def write() -> None:
        Topic.objects.filter(slug="backup-kept").update(name="Renamed during the backup")
        TopicFactory(slug="backup-arriving", name="Arrived during the backup")
        Topic.objects.get(slug="backup-leaving").delete()

    def dump_after_a_concurrent_write(out: Any, model: Any, natural_keys: Any) -> None:
        if model is backups.backed_up_models()[0]:
            _on_its_own_connection(write)
        dump_model(out, model, natural_keys)

    def back_up() -> tuple[Path, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            path = _backup(tmp_path)
        return path, [query["sql"] for query in queries]

    def clean_up() -> None:
        Topic.objects.filter(slug__in=slugs).delete()
        Topic.history.filter(slug__in=slugs).delete()

    monkeypatch.setattr(backups, "_dump_model", dump_after_a_concurrent_write)
    _on_its_own_connection(lambda: [TopicFactory(slug=slug, name=slug.title()) for slug in slugs[:2]])
    try:
        path, statements = _on_its_own_connection(back_up)
        now = _on_its_own_connection(
            lambda: sorted(Topic.objects.filter(slug__in=slugs).values_list("name", flat=True))
        )
    finally:
        _on_its_own_connection(clean_up)

    assert now == ["Arrived during the backup", "Renamed during the backup"]
    begin = statements.index("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    assert "COUNT(*)" in statements[begin + 1], "the snapshot is taken before the first table is read"
    header, tables = _lines(path)[0], _tables(path)
    topics = {row["slug"]: row["name"] for row in tables["records.topic"] if row["slug"] in slugs}
    assert topics == {"backup-kept": "Backup-Kept", "backup-leaving": "Backup-Leaving"}
    history = [(row["slug"], row["history_type"]) for row in tables["records.historicaltopic"] if row["slug"] in slugs]
    assert sorted(history) == [("backup-kept", "+"), ("backup-leaving", "+")]
    assert header["counts"]["records.topic"] == len(tables["records.topic"])
    assert header["counts"]["records.historicaltopic"] == len(tables["records.historicaltopic"])


@pytest.mark.django_db
def test_a_backup_reads_in_one_transaction_that_makes_no_writer_wait(tmp_path: Path) -> None:
    """The settings start SQLite transactions IMMEDIATE (the write lock); a backup's is DEFERRED."""

    def back_up() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            _backup(tmp_path)
        return [query["sql"] for query in queries]

    statements = _on_its_own_connection(back_up)

    begin = {"sqlite": "BEGIN DEFERRED", "postgresql": "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"}
    first = statements.index(begin[connection.vendor])
    assert "COUNT(*)" in statements[first + 1]
    assert not any(statement.startswith(("INSERT", "UPDATE", "DELETE")) for statement in statements)


@pytest.mark.django_db
def test_restore_reads_a_backup_from_standard_input(
    editor: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `docker compose run -T web python manage.py restore - < backup.json.gz` sends it."""
    CitationFactory(event__updated_by=editor)
    path = _backup(tmp_path)
    before = every_row()
    _empty_database()
    monkeypatch.setattr("sys.stdin", TextIOWrapper(BytesIO(path.read_bytes())))

    _call("restore", "-")

    assert every_row() == before
