"""Settings, all read from the environment (12-factor); README.md lists every variable.

Defaults make a development checkout work with no configuration: SQLite under var/, DEBUG on,
console e-mail, local-memory cache. Production sets DEBUG=false and must set SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("CASCADE_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("CASCADE_TESTING", default=False)
_DEV_SECRET = "insecure-development-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Search lookups and expressions (trigram similarity); inert on SQLite.
    "django.contrib.postgres",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_htmx",
    "ninja",
    "cascade.core",
    "cascade.tenancy",
    "cascade.identity",
    "cascade.audit",
    "cascade.events",
    "cascade.notifications",
    "cascade.catalog",
    "cascade.learning",
    "cascade.assessments",
    "cascade.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cascade.tenancy.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cascade.access.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cascade.urls"
WSGI_APPLICATION = "cascade.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cascade.web.context_processors.shell",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'cascade.sqlite3'}"
    )
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Django's built-in psycopg pool: one pool per process, sized for the worker's threads.
    if env.bool("DATABASE_POOL", default=not TESTING):
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": 10,
        }
        _db["CONN_MAX_AGE"] = 0
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and a worker share the file without "database is locked".
    _db.setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
_db["ATOMIC_REQUESTS"] = False
if TESTING and _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("TEST", {})["NAME"] = env.str("CASCADE_TEST_DB_NAME", default="test_cascade")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign-in"

# Brute-force lockout: five failures for one e-mail from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_redis_url = env.str("REDIS_URL", default="")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "cascade.core.redis_cache.KeptClientRedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "cascade",
        }
    }
    # Every signed-in page reads its session: from the shared cache, and the database only when
    # the cache lost it (writes go to both). Not with a per-process cache, where a session ended
    # in one process would live on in another's memory.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cascade <no-reply@cascade.local>")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Background work: the database backend in production, inline in tests (TASKS_BACKEND=immediate).
_tasks_backend = env.str("TASKS_BACKEND", default="immediate" if TESTING else "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if _tasks_backend == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}

# The interface is in English until its strings are translated; LANGUAGES lists the languages a
# person may prefer and a tenant may support for content (locale variants arrive with the catalog).
# Without translations, activating a visitor's language would only mislabel English pages.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("fr-ca", "Français (Canada)"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("ja", "日本語"),
    ("pt-br", "Português (Brasil)"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# The public address used in e-mailed links when there is no request (background tasks).
CASCADE_PUBLIC_SCHEME = env.str("CASCADE_PUBLIC_SCHEME", default="http")
CASCADE_PUBLIC_HOST = env.str("CASCADE_PUBLIC_HOST", default="127.0.0.1:8000")
# Appended to tenant domains in e-mailed links when the site is not served on 80/443 (the demo).
CASCADE_PUBLIC_PORT = env.str("CASCADE_PUBLIC_PORT", default="")
CASCADE_INVITATION_DAYS = env.int("CASCADE_INVITATION_DAYS", default=14)
# Share of a video actually played (seeking excluded) at which the lesson counts as complete.
CASCADE_VIDEO_COMPLETION_SHARE = env.float("CASCADE_VIDEO_COMPLETION_SHARE", default=0.9)
# With Redis, video progress is written to the database at most this many seconds apart (0:
# every heartbeat is written at once). See decision 0007.
CASCADE_HEARTBEAT_FLUSH_SECONDS = env.float("CASCADE_HEARTBEAT_FLUSH_SECONDS", default=60.0)
# The largest file accepted in the media library, per kind, in bytes (set in MiB).
CASCADE_MEDIA_SIZE_LIMITS = {
    "video": env.int("CASCADE_MEDIA_MAX_VIDEO_MB", default=2048) * 1024 * 1024,
    "audio": env.int("CASCADE_MEDIA_MAX_AUDIO_MB", default=500) * 1024 * 1024,
    "image": env.int("CASCADE_MEDIA_MAX_IMAGE_MB", default=10) * 1024 * 1024,
    "document": env.int("CASCADE_MEDIA_MAX_DOCUMENT_MB", default=100) * 1024 * 1024,
    "captions": env.int("CASCADE_MEDIA_MAX_CAPTIONS_MB", default=2) * 1024 * 1024,
    "transcript": env.int("CASCADE_MEDIA_MAX_TRANSCRIPT_MB", default=10) * 1024 * 1024,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
