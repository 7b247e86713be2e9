"""Project settings, all read from the environment in this one module.

Defaults are safe for production: DEBUG is off, a SECRET_KEY must be given, cookies are
secure and HTTPS is enforced. A development machine sets DEBUG=true (``make run`` does)
and gets an embedded SQLite database and a throwaway key. Variables:

DEBUG, SECRET_KEY, ALLOWED_HOSTS (comma-separated), CSRF_TRUSTED_ORIGINS,
DATABASE_URL (``postgres://user:pass@host:5432/name``; SQLite under the project when unset),
HTTPS, SECURE_HSTS_SECONDS, CONN_MAX_AGE, TIME_ZONE, LOG_LEVEL,
API_THROTTLE_ANON, API_THROTTLE_USER (e.g. 120/minute).
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Core --------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local development."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY

# Loopback only unless told otherwise: a public deployment must name its host.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "bilateral_site.urls"
WSGI_APPLICATION = "bilateral_site.wsgi.application"
ASGI_APPLICATION = "bilateral_site.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications --------------------------------------------------------------------------

INSTALLED_APPS = [
    "records.apps.RecordsAdminConfig",  # django.contrib.admin with the records' own admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",  # registers django-csp's checks of CONTENT_SECURITY_POLICY
    "records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (see "Content Security Policy" below).
    "csp.middleware.CSPMiddleware",
    # Records who made each change in the history of every curated record.
    "simple_history.middleware.HistoryRequestMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reuse connections across requests; health checks drop one that the server closed.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Authentication ------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed files that WhiteNoise serves with far-future cache headers;
    # needs `collectstatic` before serving with DEBUG off.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security ------------------------------------------------------------------------------
# HTTPS: the site is served over HTTPS, normally behind a TLS-terminating proxy that sets
# X-Forwarded-Proto. On by default outside DEBUG; HTTPS=false only to try the stack on plain
# http://localhost (never on a public server).

HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content Security Policy -----------------------------------------------------------------
# Everything comes from this origin: no inline script or style, no third-party host, no framing.
# The public pages use only the vendored stylesheet (and no script); the admin, the browsable
# API and the API docs (Swagger UI from the sidecar package, its page script served as a file by
# records/api/urls.py) load their scripts as files, so they work under it too.

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["records.api.permissions.ReadAnyoneWriteByPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "records.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "records.api.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # How many proxies append to X-Forwarded-For in front of the app: the throttles then take the
    # address the nearest one saw. 0 (the default) trusts only the connection's own address, as a
    # client could otherwise invent a new forwarded address for every request.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "records.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kazakhstan–Uzbekistan relations database API",
    "DESCRIPTION": (
        "Events, agreements, indicators and the sources behind every claim. Read access is open and "
        "shows published records only; writes need a token (`Authorization: Token …`) and the "
        "matching permission. Dates are EDTF strings with their lower and upper bounds. Lists are "
        "paginated (`page`, `page_size` ≤ 500) and also come as CSV (`?format=csv`); sources also as "
        "BibTeX, RIS and CSL-JSON."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several vocabularies share a field name (type, kind): name each enum after its vocabulary.
    "ENUM_NAME_OVERRIDES": {
        "EventTypeEnum": "records.models.event.EventType",
        "AgreementTypeEnum": "records.models.agreement.AgreementType",
        "SourceTypeEnum": "records.models.source.SourceType",
        "ActorKindEnum": "records.models.actor.ActorKind",
        "PlaceKindEnum": "records.models.geography.PlaceKind",
        "ObservationKindEnum": "records.models.indicator.ObservationKind",
        "ChangeTypeEnum": [
            "event",
            "agreement",
            "indicator",
            "observation",
            "source",
            "citation",
            "actor",
            "place",
            "country",
        ],
        "CitedRecordTypeEnum": ["agreement", "event", "observation"],
    },
}

# --- Logging -------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
