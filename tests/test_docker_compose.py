"""docker-compose.yml, checked as far as possible without a Docker engine."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
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


def test_web_runs_gunicorn_with_the_shared_config_and_workers_from_the_environment(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    command = " ".join(web["command"])
    assert "--config gunicorn.conf.py" in command
    assert "--workers" not in command, "the worker count comes from GUNICORN_WORKERS, through gunicorn.conf.py"
    assert web["environment"]["GUNICORN_WORKERS"] == "${GUNICORN_WORKERS:-3}"
    assert web["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"


@pytest.mark.parametrize(
    ("environment", "workers", "bind"),
    [
        ({"GUNICORN_WORKERS": "7", "GUNICORN_BIND": "0.0.0.0:8000"}, 7, "0.0.0.0:8000"),
        ({}, 2 * os.cpu_count() + 1, "127.0.0.1:8000"),  # type: ignore[operator]
    ],
)
def test_gunicorn_config_reads_workers_and_bind_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], workers: int, bind: str
) -> None:
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["bind"]) == (workers, bind)
    assert config["accesslog"] == "-"


def test_web_restarts_by_itself_and_is_health_checked_on_healthz(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert web["restart"] == "unless-stopped"
    test = web["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"], "the slim image has no curl"
    assert "http://127.0.0.1:8000/healthz" in test[-1]
    assert "127.0.0.1" in web["environment"]["ALLOWED_HOSTS"].split(","), "the check's Host must be allowed"


class _Probe(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_health_check_command_passes_on_200_and_fails_on_503(
    compose: dict[str, Any], status: int, healthy: bool
) -> None:
    """The check itself, run against a stand-in for the app on a free local port."""
    handler = type("Probe", (_Probe,), {"status": status})
    with HTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever)
        thread.start()
        try:
            test = compose["services"]["web"]["healthcheck"]["test"]
            code = test[-1].replace("127.0.0.1:8000", f"127.0.0.1:{server.server_address[1]}")
            result = subprocess.run([sys.executable, *test[2:-1], code], capture_output=True, timeout=30, check=False)
        finally:
            server.shutdown()
            thread.join()
    assert (result.returncode == 0) is healthy, result.stderr
