"""Reading /api/changes/ whole, as a syncing client does."""

from __future__ import annotations

from typing import Any


def changes_feed(client: Any, **params: Any) -> list[tuple[str, str, str]]:
    """Every entry of /api/changes/ for ``params``, following the pages: (type, id, action)."""
    response = client.get("/api/changes/", params)
    entries = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        entries += [(entry["type"], entry["id"], entry["action"]) for entry in body["results"]]
        if not body["next"]:
            return entries
        response = client.get(body["next"])
