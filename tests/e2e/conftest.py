"""Browser tests run last: they need a live server, so a transactional database that is emptied
after each of them, migration data (the roles) included. Any test after them that relies on that
data would otherwise fail for a reason unrelated to it."""

from __future__ import annotations

from typing import Any

import pytest

E2E_DIR = "tests/e2e/"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Moves this folder's tests after every other test (after pytest-django's own reordering)."""
    browser_tests = [item for item in items if E2E_DIR in item.nodeid]
    if browser_tests:
        others = [item for item in items if E2E_DIR not in item.nodeid]
        items[:] = others + browser_tests
