"""Shared test set-up: fast hashing, plain static files, factories and the seed data on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs `collectstatic`; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed(db: None) -> None:
    """The curated seed data, loaded exactly as `make run` loads it."""
    call_command("load_seed", verbosity=0)


def _staff_in(django_user_model: Any, username: str, role: str) -> Any:
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "a-long-test-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(django_user_model: Any) -> Any:
    """A staff member in the Editor group (publishes and withdraws)."""
    return _staff_in(django_user_model, "editor", "Editor")


@pytest.fixture
def curator(django_user_model: Any) -> Any:
    """A staff member in the Curator group (adds, changes, submits; cannot publish)."""
    return _staff_in(django_user_model, "curator", "Curator")


@pytest.fixture
def viewer(django_user_model: Any) -> Any:
    """A staff member in the Viewer group (reads the admin, changes nothing)."""
    return _staff_in(django_user_model, "viewer", "Viewer")


@pytest.fixture
def editor_client(editor: Any) -> Client:
    """A browser logged in as the editor; each role has its own, so a test can use several."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def curator_client(curator: Any) -> Client:
    """A browser logged in as the curator; each role has its own, so a test can use several."""
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def viewer_client(viewer: Any) -> Client:
    """A browser logged in as the viewer; each role has its own, so a test can use several."""
    client = Client()
    client.force_login(viewer)
    return client
