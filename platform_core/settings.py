"""Django settings for Qiaoban.

Two profiles, one code base: the embedded default (SQLite file, in-memory channel
layer, local-memory cache) and scale-out, switched on by ``DATABASE_URL``
(PostgreSQL through psycopg 3) and ``REDIS_URL`` (channels-redis, Redis cache,
Celery broker). Everything secret or host-specific comes from the environment.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QIAOBAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    # A generated key persisted outside git, so sessions survive restarts on a
    # local install without anyone having to invent a secret.
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "platform_core.org",
    "platform_core.audit",
    "platform_core.accounts",
    "platform_core.api",
    "platform_core.dictionary",
    "runtime.definitions",
    "runtime.instances",
    "runtime.timers",
    "runtime.notifications",
    "runtime.files",
    "runtime.drafts",
    "platform_core.realtime",
    "templates_library",
    "connectors",
    "platform_core.background",
    "designer_ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a body (CSRF, parsers); after the locale, so the 413 is translated.
    "platform_core.api.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "platform_core.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform_core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "platform_core.asgi.application"
WSGI_APPLICATION = "platform_core.wsgi.application"

# --- database -----------------------------------------------------------------
# WAL lets readers run beside the one writer; IMMEDIATE (below) takes the write lock
# at BEGIN so two writers queue on the busy timeout instead of failing with
# "database is locked" when a reader upgrades to a writer.
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "qiaoban.sqlite3")),
            "OPTIONS": {
                "init_command": SQLITE_INIT_COMMAND,
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis: cache and channel layer --------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "platform_core.api.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Brute-force protection: 5 failures for one user name from one address lock
# that pair out for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "platform_core.accounts.views.lockout_response"
AXES_VERBOSE = False

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "platform_core" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- static and media ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS: list = [BASE_DIR / "platform_core" / "static"]
# The built web UI (designer_ui/dist, made by `make ui`) is served under /static/ui/.
# QIAOBAN_UI_DIST points elsewhere (a second build, e.g. while developing the UI).
UI_DIST = Path(os.environ.get("QIAOBAN_UI_DIST", BASE_DIR / "designer_ui" / "dist"))
if UI_DIST.is_dir():
    STATICFILES_DIRS.append(("ui", UI_DIST))
# Vite puts a content hash in every asset name: browsers may keep those forever.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+/ui/assets/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- request size ----------------------------------------------------------------
# The largest request body (bytes) any /api/ call accepts; bigger ones get 413
# request_too_large (platform_core/api/middleware.py). It must stay above the app
# import's own limit (runtime/definitions/portable.py MAX_IMPORT_BYTES = 3 MB, plus
# 64 KiB for the multipart envelope) so a valid import is never refused before the
# import can say what is wrong; tests/api/test_request_size.py checks that.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 4 * 1024 * 1024))
# The largest uploaded file (bytes) POST /api/v1/files/ accepts (413 file_too_large above it);
# that route's body limit is this plus FILE_UPLOAD_ENVELOPE for the multipart framing.
QIAOBAN_FILE_MAX_SIZE = int(os.environ.get("QIAOBAN_FILE_MAX_SIZE", 20 * 1024 * 1024))
FILE_UPLOAD_ENVELOPE = 64 * 1024

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call then gets 401 with a WWW-Authenticate header.
        "platform_core.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "platform_core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "platform_core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/min"),
        "user": os.environ.get("THROTTLE_USER", "2000/min"),
        "login": os.environ.get("THROTTLE_LOGIN", "20/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Qiaoban (巧办) API",
    "DESCRIPTION": "Low-code forms and approval flows. Errors are always "
    '`{"error": {"code", "message", "details"}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}

# --- notifications: e-mail and links (runtime/notifications) ---------------------
# Console-safe default: without EMAIL_HOST mails are printed, not sent.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Qiaoban <noreply@localhost>")
# Links in notifications: SITE_URL + /app/instances/<id> (the web UI's request page)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- background work (docs/background.md) -------------------------------------------
# Seconds between runs of the periodic jobs (platform_core/background/jobs.py), read by both
# the embedded runner (`manage.py run_background`, started by `make run`) and Celery beat.
BACKGROUND_INTERVALS = {
    "deliver_outbox": float(os.environ.get("BACKGROUND_OUTBOX_INTERVAL", "5")),
    "fire_timers": float(os.environ.get("BACKGROUND_TIMERS_INTERVAL", "15")),
    "send_digests": float(os.environ.get("BACKGROUND_DIGESTS_INTERVAL", "60")),
    "run_jobs": float(os.environ.get("BACKGROUND_JOBS_INTERVAL", "2")),
    "purge_files": float(os.environ.get("BACKGROUND_PURGE_FILES_INTERVAL", "3600")),
}
# Celery (scale-out only): the broker is Redis; nothing connects until a worker or beat
# starts or a task is sent, so the embedded profile needs none of this.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results are off (the beat-driven jobs' counts are logged by the worker); set a Redis URL to keep them.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = not CELERY_RESULT_BACKEND
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "qiaoban")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Acknowledge after the run, one message at a time: a worker that dies mid-run leaves the
# message for another (the jobs are safe to repeat: claims use leases).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Within the outbox lease (5 min), so a killed run's rows are taken again, not twice at once.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "280"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each tick expires after one interval: a backlog behind a busy worker is dropped, not run in a burst.
CELERY_BEAT_SCHEDULE = {
    name.replace("_", "-"): {
        "task": f"qiaoban.{name}",
        "schedule": seconds,
        "options": {"expires": seconds},
    }
    for name, seconds in BACKGROUND_INTERVALS.items()
}
