"""Settings come from the environment, with safe defaults; each case runs in a clean process."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a process that sees only ``env`` (plus PATH), as a fresh server would."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = _run(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_check_deploy_with_no_warning() -> None:
    """DEBUG off (the default) and a real secret key: `check --deploy` reports nothing."""
    result = _run({"SECRET_KEY": secrets.token_urlsafe(50)}, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_and_debug_off_the_app_refuses_to_start() -> None:
    result = _run({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set_and_https_is_enforced_by_default() -> None:
    values = _settings(
        {"SECRET_KEY": secrets.token_urlsafe(50)},
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
    }


def test_development_mode_gets_a_throwaway_key_and_plain_http() -> None:
    values = _settings({"DEBUG": "true"}, "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT")
    assert values["DEBUG"] is True
    assert str(values["SECRET_KEY"]).startswith("django-insecure-")
    assert values["SECURE_SSL_REDIRECT"] is False


def test_sqlite_file_under_the_project_when_no_database_url_is_set() -> None:
    values = _settings({"DEBUG": "true"}, "DATABASES")
    database = values["DATABASES"]["default"]  # type: ignore[index]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == ROOT / "db.sqlite3"


def test_a_postgres_database_url_selects_postgresql() -> None:
    values = _settings({"DEBUG": "true", "DATABASE_URL": "postgres://user:pw@db.example:5433/records"}, "DATABASES")
    database = values["DATABASES"]["default"]  # type: ignore[index]
    assert (database["ENGINE"], database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "django.db.backends.postgresql",
        "db.example",
        5433,
        "records",
        "user",
    )


def test_allowed_hosts_come_from_the_environment() -> None:
    values = _settings(
        {"DEBUG": "true", "ALLOWED_HOSTS": "relations.example.org,www.relations.example.org"}, "ALLOWED_HOSTS"
    )
    assert values["ALLOWED_HOSTS"] == ["relations.example.org", "www.relations.example.org"]
