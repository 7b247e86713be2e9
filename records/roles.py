"""The three roles curators work in, as Django groups with their permissions.

- Curator: adds, changes and deletes records and submits them for review; cannot publish.
- Editor: everything a curator does, plus publish and withdraw (the ``publish_<model>`` permissions).
- Viewer: reads everything in the admin, changes nothing.

Give a person a role by adding them to the group and ticking "staff status". The groups are
created by a migration; when a model is added, a new migration calls ``sync_roles`` again.
"""

from __future__ import annotations

from typing import Any

CURATOR = "Curator"
EDITOR = "Editor"
VIEWER = "Viewer"

# Historical (history) tables are read through their record's own permissions.
_SKIPPED_PREFIX = "historical"


def _codenames(apps: Any) -> dict[str, list[str]]:
    records = apps.get_app_config("records")
    view, edit, publish = [], [], []
    for model in records.get_models():
        name = model._meta.model_name
        if name.startswith(_SKIPPED_PREFIX):
            continue
        view.append(f"view_{name}")
        edit += [f"add_{name}", f"change_{name}", f"delete_{name}"]
        publish += [codename for codename, _ in model._meta.permissions if codename.startswith("publish_")]
    return {VIEWER: view, CURATOR: view + edit, EDITOR: view + edit + publish}


def sync_roles(apps: Any) -> None:
    """Create the groups and give each exactly its permissions (idempotent)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in _codenames(apps).items():
        group, _ = group_model.objects.get_or_create(name=role)
        permissions = permission_model.objects.filter(content_type__app_label="records", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for the {role} role: {sorted(missing)}")
        group.permissions.set(permissions)
