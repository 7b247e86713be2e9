"""Throttling: anonymous clients share a small budget per address, each account has its own at
its role's rate, writes and the export have budgets of their own, and wrong tokens are limited.

The test run sets both rates very high (pyproject.toml), and DRF copies the rates onto its
throttle classes when it is imported, so these tests lower them on the classes themselves (and in
the settings, for anything that reads them there) and freeze the throttles' clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_BUDGET = 3
USER_BUDGET = 5
STAFF_BUDGET = 7
WRITE_BUDGET = 2
EXPORT_BUDGET = 2
TOKEN_FAILURE_BUDGET = 3
WINDOW = 60  # seconds: the rates are per minute


class Clock:
    """The throttles' clock, moved by hand so a test never waits and never races the minute."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self, throttle: Any = None) -> float:
        return self.now


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    rates = {
        "anon": f"{ANONYMOUS_BUDGET}/minute",
        "user": f"{USER_BUDGET}/minute",
        "staff": f"{STAFF_BUDGET}/minute",
        "write": f"{WRITE_BUDGET}/minute",
        "export": f"{EXPORT_BUDGET}/minute",
        "token_failures": f"{TOKEN_FAILURE_BUDGET}/minute",
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    frozen = Clock()
    monkeypatch.setattr(SimpleRateThrottle, "timer", frozen)
    cache.clear()  # the throttles keep their history in the cache
    EventFactory(slug="an-event")
    yield frozen
    cache.clear()


def _spend(client: Client, times: int, path: str = "/api/events/", **headers: Any) -> list[int]:
    return [client.get(path, **headers).status_code for _ in range(times)]


def test_an_anonymous_client_gets_a_429_with_retry_after_once_its_budget_is_spent(client: Client, clock: Clock) -> None:
    assert _spend(client, ANONYMOUS_BUDGET) == [200] * ANONYMOUS_BUDGET
    refused = client.get("/api/events/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(WINDOW)
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"]


def test_the_anonymous_budget_covers_every_endpoint(client: Client, clock: Clock) -> None:
    """Spending it on one list leaves nothing for a detail, another list or the export."""
    assert _spend(client, ANONYMOUS_BUDGET) == [200] * ANONYMOUS_BUDGET
    for path in ("/api/events/an-event/", "/api/sources/", "/api/", "/api/changes/", "/api/export/"):
        assert client.get(path).status_code == 429, path


def test_an_anonymous_client_is_served_again_once_the_window_has_passed(client: Client, clock: Clock) -> None:
    assert _spend(client, ANONYMOUS_BUDGET + 1) == [200] * ANONYMOUS_BUDGET + [429]
    clock.now += WINDOW - 1
    refused = client.get("/api/events/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= WINDOW
    clock.now += 2
    assert client.get("/api/events/").status_code == 200


def test_another_address_has_its_own_anonymous_budget(client: Client, clock: Clock) -> None:
    assert _spend(client, ANONYMOUS_BUDGET + 1) == [200] * ANONYMOUS_BUDGET + [429]
    assert client.get("/api/events/", REMOTE_ADDR="198.51.100.20").status_code == 200


def test_a_signed_in_user_has_a_budget_of_its_own(client: Client, editor_client: Client, clock: Clock) -> None:
    """Anonymous clients spending theirs (from the same address) take nothing from the editor's."""
    assert _spend(client, ANONYMOUS_BUDGET + 1) == [200] * ANONYMOUS_BUDGET + [429]
    assert _spend(editor_client, STAFF_BUDGET) == [200] * STAFF_BUDGET
    refused = editor_client.get("/api/events/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(WINDOW)
    assert "throttled" in refused.json()["detail"]
    assert client.get("/api/events/").status_code == 429  # and the anonymous budget is still spent


def test_each_account_has_its_own_budget_however_it_signs_in(
    editor_client: Client, curator_client: Client, editor: Any, clock: Clock
) -> None:
    """The editor's session and token share one budget; the curator's is untouched by either."""
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert _spend(editor_client, STAFF_BUDGET - 1) == [200] * (STAFF_BUDGET - 1)
    assert _spend(token_client, 2) == [200, 429]
    assert editor_client.get("/api/events/").status_code == 429
    assert _spend(curator_client, STAFF_BUDGET) == [200] * STAFF_BUDGET


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_client_cannot_escape_its_budget_by_inventing_forwarded_for_addresses(
    client: Client, clock: Clock, monkeypatch: pytest.MonkeyPatch, proxies: int
) -> None:
    """Directly (no proxy), the connection's address counts; behind one TLS proxy (API_NUM_PROXIES=1),
    the address that proxy appended to whatever X-Forwarded-For the client sent."""
    monkeypatch.setattr(api_settings, "NUM_PROXIES", proxies)
    statuses = [
        client.get("/api/events/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.7").status_code
        for number in range(ANONYMOUS_BUDGET + 1)
    ]
    assert statuses == [200] * ANONYMOUS_BUDGET + [429]


@pytest.mark.parametrize(
    ("role", "budget"),
    [("viewer", USER_BUDGET), ("curator", STAFF_BUDGET), ("editor", STAFF_BUDGET), ("superuser", STAFF_BUDGET)],
)
def test_each_account_is_throttled_at_the_rate_of_its_role(
    role: str, budget: int, django_user_model: Any, request: pytest.FixtureRequest, clock: Clock
) -> None:
    """Viewers (who only read) get the user rate; those who write records get the staff rate."""
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    else:
        user = request.getfixturevalue(role)
    signed_in = Client()
    signed_in.force_login(user)
    assert _spend(signed_in, budget + 1) == [200] * budget + [429]


def test_an_account_without_staff_status_gets_the_user_rate_through_its_token(
    django_user_model: Any, clock: Clock
) -> None:
    user = django_user_model.objects.create_user("reader", "reader@example.org", "a-long-test-password")
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert _spend(token_client, USER_BUDGET + 1) == [200] * USER_BUDGET + [429]


def _create(client: Client, slug: str) -> int:
    body = {"slug": slug, "title": f"Event {slug}", "type": "summit", "date": "2019"}
    return client.post("/api/events/", body, content_type="application/json").status_code


def test_writes_have_a_smaller_budget_of_their_own_that_leaves_reading_open(
    curator_client: Client, clock: Clock
) -> None:
    """A runaway script is stopped at WRITE_BUDGET writes a minute; the account can still read."""
    statuses = [_create(curator_client, f"event-{number}") for number in range(WRITE_BUDGET + 1)]
    assert statuses == [201] * WRITE_BUDGET + [429]
    assert curator_client.get("/api/events/").status_code == 200


def test_the_export_has_a_smaller_budget_of_its_own(client: Client, viewer_client: Client, clock: Clock) -> None:
    """Each client (an address, or an account) gets EXPORT_BUDGET downloads; lists stay open."""
    assert _spend(client, EXPORT_BUDGET + 1, "/api/export/") == [200] * EXPORT_BUDGET + [429]
    assert _spend(viewer_client, EXPORT_BUDGET + 1, "/api/export/") == [200] * EXPORT_BUDGET + [429]
    assert viewer_client.get("/api/events/").status_code == 200


def test_wrong_tokens_lock_out_the_address_even_for_the_right_token_until_the_window_passes(
    editor: Any, clock: Clock
) -> None:
    """DRF answers a wrong token before any throttle counts it, so wrong tokens have their own limit."""
    right = f"Token {Token.objects.create(user=editor).key}"
    guesses = [
        APIClient().get("/api/events/", HTTP_AUTHORIZATION=f"Token {'0' * 39}{number}").status_code
        for number in range(TOKEN_FAILURE_BUDGET)
    ]
    assert guesses == [403] * TOKEN_FAILURE_BUDGET
    refused = APIClient().get("/api/events/", HTTP_AUTHORIZATION=right)
    assert refused.status_code == 429, "a right guess must not be told apart from a wrong one"
    assert refused["Retry-After"] == str(WINDOW)
    assert APIClient().get("/api/events/", HTTP_AUTHORIZATION=right, REMOTE_ADDR="198.51.100.20").status_code == 200
    assert APIClient().get("/api/events/").status_code == 200, "without a token, the anonymous budget applies"
    clock.now += WINDOW + 1
    assert APIClient().get("/api/events/", HTTP_AUTHORIZATION=right).status_code == 200


def test_right_tokens_do_not_count_as_failures(editor: Any, clock: Clock) -> None:
    right = f"Token {Token.objects.create(user=editor).key}"
    statuses = [
        APIClient().get("/api/events/", HTTP_AUTHORIZATION=right).status_code for _ in range(TOKEN_FAILURE_BUDGET + 1)
    ]
    assert statuses == [200] * (TOKEN_FAILURE_BUDGET + 1)
