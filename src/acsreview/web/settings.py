"""Django settings, read from the environment (see docs/deployment.md).

SQLite in ``ACSREVIEW_DATA_DIR`` is the zero-configuration default; set
``DATABASE_URL`` for PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import (
    ConfigError,
    allowed_hosts,
    cache_settings,
    data_dir,
    env_bool,
    env_int,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

# Production is HTTPS behind a proxy: it must name its secret key and its hosts, and must
# not debug. Without it (`acsreview serve --demo` on a laptop) both have safe defaults.
HTTPS = env_bool("ACSREVIEW_HTTPS", False)
DEBUG = env_bool("ACSREVIEW_DEBUG", False)
if DEBUG and HTTPS:
    raise ConfigError("ACSREVIEW_DEBUG=true shows the app's internals to every visitor: "
                      "not with ACSREVIEW_HTTPS=true")
SECRET_KEY = secret_key(DATA_DIR, production=HTTPS)
ALLOWED_HOSTS = allowed_hosts(production=HTTPS)
# Proxies in front of the app that append to X-Forwarded-For: visitors' addresses are read
# from there (for sign-in lock-outs and survey rate limits). One with HTTPS, else none.
ACSREVIEW_PROXIES = env_int("ACSREVIEW_PROXIES", 1 if HTTPS else 0, minimum=0)
# Stakeholder groups smaller than this are merged or withheld everywhere (never below 3).
ACSREVIEW_SUPPRESSION_THRESHOLD = env_int("ACSREVIEW_SUPPRESSION_THRESHOLD", 5, minimum=3)
# Set by `acsreview serve --demo`: every page then says the data is synthetic.
ACSREVIEW_DEMO = env_bool("ACSREVIEW_DEMO", False)

INSTALLED_APPS = [
    "acsreview.web.accounts",
    "acsreview.web.pages",
    "acsreview.web.reviews",
    "acsreview.web.consultations",
    "acsreview.web.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a request's body: an oversized one is refused unread.
    "acsreview.web.uploads.limit_request_size",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # On signing in, the language cookie is set to the person's remembered language.
    "acsreview.web.accounts.language.remember_language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it locks out after repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed sign-ins lock that account from that address for 30 minutes.
# The sign-in form names its field "username" though people sign in with their e-mail.
AXES_USERNAME_FORM_FIELD = "username"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# django-axes would otherwise keep every successful sign-in with its IP and user agent.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "acsreview.web.ratelimit.client_address"

# New survey responses one network address may start on one link in an hour (0: no limit).
# Counted in the cache below under a keyed hash of the address, forgotten after the hour.
ACSREVIEW_SURVEY_RATE = env_int("ACSREVIEW_SURVEY_RATE", 100, minimum=0)
# Rate limits and API throttling count in the cache: each server process's own memory by
# default (with N workers a limit is reached N times over at most), or one Redis shared by
# every process and server with ACSREVIEW_CACHE_URL (docs/deployment.md).
CACHES = cache_settings()

# The REST API (docs/api.md): requests per person and minute, per server process.
NINJA_DEFAULT_THROTTLE_RATES = {"user": "1200/min", "auth": None, "anon": None}

ROOT_URLCONF = "acsreview.web.urls"
WSGI_APPLICATION = "acsreview.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "acsreview.web.pages.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'acsreview.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; a busy timeout queues writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews:list"
LOGOUT_REDIRECT_URL = "home"

# Sessions end with the browser and after two hours of inactivity.
SESSION_COOKIE_AGE = 2 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Forms (htmx's too) send the token from their hidden field: no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy, set ACSREVIEW_HTTPS=true (docs/deployment.md).
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Joining the browsers' HSTS preload list binds the whole domain: the agency's decision,
# not the app's (docs/deployment.md).
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# No inline script or style anywhere: scripts and stylesheets are the app's own files;
# charts run vega's expression interpreter, never eval (docs/deployment.md, "Security").
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

# Form fields other than files, in memory (Django's default, stated); uploaded files over
# this go to a temporary file. Requests over 12 MB are refused (acsreview.web.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]
# English long dates as Europeans write them: 27 November 2026 (web/formats/).
FORMAT_MODULE_PATH = ["acsreview.web.formats"]
LOCALE_PATHS = [PACKAGE_DIR.parent / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks here too, even when serving from finders
# Serve straight from the package: no collectstatic step between install and run.
WHITENOISE_USE_FINDERS = True

# Logs carry no personal data: no access log of IP addresses, errors to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is one line, not a traceback: refusing is not an error.
    "filters": {"refusals_in_one_line": {"()": "acsreview.web.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # django-axes logs every failed sign-in at INFO, with the address: not in our logs.
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
