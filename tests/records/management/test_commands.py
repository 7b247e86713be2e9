"""Management commands: load_seed, ensure_dev_admin, build_seed."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from records.models import Event, Source
from records.seed import CURATED_FILE, SOURCES_DIR, SeedError, build_fixture
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _call(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_load_seed_fills_an_empty_database() -> None:
    _call("load_seed", verbosity=0)
    assert Source.objects.filter(slug="cpc-border-brothers-2019").exists()
    assert Event.objects.count() > 20


def test_load_seed_leaves_a_database_with_records_alone() -> None:
    """Run on every start: a curator's edit to a seed record must survive a restart."""
    EventFactory(slug="own-event")
    output = _call("load_seed")
    assert "already holds curated records" in output
    assert not Source.objects.exists()


def test_ensure_dev_admin_creates_an_account_and_prints_its_password_once(settings: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the local admin account is made only on the embedded SQLite database")
    settings.DEBUG = True
    first = _call("ensure_dev_admin")
    password = next(line.split(":", 1)[1].strip() for line in first.splitlines() if "password:" in line)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 20
    second = _call("ensure_dev_admin")
    assert password not in second
    assert "exists" in second


def test_ensure_dev_admin_refuses_any_database_but_the_embedded_sqlite(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = True
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="only runs on the embedded SQLite"):
        _call("ensure_dev_admin")
    assert not get_user_model().objects.exists()


def test_ensure_dev_admin_refuses_without_debug(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs on the embedded SQLite"):
        _call("ensure_dev_admin")
    assert not get_user_model().objects.exists()


def test_build_seed_check_passes_on_the_committed_fixture() -> None:
    assert "up to date" in _call("build_seed", "--check")


def _curated_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = CURATED_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "seed.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_build_seed_refuses_a_quote_that_is_not_in_its_source(tmp_path: Path) -> None:
    path = _curated_copy(tmp_path, "increased by 47 percent", "increased by 57 percent")
    with pytest.raises(SeedError, match="quote not in cpc-border-brothers-2019") as raised:
        build_fixture(path, SOURCES_DIR)
    assert "closest passage" in str(raised.value)


def test_build_seed_refuses_an_invalid_date(tmp_path: Path) -> None:
    path = _curated_copy(tmp_path, 'date: "2017-03"', 'date: "March 2017"')
    with pytest.raises(SeedError, match="not a valid EDTF date"):
        build_fixture(path, SOURCES_DIR)


def test_build_seed_refuses_a_record_without_citations(tmp_path: Path) -> None:
    path = _curated_copy(
        tmp_path,
        "events:\n",
        "events:\n  - {slug: uncited, title: Uncited, type: summit, date: '2019'}\n",
    )
    with pytest.raises(SeedError, match="event uncited: has no citation"):
        build_fixture(path, SOURCES_DIR)


def test_build_seed_refuses_a_reference_to_an_unknown_place(tmp_path: Path) -> None:
    path = _curated_copy(tmp_path, "places: [astana]\n", "places: [atlantis]\n")
    with pytest.raises(SeedError, match="unknown place 'atlantis'"):
        build_fixture(path, SOURCES_DIR)


def test_load_seed_gives_every_seed_record_a_first_version_to_return_to() -> None:
    _call("load_seed", verbosity=0)
    event = Event.objects.get(slug="demarcation-commission-2019-07")
    assert {entry.history_change_reason for entry in event.history.all()} == {"Loaded from the seed data"}
    source = Source.objects.get(slug="cpc-border-brothers-2019")
    assert source.history.get().history_change_reason == "Loaded from the seed data"
