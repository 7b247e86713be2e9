"""Security: login lock-out, sessions and passwords, headers on every response, size limits on
request bodies and on admin imports (sizes, formats, zip bombs and XML entities)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from axes.models import AccessAttempt
from defusedxml import EntitiesForbidden
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client
from import_export.formats.base_formats import XLSX
from rest_framework.settings import api_settings

from records.models import Event
from tests.admin_forms import admin_url
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the role fixtures' password (tests/conftest.py)
HERE = "203.0.113.5"
ELSEWHERE = "198.51.100.9"
LOCKED_OUT = "Too many failed logins"


# --- Login lock-out (django-axes) ------------------------------------------------------------


def _log_in(client: Client, username: str, password: str, address: str = HERE, **headers: Any) -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def _fail(times: int, username: str = "editor", address: str = HERE, **headers: Any) -> list[int]:
    return [_log_in(Client(), username, "wrong-password", address, **headers).status_code for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_out_from_that_address_even_with_the_right_one(editor: Any) -> None:
    """The fifth failure is answered with the lock-out page; the right password then changes nothing."""
    assert _fail(5) == [200, 200, 200, 200, 429]
    client = Client()
    locked = _log_in(client, "editor", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_OUT in page
    assert "Try again in 60 minutes" in page
    assert "Kazakhstan–Uzbekistan relations database" in page
    assert "_auth_user_id" not in client.session, "a locked-out login must not start a session"


def test_another_user_from_the_same_address_is_not_locked_out(editor: Any, curator: Any) -> None:
    _fail(5, "editor")
    assert _log_in(Client(), "curator", PASSWORD).status_code == 302


def test_the_same_user_from_another_address_is_not_locked_out(editor: Any) -> None:
    """Someone guessing a curator's password cannot lock the curator out from everywhere."""
    _fail(5, "editor")
    assert _log_in(Client(), "editor", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_successful_login_before_the_limit_resets_the_count(editor: Any) -> None:
    assert _fail(4) == [200] * 4
    assert _log_in(Client(), "editor", PASSWORD).status_code == 302
    assert _fail(4) == [200] * 4, "four more failures start from zero"
    assert _log_in(Client(), "editor", PASSWORD).status_code == 302


def test_the_lock_out_ends_after_the_cool_off(editor: Any) -> None:
    _fail(5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=61))
    assert _log_in(Client(), "editor", PASSWORD).status_code == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_inventing_forwarded_for_addresses_does_not_escape_the_lock_out(
    editor: Any, monkeypatch: pytest.MonkeyPatch, proxies: int
) -> None:
    """The address is found as the API throttles find it: directly, the connection's; behind one
    proxy (API_NUM_PROXIES=1), the one that proxy appended to what the client sent."""
    monkeypatch.setattr(api_settings, "NUM_PROXIES", proxies)
    statuses = [
        _log_in(Client(), "editor", "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, {ELSEWHERE}").status_code
        for number in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == (HERE if proxies == 0 else ELSEWHERE)


# --- Sessions and passwords --------------------------------------------------------------------


def test_a_staff_session_lasts_eight_hours_at_most_and_ends_with_the_browser(editor: Any) -> None:
    client = Client()
    response = _log_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert (session_cookie["max-age"], session_cookie["expires"]) == ("", ""), "a browser-session cookie"
    assert session_cookie["samesite"] == "Lax"
    assert session_cookie["httponly"]
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_the_csrf_cookie_is_hidden_from_scripts_and_the_admin_still_accepts_its_token(editor: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    assert page.cookies["csrftoken"]["httponly"]
    token = page.context["csrf_token"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD, "next": "/admin/", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302


@pytest.fixture
def superuser_client(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD))
    return client


def _add_user(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/admin/auth/user/add/",
        {"username": username, "usable_password": "true", "password1": password, "password2": password},
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Kz-Uz-2019", "at least 12 characters"),
        ("password1234", "too common"),
        ("4815162342108", "entirely numeric"),
    ],
)
def test_the_admin_add_user_form_refuses_a_weak_password(
    superuser_client: Client, django_user_model: Any, password: str, reason: str
) -> None:
    response = _add_user(superuser_client, "new-curator", password)
    assert response.status_code == 200
    assert reason in " ".join(response.context["adminform"].form.errors["password2"])
    assert not django_user_model.objects.filter(username="new-curator").exists()


def test_the_admin_add_user_form_accepts_a_long_uncommon_password(
    superuser_client: Client, django_user_model: Any
) -> None:
    assert _add_user(superuser_client, "new-curator", "steppe-caravan-tashkent-1998").status_code == 302
    assert django_user_model.objects.get(username="new-curator").check_password("steppe-caravan-tashkent-1998")


# --- Headers on every response -----------------------------------------------------------------

DOCUMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html"),
        ("/no-such-page/", 404, "text/html"),
        ("/events/published-event/", 200, "text/html"),
        ("/api/events/", 200, "application/json"),
        ("/api/events/?format=csv", 200, "text/csv"),
        ("/api/events/no-such-event/", 404, "application/json"),
        ("/api/export/", 200, "application/zip"),
        ("/api/schema/", 200, "application/vnd.oai.openapi"),
        ("/api/docs/", 200, "text/html"),
        ("/admin/login/", 200, "text/html"),
    ],
)
def test_every_response_sends_the_security_headers(path: str, status: int, content_type: str) -> None:
    EventFactory(slug="published-event")
    response = Client().get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    for header, value in DOCUMENT_HEADERS.items():
        assert response[header] == value, header
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_static_file_is_served_with_nosniff_and_the_referrer_policy(settings: Any) -> None:
    """WhiteNoise answers before the frame and CSP middleware (a stylesheet is no document to frame
    or to script); SecurityMiddleware's headers still reach it."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    response.close()  # WhiteNoise streams the file
    for header in ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert response[header] == DOCUMENT_HEADERS[header], header


# --- Request bodies ------------------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_refused_with_413_and_creates_nothing(
    curator_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"slug": "big", "title": "x" * 2000, "type": "summit", "date": "2019"}
    response = curator_client.post("/api/events/", body, content_type="application/json")
    assert response.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    assert not Event.objects.exists()


def test_an_api_body_under_the_limit_is_accepted(curator_client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"slug": "small", "title": "A summit", "type": "summit", "date": "2019"}
    assert curator_client.post("/api/events/", body, content_type="application/json").status_code == 201


def test_an_api_form_with_too_many_fields_is_refused_with_a_json_400(curator_client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = curator_client.post(
        "/api/events/",
        "&".join(f"field-{n}=x" for n in range(100)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["non_field_errors"][0]


def test_an_admin_form_over_the_limit_is_refused_with_400(curator_client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = curator_client.post(admin_url(Event, "add"), {"title": "x" * 2000, "slug": "big"})
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_a_form_with_too_many_fields_is_refused_with_400(curator_client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = curator_client.post(admin_url(Event, "add"), {f"field-{n}": "x" for n in range(100)})
    assert response.status_code == 400


# --- Admin imports ---------------------------------------------------------------------------------

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin's import formats, in order


def _import(client: Client, name: str, content: bytes, file_format: str) -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(admin_url(Event, "import"), {"import_file": upload, "format": file_format, "resource": "0"})


def _file_errors(response: Any) -> str:
    assert response.status_code == 200
    assert not Event.objects.exists()
    return " ".join(response.context["form"].errors["import_file"])


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(xlsx: bytes, changes: dict[str, bytes]) -> bytes:
    """The same workbook with some of its parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as changed:
        for part in original.infolist():
            changed.writestr(part.filename, changes.pop(part.filename, original.read(part.filename)))
        for name, content in changes.items():
            changed.writestr(name, content)
    return out.getvalue()


