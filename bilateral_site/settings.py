"""Project settings, all read from the environment in this one module.

Defaults are safe for production: DEBUG is off, a SECRET_KEY must be given, cookies are
secure and HTTPS is enforced. A development machine sets DEBUG=true (``make run`` does)
and gets an embedded SQLite database and a throwaway key. Variables:

DEBUG, SECRET_KEY, ALLOWED_HOSTS (comma-separated), CSRF_TRUSTED_ORIGINS,
DATABASE_URL (``postgres://user:pass@host:5432/name``; SQLite under the project when unset),
HTTPS, SECURE_HSTS_SECONDS, CONN_MAX_AGE, ATOMIC_REQUESTS, REDIS_URL, TIME_ZONE, LOG_LEVEL, STATIC_ROOT,
API_THROTTLE_ANON, API_THROTTLE_USER, API_THROTTLE_STAFF, API_THROTTLE_WRITE, API_THROTTLE_EXPORT,
API_THROTTLE_TOKEN_FAILURES (e.g. 120/minute), API_NUM_PROXIES,
AXES_FAILURE_LIMIT, AXES_COOLOFF_MINUTES, SESSION_COOKIE_AGE,
DATA_UPLOAD_MAX_MEMORY_SIZE, FILE_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS,
IMPORT_MAX_BYTES, IMPORT_MAX_UNPACKED_BYTES.
"""

from datetime import timedelta
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
    "axes",  # locks out repeated failed logins (see "Authentication" below)
    "records",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database unreachable: 503 with a plain message, on every page, the API and the admin.
    "bilateral_site.middleware.DatabaseUnavailableMiddleware",
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
    # Turns a locked-out login into the lock-out page; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock when a
    # transaction starts, so a second writer waits up to `timeout` seconds for it instead of
    # failing with "database is locked" when it upgrades a read to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Each request's writes are one transaction: a request that fails half-way leaves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = env.bool("ATOMIC_REQUESTS", default=True)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Authentication ------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Staff accounts can publish: 12 characters at least, well past what guessing reaches.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Only staff sign in (the public site needs no account): a session lasts a working day at most,
# and ends sooner when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: the admin, the browsable API and the API docs put the token
# in the page.
CSRF_COOKIE_HTTPONLY = True

# Login guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; others (the same user elsewhere, other
# users here) are not, so an attacker cannot lock a curator out from everywhere. A successful
# login clears the count. The address is found as the API throttles find it (API_NUM_PROXIES), so
# a client cannot escape the lock-out by inventing X-Forwarded-For addresses.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "records.api.throttling.client_address"

# --- Uploads -------------------------------------------------------------------------------
# A form or API body (a source's full text is the largest thing typed in) is read into memory
# up to DATA_UPLOAD_MAX_MEMORY_SIZE; a larger one is refused with 400 (413 from the API). Uploaded
# files beyond FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file instead of memory. An admin
# import file is refused above IMPORT_MAX_BYTES, and an XLSX whose contents unpack to more than
# IMPORT_MAX_UNPACKED_BYTES (a zip bomb) before it is parsed.

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=2000)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------

STATIC_URL = "static/"
# Another directory lets a second server from the same checkout (bench/load.py) collect its own.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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
# A load balancer probes the health check over plain HTTP, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

# --- Cache -----------------------------------------------------------------------------------
# One server: each process's own memory. Several servers behind a load balancer: REDIS_URL
# (redis://host:6379/0) makes Redis the cache they share, so the API throttles count a client's
# requests across all of them and an admin import's preview, kept in the cache, is there when
# the confirmation reaches another server.

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

# --- API -----------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Token authentication that stops an address after API_THROTTLE_TOKEN_FAILURES wrong tokens.
        "records.api.throttling.GuessLimitedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["records.api.permissions.ReadAnyoneWriteByPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "records.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    # DRF's defaults, with JSON nested too deeply for Python's decoder refused as a 400.
    "DEFAULT_PARSER_CLASSES": [
        "records.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "records.api.renderers.CSVRenderer",
    ],
    # Per class of client (records/api/throttling.py): anonymous clients per address; each account
    # at the rate of its role (viewers and other accounts "user", curators, editors and superusers
    # "staff"); besides, every account's writes, and everyone's /api/export/ downloads.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "records.api.throttling.RoleRateThrottle",
        "records.api.throttling.WriteRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    # How many proxies append to X-Forwarded-For in front of the app: the throttles then take the
    # address the nearest one saw. 0 (the default) trusts only the connection's own address, as a
    # client could otherwise invent a new forwarded address for every request.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        "staff": env.str("API_THROTTLE_STAFF", default="3000/minute"),
        "write": env.str("API_THROTTLE_WRITE", default="120/minute"),
        "export": env.str("API_THROTTLE_EXPORT", default="20/hour"),
        "token_failures": env.str("API_THROTTLE_TOKEN_FAILURES", default="20/hour"),
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
