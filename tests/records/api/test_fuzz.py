"""A wider schemathesis run than test_schema.py's: invalid input too, and writes with a token.

Bounded (a few examples per operation, derandomized) so it stays under ~90 s per database; marked
slow, and CI runs it with the whole suite on SQLite and PostgreSQL. The only check is the one that
matters for hostile input: whatever is sent, the answer is never a 5xx.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from bilateral_site.wsgi import application
from records.models import PublicationStatus
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    EventFactory,
    ObservationFactory,
    SourceWithTextFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Negative mode breaks the schema on purpose (wrong types, missing fields, out-of-range values).
schema.config.generation.update(modes=[GenerationMode.NEGATIVE, GenerationMode.POSITIVE])


@pytest.fixture
def token(wsgi_keeps_the_test_connection: None, editor: Any) -> str:
    """A few published records (factories: loading the seed for each of ~70 operations would
    take minutes) and an editor's token."""
    source = SourceWithTextFactory(status=PublicationStatus.PUBLISHED)
    event = EventFactory(status=PublicationStatus.PUBLISHED)
    CitationFactory(source=source, event=event)
    AgreementFactory(status=PublicationStatus.PUBLISHED)
    ObservationFactory(status=PublicationStatus.PUBLISHED)
    return Token.objects.create(user=editor).key


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_valid_and_invalid_requests_with_an_editors_token_get_no_5xx(case: Any, token: str) -> None:
    """Writes reach validation (an editor may write; ``If-Match: *`` passes the precondition)."""
    case.call_and_validate(
        headers={"Authorization": f"Token {token}", "If-Match": "*"},
        checks=[not_a_server_error],
    )