def test_an_import_file_over_the_size_limit_is_refused_with_a_form_error(curator_client: Client, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    content = b"slug,title,type,date\n" + b"a-summit,A summit,summit,2019\n" * 50
    assert "an import takes at most 1000\xa0bytes" in _file_errors(
        _import(curator_client, "events.csv", content, CSV_FORMAT)
    )


@pytest.mark.parametrize(
    ("name", "content", "file_format", "reason"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", CSV_FORMAT, "not a CSV file in UTF-8"),
        ("events.csv", b"slug,title\nsummit,\x00\x00\x00\n", CSV_FORMAT, "binary data"),
        ("events.csv", b"slug,title\nsummit,Summit\n", XLSX_FORMAT, "not an XLSX file"),
        ("events.xlsx", b"PK\x03\x04" + b"\x00" * 100, XLSX_FORMAT, "not an XLSX file"),
    ],
)
def test_a_file_that_is_not_the_chosen_format_is_refused_with_a_form_error(
    curator_client: Client, name: str, content: bytes, file_format: str, reason: str
) -> None:
    assert reason in _file_errors(_import(curator_client, name, content, file_format))


def test_a_damaged_xlsx_is_refused_with_a_form_error(curator_client: Client) -> None:
    good = _xlsx([["slug", "title", "type", "date"], ["a-summit", "A summit", "summit", "2019"]])
    damaged = _rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row><c"})
    errors = _file_errors(_import(curator_client, "events.xlsx", damaged, XLSX_FORMAT))
    assert "while trying to read file" in errors


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_parsed(
    curator_client: Client, settings: Any
) -> None:
    """A zip bomb: a few kilobytes that would decompress to megabytes of XML."""
    settings.IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    good = _xlsx([["slug", "title"]])
    padding = b"<row>" + b" " * 5_000_000 + b"</row>"
    bomb = _rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>" + padding + b"</sheetData></worksheet>"})
    assert len(bomb) < 100_000
    assert "unpacks to" in _file_errors(_import(curator_client, "events.xlsx", bomb, XLSX_FORMAT))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row>
</sheetData></worksheet>"""


def test_an_xlsx_with_xml_entities_is_refused_with_a_form_error(curator_client: Client) -> None:
    bomb = _rezip(_xlsx([["slug"]]), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    assert "declares XML entities" in _file_errors(_import(curator_client, "events.xlsx", bomb, XLSX_FORMAT))


def test_the_xlsx_reader_itself_refuses_xml_entities_as_a_second_line_of_defence() -> None:
    """defusedxml is installed, so openpyxl parses worksheets with it: an entity never expands."""
    bomb = _rezip(_xlsx([["slug"]]), {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})
    with pytest.raises(Exception) as refused:  # noqa: PT011 - what matters is the cause below
        XLSX().create_dataset(bomb)
    causes = []
    error: BaseException | None = refused.value
    while error is not None:
        causes.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(cause, EntitiesForbidden) for cause in causes)


def test_a_good_xlsx_still_imports(curator_client: Client) -> None:
    content = _xlsx([["slug", "title", "type", "date"], ["a-summit", "A summit", "summit", "2019"]])
    response = _import(curator_client, "events.xlsx", content, XLSX_FORMAT)
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert not response.context["form"].errors
