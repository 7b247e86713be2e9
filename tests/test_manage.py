"""manage.py as CI and a new user run it, in a fresh process with warnings as errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_migrations_check_passes_with_warnings_as_errors() -> None:
    """Loading the models must not depend on warnings being ignored (edtf's grammar raises a
    pyparsing diagnostic under -W error, which once stopped the models from loading)."""
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "bilateral_site.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-W", "error", "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
