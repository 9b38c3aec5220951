"""Bakti settings: one file, driven by environment variables, safe defaults for a laptop.

Every variable is named BAKTI_*; see docs/operations.md for the full list.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("BAKTI_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in var/."""
    if key := os.environ.get("BAKTI_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Under pytest (which sets PYTEST_VERSION) or with BAKTI_TESTING: fast hashes, jobs run at once.
TESTING = env_bool("BAKTI_TESTING") or "PYTEST_VERSION" in os.environ

SECRET_KEY = _secret_key()
DEBUG = env_bool("BAKTI_DEBUG")
ALLOWED_HOSTS = env_list("BAKTI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BAKTI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form widgets' own templates, under the project's overrides
    "django_htmx",
    "template_partials",
    "bootstrap",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Bakti, in dependency order.
    "bakti.core",
    "bakti.privacy",
    "bakti.regions",
    "bakti.accounts",
    "bakti.programs",
    "bakti.registry",
    "bakti.partners",
    "bakti.community",
    "bakti.delivery",
    "bakti.cases",
    "bakti.finance",
    "bakti.monitoring",
    "bakti.reports",
    "bakti.privacy.pdp",
    "bakti.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bakti.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bakti.privacy.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bakti.urls"
NINJA_PAGINATION_CLASS = "bakti.api_pagination.Pagination"  # bounded limit and offset
WSGI_APPLICATION = "bakti.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bakti.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
# Form widgets render through the project's templates, so bakti/templates/django/forms can
# replace a slow widget template (see select.html there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite in var/ by default (WAL, immediate transactions so writers queue instead of
# failing), PostgreSQL through BAKTI_DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BAKTI_DATABASE_URL", f"sqlite:///{VAR_DIR / 'bakti.sqlite3'}"),
        conn_max_age=int(os.environ.get("BAKTI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("BAKTI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor: TOTP through django-otp; administrators must use it when this is set.
BAKTI_REQUIRE_2FA = env_bool("BAKTI_REQUIRE_2FA")
OTP_TOTP_ISSUER = "Bakti"

# Language and time.
LANGUAGE_CODE = os.environ.get("BAKTI_LANGUAGE", "id")
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("BAKTI_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["bakti.formats"]
LANGUAGE_COOKIE_NAME = "bakti_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
BAKTI_CURRENCY = os.environ.get("BAKTI_CURRENCY", "IDR")
BAKTI_FISCAL_YEAR_START_MONTH = int(os.environ.get("BAKTI_FISCAL_YEAR_START_MONTH", "1"))

# Static and uploaded files. Everything is served from installed packages: no CDN.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("BAKTI_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("BAKTI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
BAKTI_MAX_UPLOAD_MB = int(os.environ.get("BAKTI_MAX_UPLOAD_MB", "200"))

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "BAKTI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("BAKTI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BAKTI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BAKTI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BAKTI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BAKTI_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("BAKTI_EMAIL_FROM", "bakti@localhost")

# Background jobs: django-tasks with the database backend; `bakti worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "BAKTI_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Sessions and security. Production (DEBUG off) gets secure cookies and HSTS unless the
# operator says the site is served over plain HTTP (BAKTI_INSECURE_HTTP, for a laptop).
SESSION_COOKIE_AGE = int(os.environ.get("BAKTI_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
_https = not DEBUG and not TESTING and not env_bool("BAKTI_INSECURE_HTTP")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and not env_bool("BAKTI_BEHIND_TLS_PROXY_NO_REDIRECT")
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("BAKTI_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts only from this site, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

BAKTI_DEMO_PASSWORD = os.environ.get("BAKTI_DEMO_PASSWORD", "bakti-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BAKTI_LOG_LEVEL", "WARNING")},
}
