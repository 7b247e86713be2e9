"""How much each class of client may ask of the API, and who a client is.

The rates are settings (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, from the environment):

- ``anon``: anonymous clients, per address (DRF's ``AnonRateThrottle``);
- ``user`` / ``staff``: each account, at the rate of its role (``RoleRateThrottle``);
- ``write``: each account's POST, PUT, PATCH and DELETE, on top of the above (``WriteRateThrottle``);
- ``export``: /api/export/, which builds the whole dataset, per account or address (DRF's
  ``ScopedRateThrottle`` with the view's ``throttle_scope``);
- ``token_failures``: wrong tokens per address (``GuessLimitedTokenAuthentication``).

Refusals are 429 with ``Retry-After``. Addresses come from ``client_address``, which the admin's
login lock-out (django-axes) uses too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle, UserRateThrottle


def client_address(request: HttpRequest | Request) -> str:
    """The client's address: the connection's own, or with API_NUM_PROXIES trusted proxies in front,
    the one the nearest proxy saw (the rest of X-Forwarded-For is the client's to invent)."""
    return BaseThrottle().get_ident(request)


def writes_records(user: Any) -> bool:
    """Curators, editors and superusers: staff who may add records.

    Loads the user's permissions once per request; the querysets' visibility checks reuse them.
    """
    if user.is_superuser:
        return True
    return user.is_staff and any(perm.startswith("records.add_") for perm in user.get_all_permissions())


class RoleRateThrottle(UserRateThrottle):
    """Each account at its role's rate: ``staff`` for those who write records, ``user`` for the rest.

    Anonymous clients are left to ``AnonRateThrottle``.
    """

    def allow_request(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return True
        # The scope is only known per request; it also names the cache key, so roles never share one.
        self.scope = "staff" if writes_records(request.user) else "user"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class WriteRateThrottle(UserRateThrottle):
    """Each account's writes, counted apart from its reads: a runaway script cannot flood the history."""

    scope = "write"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class TokenFailureThrottle(SimpleRateThrottle):
    """Wrong tokens per address. Only failures count; a locked-out address is refused every token."""

    scope = "token_failures"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def locked_out(self, request: Request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        self.history = [moment for moment in self.history if moment > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class GuessLimitedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …``, with guessing limited per address.

    DRF authenticates before it throttles, so a wrong token is answered 401 before any throttle
    counts the request: without this, tokens could be guessed at any speed. Once an address has
    sent too many wrong tokens, every token from it is refused with 429 until the window passes
    (the right one too, so a guess cannot be confirmed).
    """

    def authenticate(self, request: Request) -> Any:
        failures = TokenFailureThrottle()
        if "authorization" in request.headers and failures.locked_out(request):
            raise Throttled(wait=failures.wait())
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            failures.record_failure()
            raise
