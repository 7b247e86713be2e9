"""docker-compose.yml, checked as far as possible without a Docker engine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_a_database_and_the_web_app(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"db", "web"}


def test_database_keeps_its_data_on_a_named_volume_and_has_a_health_check(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    volume, _, mount = db["volumes"][0].partition(":")
    assert volume in compose["volumes"]
    assert mount == "/var/lib/postgresql/data"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_web_waits_for_a_healthy_database_and_points_database_url_at_it(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    url = web["environment"]["DATABASE_URL"]
    match = re.match(r"^postgres://(?P<user>[^:]+):[^@]+@(?P<host>[^:/]+):5432/(?P<name>\w+)$", url)
    assert match, url
    db_env = compose["services"]["db"]["environment"]
    assert (match["user"], match["host"], match["name"]) == (db_env["POSTGRES_USER"], "db", db_env["POSTGRES_DB"])


def test_web_migrates_loads_the_seed_and_serves_with_gunicorn(compose: dict[str, Any]) -> None:
    command = " ".join(compose["services"]["web"]["command"])
    migrate, seed, serve = (command.index(part) for part in ("migrate", "load_seed", "gunicorn"))
    assert migrate < seed < serve
    assert "bilateral_site.wsgi" in command


def test_web_requires_a_secret_key_and_never_runs_in_debug(compose: dict[str, Any]) -> None:
    environment = compose["services"]["web"]["environment"]
    assert ":?" in environment["SECRET_KEY"], "a missing SECRET_KEY must stop `docker compose up`"
    assert "DEBUG" not in environment


def test_the_image_collects_static_files_for_whitenoise() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER \w+", dockerfile, re.MULTILINE), "the app must not run as root"
